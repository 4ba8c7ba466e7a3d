package dev.mrkpolicyguard.trigger;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the trigger needs to know about its deployment.
 *
 * @param configRuleName the rule's name as deployed: a conformance pack's copy of it is named
 *     {@code <name>-conformance-pack-<suffix>} and is found too
 * @param settleDelay how long to wait before looking again at a copy still being created or
 *     changing its primary Region
 * @param maxAge how long a deferred start is retried before it is given up (and counted as a
 *     failure); the periodic run has run at least once by then
 */
public record TriggerSettings(String configRuleName, Duration settleDelay, Duration maxAge) {
  /** The rule's name in the pack and the stack's default. */
  public static final String DEFAULT_RULE_NAME = "mrk-replica-key-policy";

  public TriggerSettings {
    Objects.requireNonNull(configRuleName, "configRuleName");
    if (!configRuleName.matches("[\\w.-]{1,128}")) {
      throw new IllegalArgumentException(
          "CONFIG_RULE_NAME '" + configRuleName + "' is not a Config rule name");
    }
    Objects.requireNonNull(settleDelay, "settleDelay");
    Objects.requireNonNull(maxAge, "maxAge");
  }

  /** The defaults: 30 s between looks at a settling copy, a day of retries. */
  public static TriggerSettings defaults(String configRuleName) {
    return new TriggerSettings(configRuleName, Duration.ofSeconds(30), Duration.ofDays(1));
  }

  /** Whether {@code name} is the rule: its own name, or a conformance pack's copy of it. */
  public boolean isTheRule(String name) {
    return name.equals(configRuleName)
        || Pattern.matches(Pattern.quote(configRuleName) + "-conformance-pack-[a-z0-9]+", name);
  }
}
