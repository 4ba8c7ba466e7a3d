package dev.mrkpolicyguard.cli;

/** Bad command-line usage or input; the message says what to change. */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
