package dev.mrkpolicyguard.engine.eval;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key a policy is attached to, as far as policy evaluation needs it: its ARN {@code
 * arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID}, parsed once, and what DescribeKey says of it where
 * known: its multi-Region role ({@code kms:MultiRegionKeyType}), its key usage and key spec.
 */
public final class KeyContext {
  /** The value of {@code kms:MultiRegionKeyType} for a primary key. */
  public static final String PRIMARY = "PRIMARY";

  /** The value of {@code kms:MultiRegionKeyType} for a replica key. */
  public static final String REPLICA = "REPLICA";

  private static final Pattern KEY_ARN =
      Pattern.compile("arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\\d{12}):key/(.+)");

  private final String keyArn;
  private final String partition;
  private final String region;
  private final String accountId;
  private final String keyId;
  private final String multiRegionKeyType;
  private final String keyUsage;
  private final String keySpec;

  /** Parses a key ARN; throws if it is not one (use {@link #parse} for untrusted input). */
  public KeyContext(String keyArn) {
    this(keyArn, null, null, null);
  }

  private KeyContext(String keyArn, String multiRegionKeyType, String keyUsage, String keySpec) {
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
    this.multiRegionKeyType = multiRegionKeyType;
    this.keyUsage = keyUsage;
    this.keySpec = keySpec;
  }

  /** This key as a multi-Region primary key. */
  public KeyContext asPrimary() {
    return new KeyContext(keyArn, PRIMARY, keyUsage, keySpec);
  }

  /** This key as a multi-Region replica key. */
  public KeyContext asReplica() {
    return new KeyContext(keyArn, REPLICA, keyUsage, keySpec);
  }

  /**
   * This key with its DescribeKey {@code KeyUsage} and {@code KeySpec} (either may be null when
   * unknown), which decide the cryptographic operations it can perform.
   */
  public KeyContext withUsage(String usage, String spec) {
    return new KeyContext(keyArn, multiRegionKeyType, usage, spec);
  }

  /** Whether the key ID names a multi-Region key ({@code mrk-} prefix). */
  public boolean multiRegion() {
    return keyId.startsWith("mrk-");
  }

  /** {@code PRIMARY} or {@code REPLICA} where known, else empty. */
  public Optional<String> multiRegionKeyType() {
    return Optional.ofNullable(multiRegionKeyType);
  }

  /** The key usage where known, e.g. {@code ENCRYPT_DECRYPT}. */
  public Optional<String> keyUsage() {
    return Optional.ofNullable(keyUsage);
  }

  /** The key spec where known, e.g. {@code SYMMETRIC_DEFAULT}. */
  public Optional<String> keySpec() {
    return Optional.ofNullable(keySpec);
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
        "arn:" + partition + ":kms:" + otherRegion + ":" + accountId + ":key/" + keyId,
        multiRegionKeyType,
        keyUsage,
        keySpec);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KeyContext k
        && k.keyArn.equals(keyArn)
        && Objects.equals(k.multiRegionKeyType, multiRegionKeyType)
        && Objects.equals(k.keyUsage, keyUsage)
        && Objects.equals(k.keySpec, keySpec);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyArn, multiRegionKeyType, keyUsage, keySpec);
  }

  @Override
  public String toString() {
    return keyArn;
  }
}
