package dev.mrkpolicyguard.core;

/**
 * An AWS call behind a port failed after the adapter's retries, for a reason the caller reports
 * rather than decides on: its message is the service's (or the client's) own.
 */
public final class AwsCallFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String detail;

  /**
   * @param detail {@code Code: message} as AWS answered, or the client's message when it did not
   * @param message the exception's own message, as the client gave it
   * @param cause the client's exception
   */
  public AwsCallFailed(String detail, String message, Throwable cause) {
    super(message, cause);
    this.detail = detail;
  }

  /** The failure in words: {@code an AWS call failed (Code: message)}. */
  public String describe() {
    return "an AWS call failed (" + detail + ")";
  }
}
