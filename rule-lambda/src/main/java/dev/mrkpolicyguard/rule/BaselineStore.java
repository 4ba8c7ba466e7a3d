package dev.mrkpolicyguard.rule;

import dev.mrkpolicyguard.engine.rule.Baseline;

/** The port the rule reads its baseline through (an SSM parameter). */
public interface BaselineStore {
  /**
   * The baseline in parameter {@code name}, or {@link Baseline#DEFAULT} when {@code name} is null.
   * A missing, denied or invalid baseline throws {@link RuleConfigurationException} naming {@code
   * where}; a failure worth retrying is left to propagate for Lambda's retries.
   */
  Baseline load(String name, String where);
}
