package dev.mrkpolicyguard.engine.policy;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A condition operator: its base kind plus the {@code IfExists} suffix and the {@code ForAnyValue:}
 * / {@code ForAllValues:} set qualifier (IAM User Guide, "IAM JSON policy elements: Condition
 * operators").
 */
public record ConditionOperator(OperatorKind kind, boolean ifExists, SetQualifier qualifier) {
  public ConditionOperator {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(qualifier, "qualifier");
  }

  /** Set qualifiers for multi-valued condition keys. */
  public enum SetQualifier {
    NONE,
    FOR_ANY_VALUE,
    FOR_ALL_VALUES
  }

  /** Parses an operator name such as {@code ForAnyValue:StringLikeIfExists}. */
  public static Optional<ConditionOperator> parse(String text) {
    String rest = text;
    SetQualifier qualifier = SetQualifier.NONE;
    String lower = rest.toLowerCase(Locale.ROOT);
    if (lower.startsWith("foranyvalue:")) {
      qualifier = SetQualifier.FOR_ANY_VALUE;
      rest = rest.substring("foranyvalue:".length());
    } else if (lower.startsWith("forallvalues:")) {
      qualifier = SetQualifier.FOR_ALL_VALUES;
      rest = rest.substring("forallvalues:".length());
    }
    boolean ifExists = false;
    if (rest.toLowerCase(Locale.ROOT).endsWith("ifexists")) {
      ifExists = true;
      rest = rest.substring(0, rest.length() - "ifexists".length());
    }
    Optional<OperatorKind> kind = OperatorKind.byName(rest);
    if (kind.isEmpty() || (ifExists && kind.get() == OperatorKind.NULL)) {
      return Optional.empty();
    }
    return Optional.of(new ConditionOperator(kind.get(), ifExists, qualifier));
  }

  /** The canonical spelling, e.g. {@code ForAnyValue:StringLikeIfExists}. */
  public String text() {
    String prefix =
        switch (qualifier) {
          case NONE -> "";
          case FOR_ANY_VALUE -> "ForAnyValue:";
          case FOR_ALL_VALUES -> "ForAllValues:";
        };
    return prefix + kind.text() + (ifExists ? "IfExists" : "");
  }
}
