package dev.mrkpolicyguard.audit;

import java.util.Objects;

/**
 * Something a capture could not read after the SDK's retries: one key (its DescribeKey failed), or
 * a whole Region's key list (ListKeys failed). Such keys cannot be judged, so they make an audit
 * partial; they are listed, never dropped.
 *
 * @param region the Region
 * @param keyArn the key, or {@code null} when the Region's keys could not be listed
 * @param operation the KMS operation that failed, e.g. {@code DescribeKey}
 * @param code the error code AWS answered (or the SDK's exception name when there was no answer)
 * @param message the error message
 */
public record NotRead(String region, String keyArn, String operation, String code, String message) {
  public NotRead {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  /** What could not be read: the key ARN, or the Region's key list. */
  public String subject() {
    return keyArn != null ? keyArn : "every key in " + region + " (they could not be listed)";
  }

  /** Why, in words, with the permission to check. */
  public String reason() {
    return "kms:" + operation + " failed in " + region + " (" + code + "): " + message;
  }
}
