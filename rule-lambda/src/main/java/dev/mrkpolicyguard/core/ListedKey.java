package dev.mrkpolicyguard.core;

import java.util.Objects;

/** A key as ListKeys names it. */
public record ListedKey(String keyId, String keyArn) {
  public ListedKey {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(keyArn, "keyArn");
  }
}
