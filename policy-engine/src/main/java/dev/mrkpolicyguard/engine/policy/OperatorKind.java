package dev.mrkpolicyguard.engine.policy;

import java.util.Locale;
import java.util.Optional;

/** The base condition operators of the IAM policy language. */
public enum OperatorKind {
  STRING_EQUALS("StringEquals", Family.STRING, false),
  STRING_NOT_EQUALS("StringNotEquals", Family.STRING, true),
  STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", Family.STRING, false),
  STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", Family.STRING, true),
  STRING_LIKE("StringLike", Family.STRING, false),
  STRING_NOT_LIKE("StringNotLike", Family.STRING, true),
  NUMERIC_EQUALS("NumericEquals", Family.NUMERIC, false),
  NUMERIC_NOT_EQUALS("NumericNotEquals", Family.NUMERIC, true),
  NUMERIC_LESS_THAN("NumericLessThan", Family.NUMERIC, false),
  NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Family.NUMERIC, false),
  NUMERIC_GREATER_THAN("NumericGreaterThan", Family.NUMERIC, false),
  NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Family.NUMERIC, false),
  DATE_EQUALS("DateEquals", Family.DATE, false),
  DATE_NOT_EQUALS("DateNotEquals", Family.DATE, true),
  DATE_LESS_THAN("DateLessThan", Family.DATE, false),
  DATE_LESS_THAN_EQUALS("DateLessThanEquals", Family.DATE, false),
  DATE_GREATER_THAN("DateGreaterThan", Family.DATE, false),
  DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", Family.DATE, false),
  BOOL("Bool", Family.STRING, false),
  BINARY_EQUALS("BinaryEquals", Family.STRING, false),
  IP_ADDRESS("IpAddress", Family.IP, false),
  NOT_IP_ADDRESS("NotIpAddress", Family.IP, true),
  ARN_EQUALS("ArnEquals", Family.STRING, false),
  ARN_LIKE("ArnLike", Family.STRING, false),
  ARN_NOT_EQUALS("ArnNotEquals", Family.STRING, true),
  ARN_NOT_LIKE("ArnNotLike", Family.STRING, true),
  NULL("Null", Family.PRESENCE, false);

  /** Value domains: operators of one family compare values the same way. */
  public enum Family {
    STRING,
    NUMERIC,
    DATE,
    IP,
    PRESENCE
  }

  private final String text;
  private final Family family;
  private final boolean negated;

  OperatorKind(String text, Family family, boolean negated) {
    this.text = text;
    this.family = family;
    this.negated = negated;
  }

  /** The operator's name as AWS documents it. */
  public String text() {
    return text;
  }

  /** The value domain the operator works on. */
  public Family family() {
    return family;
  }

  /**
   * Whether the operator is a negation ({@code StringNotEquals}, {@code NotIpAddress}, ...): true
   * when the key is absent, and true for a present value that matches none of the listed values.
   */
  public boolean negated() {
    return negated;
  }

  /** Finds an operator by name, ignoring case. */
  public static Optional<OperatorKind> byName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (OperatorKind kind : values()) {
      if (kind.text.toLowerCase(Locale.ROOT).equals(lower)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
