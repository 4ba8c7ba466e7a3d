package dev.mrkpolicyguard.core;

import java.util.Objects;

/**
 * Fails an invocation whose one key could not be read for a reason that says nothing about the key
 * (throttled, 5xx, network): its previous evaluation stands and Lambda's retry takes the event.
 */
public final class KeyNotEvaluatedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient ReadFailure failure;

  /** The exception for key {@code keyArn}, left undecided by {@code failure}. */
  public KeyNotEvaluatedException(String keyArn, ReadFailure failure) {
    super("key " + keyArn + " not evaluated: " + failure.explanation());
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  /** The read that failed. */
  public ReadFailure failure() {
    return failure;
  }
}
