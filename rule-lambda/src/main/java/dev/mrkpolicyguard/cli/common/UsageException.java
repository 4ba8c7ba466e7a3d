package dev.mrkpolicyguard.cli.common;

/** Bad command-line usage or input; the message says what to change. */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
