package dev.mrkpolicyguard.rule;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The event AWS Config sends a custom Lambda rule (Config developer guide,
 * evaluate-config_develop-rules_example-events). Our own model: the library's {@code ConfigEvent}
 * drops {@code evaluationMode}. {@code invokingEvent} and {@code ruleParameters} are JSON strings.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ConfigEvent(
    String version,
    String invokingEvent,
    String ruleParameters,
    String resultToken,
    boolean eventLeftScope,
    String executionRoleArn,
    String configRuleArn,
    String configRuleName,
    String configRuleId,
    String accountId,
    String evaluationMode) {

  /** The result token of test invocations from the console: evaluations are posted in TestMode. */
  static final String TEST_MODE_TOKEN = "TESTMODE";

  boolean testMode() {
    return TEST_MODE_TOKEN.equals(resultToken);
  }
}
