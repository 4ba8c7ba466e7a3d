package dev.mrkpolicyguard.remediation;

import dev.mrkpolicyguard.engine.eval.KeyContext;
import java.util.Objects;

/**
 * The port remediation reads and writes key policies through (KMS DescribeKey, GetKeyPolicy,
 * PutKeyPolicy). Reads that fail throw {@link dev.mrkpolicyguard.core.AwsCallFailed}; a write's
 * outcome is a value, as "refused" and "unknown" call for different answers.
 */
public interface KeyPolicies {
  /** What DescribeKey says of {@code keyId} in {@code region}. */
  Description describe(String region, String keyId);

  /** The policy named {@code default} of {@code key}. */
  String policy(KeyContext key);

  /**
   * Writes {@code policy} as {@code key}'s policy with KMS's lockout safety check on (never
   * BypassPolicyLockoutSafetyCheck), one attempt bounded by the adapter's write timeout.
   */
  Put put(KeyContext key, String policy);

  /** DescribeKey's answer. */
  sealed interface Description {
    /**
     * The key was found.
     *
     * @param multiRegionType {@code PRIMARY}, {@code REPLICA}, or {@code null} for a single-Region
     *     key
     * @param primaryArn the primary's ARN for a multi-Region key, else {@code null}
     */
    record Found(String arn, String multiRegionType, String state, String primaryArn)
        implements Description {
      public Found {
        Objects.requireNonNull(arn, "arn");
      }
    }

    /** No such key in this account and Region (NotFoundException). */
    record NotFound() implements Description {}
  }

  /** What PutKeyPolicy gave. */
  sealed interface Put {
    /** KMS accepted the policy. */
    record Written() implements Put {}

    /** KMS refused the policy (a 400 that is not throttling): the previous one stays in force. */
    record Refused(String code, String message) implements Put {}

    /** The answer says nothing of whether the write took effect (5xx, timeout, connection). */
    record Unknown(String error) implements Put {}
  }
}
