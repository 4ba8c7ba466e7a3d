package dev.mrkpolicyguard.engine.policy;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One operator/key pair of a {@code Condition} block: the request value of {@code key} must satisfy
 * {@code operator} against one of {@code values}.
 *
 * @param operator the condition operator with its qualifiers
 * @param key the condition key as written
 * @param values the values; JSON booleans and numbers are kept as their JSON text
 */
public record Condition(ConditionOperator operator, String key, List<String> values) {
  public Condition {
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(key, "key");
    values = List.copyOf(Objects.requireNonNull(values, "values"));
  }

  /** The key in lower case: condition key names are case-insensitive. */
  public String normalizedKey() {
    return key.toLowerCase(Locale.ROOT);
  }
}
