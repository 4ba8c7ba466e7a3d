package dev.mrkpolicyguard.rule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Set;

/**
 * The rule's input parameters (the {@code ruleParameters} JSON string; Config passes values as
 * strings, numbers are accepted too).
 *
 * @param baselineParameterName SSM parameter holding the baseline, or {@code null} for {@link
 *     dev.mrkpolicyguard.engine.rule.Baseline#DEFAULT}
 * @param executionRoleName role to assume in the event's account for every call, or {@code null} to
 *     use the function's own credentials
 * @param fullRefreshDays re-post every evaluation once the oldest recorded one is older than this
 */
record RuleParameters(String baselineParameterName, String executionRoleName, int fullRefreshDays) {
  static final int DEFAULT_FULL_REFRESH_DAYS = 7;
  private static final Set<String> KNOWN =
      Set.of("BaselineParameterName", "ExecutionRoleName", "FullRefreshDays");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static RuleParameters parse(String json) {
    if (json == null || json.isBlank()) {
      return new RuleParameters(null, null, DEFAULT_FULL_REFRESH_DAYS);
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new RuleConfigurationException(
          "ruleParameters is not a JSON object: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new RuleConfigurationException("ruleParameters must be a JSON object, got: " + json);
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!KNOWN.contains(name)) {
        throw new RuleConfigurationException(
            "unknown rule parameter '"
                + name
                + "'; known: BaselineParameterName, ExecutionRoleName, FullRefreshDays");
      }
    }
    return new RuleParameters(
        text(root, "BaselineParameterName"), text(root, "ExecutionRoleName"), days(root));
  }

  private static String text(JsonNode root, String name) {
    JsonNode value = root.get(name);
    if (value == null || value.isNull() || value.asText().isBlank()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new RuleConfigurationException("rule parameter " + name + " must be a string");
    }
    return value.asText().trim();
  }

  private static int days(JsonNode root) {
    String text = text(root, "FullRefreshDays", true);
    if (text == null) {
      return DEFAULT_FULL_REFRESH_DAYS;
    }
    try {
      int days = Integer.parseInt(text);
      if (days >= 1 && days <= 3650) {
        return days;
      }
    } catch (NumberFormatException e) {
      // reported below with the value
    }
    throw new RuleConfigurationException(
        "rule parameter FullRefreshDays must be a whole number of days from 1 to 3650, got '"
            + text
            + "'");
  }

  private static String text(JsonNode root, String name, boolean numberAllowed) {
    JsonNode value = root.get(name);
    if (numberAllowed && value != null && value.isNumber()) {
      return value.asText();
    }
    return text(root, name);
  }
}
