package dev.mrkpolicyguard.engine.rule;

import java.util.Objects;

/** A key policy as read, or why it could not be read. */
public sealed interface PolicyFact {

  /** The policy document as KMS returned it. */
  record Known(String json) implements PolicyFact {
    public Known {
      Objects.requireNonNull(json, "json");
    }
  }

  /**
   * The policy could not be read.
   *
   * @param errorCode the AWS error code, e.g. {@code AccessDeniedException}
   * @param message what happened, including which permission is missing where known
   */
  record Unreadable(String errorCode, String message) implements PolicyFact {
    public Unreadable {
      Objects.requireNonNull(errorCode, "errorCode");
      Objects.requireNonNull(message, "message");
    }
  }

  /** The policy was not read because it is not needed (single-Region keys' primaries). */
  record NotNeeded() implements PolicyFact {}
}
