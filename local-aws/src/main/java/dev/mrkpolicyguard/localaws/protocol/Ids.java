package dev.mrkpolicyguard.localaws.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;

/** Identifier helpers: stable IDs derived from a name, and fresh random ones. */
public final class Ids {
  private Ids() {}

  /** A stable IAM-style unique ID (prefix + 17 upper-case characters) derived from a name. */
  public static String stable(String prefix, String name) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return prefix
          + HexFormat.of().formatHex(digest, 0, 9).substring(0, 17).toUpperCase(Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** A fresh request ID in the UUID form AWS services use. */
  public static String requestId() {
    return UUID.randomUUID().toString();
  }
}
