package dev.mrkpolicyguard.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * What a multi-account run read of one account: its snapshot document, or why nothing could be read
 * (the role could not be assumed, or the session could not identify itself).
 *
 * @param account the 12-digit account id
 * @param snapshot the captured snapshot document, or {@code null} when {@code reason} is set
 * @param reason why the account could not be read, or {@code null}
 */
record AccountCapture(String account, ObjectNode snapshot, String reason) {
  AccountCapture {
    Objects.requireNonNull(account, "account");
    if ((snapshot == null) == (reason == null)) {
      throw new IllegalArgumentException("exactly one of snapshot and reason");
    }
  }

  static AccountCapture read(String account, ObjectNode snapshot) {
    return new AccountCapture(account, snapshot, null);
  }

  static AccountCapture refused(String account, String reason) {
    return new AccountCapture(account, null, reason);
  }
}
