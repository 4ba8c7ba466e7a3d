package dev.mrkpolicyguard.iac;

import dev.mrkpolicyguard.engine.rule.PolicyFact;
import java.util.Objects;

/**
 * Where the policy of a primary that is not in the inputs comes from: a file ({@code
 * --primary-policy}), or the primary's current policy in AWS ({@code --live}, the hook).
 */
@FunctionalInterface
public interface PrimarySource {
  /** No source: every primary outside the inputs stays unjudged. */
  PrimarySource NONE = arn -> null;

  /**
   * The primary {@code primaryArn} as read, or {@code null} when this source has nothing for it.
   */
  Primary read(String primaryArn);

  /**
   * A primary's policy and, where known, its key usage and spec.
   *
   * @param policy the policy, or why it could not be read
   * @param keyUsage DescribeKey's KeyUsage, or {@code null}
   * @param keySpec DescribeKey's KeySpec, or {@code null}
   * @param source where it came from, for messages ({@code "primary.json"}, {@code "live"})
   */
  record Primary(PolicyFact policy, String keyUsage, String keySpec, String source) {
    public Primary {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(source, "source");
    }
  }
}
