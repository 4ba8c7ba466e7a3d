package dev.mrkpolicyguard.rule;

/**
 * The invocation cannot run as configured (bad event, rule parameter or baseline); thrown from the
 * handler so Lambda reports the error, after nothing was posted. The message says what to fix.
 */
public final class RuleConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RuleConfigurationException(String message) {
    super(message);
  }

  /** The exception saying {@code message}, caused by {@code cause}. */
  public RuleConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
