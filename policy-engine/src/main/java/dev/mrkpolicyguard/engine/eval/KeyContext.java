package dev.mrkpolicyguard.engine.eval;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key a policy is attached to, as far as policy evaluation needs it.
 *
 * @param keyArn {@code arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID}
 */
public record KeyContext(String keyArn) {
  private static final Pattern KEY_ARN =
      Pattern.compile("arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\\d{12}):key/(.+)");

  public KeyContext {
    Objects.requireNonNull(keyArn, "keyArn");
    if (!KEY_ARN.matcher(keyArn).matches()) {
      throw new IllegalArgumentException(
          "not a KMS key ARN: '" + keyArn + "' (expected arn:aws:kms:REGION:ACCOUNT:key/KEY-ID)");
    }
  }

  /** Parses a key ARN, or empty when the text is not one. */
  public static Optional<KeyContext> parse(String keyArn) {
    return keyArn != null && KEY_ARN.matcher(keyArn).matches()
        ? Optional.of(new KeyContext(keyArn))
        : Optional.empty();
  }

  private Matcher parts() {
    Matcher m = KEY_ARN.matcher(keyArn);
    m.matches();
    return m;
  }

  /** The partition, e.g. {@code aws}. */
  public String partition() {
    return parts().group(1);
  }

  /** The key's Region. */
  public String region() {
    return parts().group(2);
  }

  /** The key's account. */
  public String accountId() {
    return parts().group(3);
  }

  /** The key id, e.g. {@code mrk-1234...}. */
  public String keyId() {
    return parts().group(4);
  }

  /** The same key id in another Region: how a multi-Region key's related keys are named. */
  public KeyContext inRegion(String region) {
    return new KeyContext(
        "arn:" + partition() + ":kms:" + region + ":" + accountId() + ":key/" + keyId());
  }
}
