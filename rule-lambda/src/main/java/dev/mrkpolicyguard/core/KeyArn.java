package dev.mrkpolicyguard.core;

import dev.mrkpolicyguard.engine.eval.KeyContext;
import java.util.Objects;
import java.util.Optional;

/**
 * A KMS key ARN, parsed once: {@code arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID} (KMS developer
 * guide, concepts, key ARN). Its text is {@link #toString()}.
 */
public record KeyArn(String partition, String region, String accountId, String keyId) {
  public KeyArn {
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(keyId, "keyId");
    String text = "arn:" + partition + ":kms:" + region + ":" + accountId + ":key/" + keyId;
    if (KeyContext.parse(text).isEmpty()) {
      throw new IllegalArgumentException(
          "not a KMS key ARN: '" + text + "' (expected arn:aws:kms:REGION:ACCOUNT:key/KEY-ID)");
    }
  }

  /** The ARN in {@code text}, or empty when it is not a KMS key ARN. */
  public static Optional<KeyArn> parse(String text) {
    return KeyContext.parse(text)
        .map(k -> new KeyArn(k.partition(), k.region(), k.accountId(), k.keyId()));
  }

  /**
   * The ARN in {@code text}; throws {@link IllegalArgumentException} saying what a key ARN looks
   * like when it is not one.
   */
  public static KeyArn of(String text) {
    return parse(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "not a KMS key ARN: '"
                        + text
                        + "' (expected arn:aws:kms:REGION:ACCOUNT:key/KEY-ID)"));
  }

  /**
   * Whether the key ID says multi-Region: multi-Region key IDs, and only they, start with {@code
   * mrk-} (KMS developer guide, multi-region-keys-overview).
   */
  public boolean multiRegion() {
    return !KeyReader.isSingleRegionKeyId(keyId);
  }

  @Override
  public String toString() {
    return "arn:" + partition + ":kms:" + region + ":" + accountId + ":key/" + keyId;
  }
}
