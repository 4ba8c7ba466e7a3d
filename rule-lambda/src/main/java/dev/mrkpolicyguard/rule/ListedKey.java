package dev.mrkpolicyguard.rule;

import java.util.Objects;

/** A key of the rule's Region as ListKeys names it. */
public record ListedKey(String keyId, String keyArn) {
  public ListedKey {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(keyArn, "keyArn");
  }
}
