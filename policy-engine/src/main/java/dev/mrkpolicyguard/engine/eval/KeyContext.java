package dev.mrkpolicyguard.engine.eval;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key a policy is attached to, as far as policy evaluation needs it: its ARN {@code
 * arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID}, parsed once.
 */
public final class KeyContext {
  private static final Pattern KEY_ARN =
      Pattern.compile("arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\\d{12}):key/(.+)");

  private final String keyArn;
  private final String partition;
  private final String region;
  private final String accountId;
  private final String keyId;

  /** Parses a key ARN; throws if it is not one (use {@link #parse} for untrusted input). */
  public KeyContext(String keyArn) {
    Objects.requireNonNull(keyArn, "keyArn");
    Matcher m = KEY_ARN.matcher(keyArn);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a KMS key ARN: '" + keyArn + "' (expected arn:aws:kms:REGION:ACCOUNT:key/KEY-ID)");
    }
    this.keyArn = keyArn;
    this.partition = m.group(1);
    this.region = m.group(2);
    this.accountId = m.group(3);
    this.keyId = m.group(4);
  }

  /** Parses a key ARN, or empty when the text is not one. */
  public static Optional<KeyContext> parse(String keyArn) {
    return keyArn != null && KEY_ARN.matcher(keyArn).matches()
        ? Optional.of(new KeyContext(keyArn))
        : Optional.empty();
  }

  /** The key ARN. */
  public String keyArn() {
    return keyArn;
  }

  /** The partition, e.g. {@code aws}. */
  public String partition() {
    return partition;
  }

  /** The key's Region. */
  public String region() {
    return region;
  }

  /** The key's account. */
  public String accountId() {
    return accountId;
  }

  /** The key id, e.g. {@code mrk-1234...}. */
  public String keyId() {
    return keyId;
  }

  /** The same key id in another Region: how a multi-Region key's related keys are named. */
  public KeyContext inRegion(String otherRegion) {
    return new KeyContext(
        "arn:" + partition + ":kms:" + otherRegion + ":" + accountId + ":key/" + keyId);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KeyContext k && k.keyArn.equals(keyArn);
  }

  @Override
  public int hashCode() {
    return keyArn.hashCode();
  }

  @Override
  public String toString() {
    return keyArn;
  }
}
