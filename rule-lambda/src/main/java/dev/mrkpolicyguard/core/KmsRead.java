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

  /** The call failed: {@code failure} says which call, with which code and message. */
  record Failed<T>(ReadFailure failure) implements KmsRead<T> {
    public Failed {
      Objects.requireNonNull(failure, "failure");
    }
  }
}
