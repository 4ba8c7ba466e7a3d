package dev.mrkpolicyguard.localaws.protocol;

/**
 * An AWS error answer (code, message, HTTP status) raised by an operation handler.
 *
 * <p>Handlers throw it because an AWS error ends the request at any depth, exactly like the
 * service's own error path; the protocol layer turns it into the wire format of the service.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final int status;

  public ApiException(String code, int status, String message) {
    super(message, null, false, false);
    this.code = code;
    this.status = status;
  }

  /** A client error (HTTP 400), the status of nearly every modeled AWS error. */
  public static ApiException client(String code, String message) {
    return new ApiException(code, 400, message);
  }

  /** The generic constraint-violation error AWS services answer for invalid input. */
  public static ApiException validation(String message) {
    return new ApiException("ValidationException", 400, message);
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }

  /** Whether the caller is at fault (XML errors say {@code Sender}, otherwise {@code Receiver}). */
  public boolean senderFault() {
    return status < 500;
  }
}
