package dev.mrkpolicyguard.core;

import java.util.Objects;

/**
 * What one KMS read call gave: its answer, or the {@link ReadFailure} left after the adapter's
 * retries. What a failure means for a key is decided by the caller, through {@link ReadFailure}.
 *
 * @param <T> the answer's type
 */
public sealed interface KmsRead<T> {
  /** KMS answered {@code value}. */
  record Answered<T>(T value) implements KmsRead<T> {
    public Answered {
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * The call failed: {@code failure} says which call, with which code and message.
   *
   * @param failure which call failed, with which code and message
   * @param cause the exception the adapter caught, kept as it was thrown for a caller whose
   *     contract is to fail with it unchanged (the rule's key listing); {@code null} when there was
   *     none (a fake)
   */
  record Failed<T>(ReadFailure failure, RuntimeException cause) implements KmsRead<T> {
    public Failed {
      Objects.requireNonNull(failure, "failure");
    }

    /** A failure with no exception behind it. */
    public Failed(ReadFailure failure) {
      this(failure, null);
    }
  }
}
