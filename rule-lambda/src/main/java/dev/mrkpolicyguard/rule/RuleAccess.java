package dev.mrkpolicyguard.rule;

import dev.mrkpolicyguard.core.KeyReader;
import java.util.Objects;

/**
 * The ports one invocation of the rule uses, all signed as the same principal (the function, or the
 * role it assumed in the event's account).
 */
public record RuleAccess(
    KeyReader keys,
    KeyLister lister,
    ComplianceHistory history,
    ConfigItemHistory items,
    BaselineStore baselines,
    EvaluationSink evaluations) {
  public RuleAccess {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(lister, "lister");
    Objects.requireNonNull(history, "history");
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(baselines, "baselines");
    Objects.requireNonNull(evaluations, "evaluations");
  }
}
