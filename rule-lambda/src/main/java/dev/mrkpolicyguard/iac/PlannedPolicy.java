package dev.mrkpolicyguard.iac;

import java.util.Objects;

/** The key policy a resource will have once deployed, as far as the input says. */
public sealed interface PlannedPolicy {
  /** The policy document, every value resolved. */
  record Given(String json) implements PlannedPolicy {
    public Given {
      Objects.requireNonNull(json, "json");
    }
  }

  /**
   * No policy is given, so KMS (or CloudFormation) attaches the default key policy: the key's
   * account, through IAM (KMS developer guide, "Default key policy").
   */
  record KmsDefault() implements PlannedPolicy {}

  /**
   * The policy cannot be known before deployment.
   *
   * @param code why, as a stable code
   * @param reason what is unknown and how to make it known
   */
  record NotKnown(IacCode code, String reason) implements PlannedPolicy {
    public NotKnown {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The default key policy of a key in {@code accountId} in {@code partition}. */
  public static String defaultPolicy(String partition, String accountId) {
    return "{\"Version\":\"2012-10-17\",\"Id\":\"key-default-1\",\"Statement\":[{\"Sid\":"
        + "\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:"
        + partition
        + ":iam::"
        + accountId
        + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
  }
}
