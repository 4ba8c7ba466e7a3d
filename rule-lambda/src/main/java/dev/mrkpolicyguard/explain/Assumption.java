package dev.mrkpolicyguard.explain;

import dev.mrkpolicyguard.engine.eval.Caller;
import java.util.List;
import java.util.Objects;

/**
 * A value taken for one fact that a CloudTrail record does not hold, in one of the cases {@code
 * explain} evaluates: whether the caller's IAM policies allow the action, which principal of an
 * account made a cross-account call, or the value of a condition key.
 */
public sealed interface Assumption {
  /** The fact assumed: {@code identityPolicyAllows}, {@code caller} or a condition key. */
  String fact();

  /** Whether the caller's IAM policies allow the action. */
  record IdentityPolicy(boolean allows) implements Assumption {
    @Override
    public String fact() {
      return "identityPolicyAllows";
    }
  }

  /**
   * Which principal made a call that the record attributes to an account only.
   *
   * @param caller the principal taken
   * @param named whether a policy names it; {@code false} stands for every principal of the account
   *     that neither policy names
   */
  record CallerIs(Caller caller, boolean named) implements Assumption {
    public CallerIs {
      Objects.requireNonNull(caller, "caller");
    }

    @Override
    public String fact() {
      return "caller";
    }
  }

  /** The request has no value for condition key {@code key}. */
  record KeyAbsent(String key) implements Assumption {
    public KeyAbsent {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public String fact() {
      return key;
    }
  }

  /** Condition key {@code key} has {@code value}, one a policy names. */
  record KeyValue(String key, String value) implements Assumption {
    public KeyValue {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String fact() {
      return key;
    }
  }

  /** Condition key {@code key} has a value that is none of {@code named}, the policies' values. */
  record KeyOther(String key, List<String> named) implements Assumption {
    /** The value that stands for every other one: no policy value matches it. */
    public static final String PLACEHOLDER = "(a value no policy names)";

    public KeyOther {
      Objects.requireNonNull(key, "key");
      named = List.copyOf(named);
    }

    @Override
    public String fact() {
      return key;
    }
  }
}
