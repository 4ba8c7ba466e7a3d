package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.core.AwsCallFailed;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.remediation.KeyPolicies;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/** Remediation's {@link KeyPolicies} over KMS, in the Region of each key. */
public final class KmsKeyPolicies implements KeyPolicies {
  private static final String POLICY_NAME = "default";

  private final Function<String, KmsClient> kmsInRegion;
  private final Duration writeTimeout;

  /**
   * @param kmsInRegion the KMS client of a Region
   * @param writeTimeout the most one PutKeyPolicy attempt may take; it is not retried after that
   */
  public KmsKeyPolicies(Function<String, KmsClient> kmsInRegion, Duration writeTimeout) {
    this.kmsInRegion = Objects.requireNonNull(kmsInRegion, "kmsInRegion");
    this.writeTimeout = Objects.requireNonNull(writeTimeout, "writeTimeout");
  }

  @Override
  public Description describe(String region, String keyId) {
    KeyMetadata meta;
    try {
      meta = kmsInRegion.apply(region).describeKey(r -> r.keyId(keyId)).keyMetadata();
    } catch (NotFoundException e) {
      return new Description.NotFound();
    } catch (SdkException e) {
      throw failed(e);
    }
    var multiRegion = meta.multiRegionConfiguration();
    boolean isMultiRegion = Boolean.TRUE.equals(meta.multiRegion()) && multiRegion != null;
    return new Description.Found(
        meta.arn(),
        isMultiRegion ? multiRegion.multiRegionKeyTypeAsString() : null,
        meta.keyStateAsString(),
        isMultiRegion && multiRegion.primaryKey() != null ? multiRegion.primaryKey().arn() : null);
  }

  @Override
  public String policy(KeyContext key) {
    try {
      return kmsInRegion
          .apply(key.region())
          .getKeyPolicy(r -> r.keyId(key.keyArn()).policyName(POLICY_NAME))
          .policy();
    } catch (SdkException e) {
      throw failed(e);
    }
  }

  @Override
  public Put put(KeyContext key, String policy) {
    try {
      // The lockout safety check stays on: never BypassPolicyLockoutSafetyCheck.
      kmsInRegion
          .apply(key.region())
          .putKeyPolicy(
              r ->
                  r.keyId(key.keyArn())
                      .policyName(POLICY_NAME)
                      .policy(policy)
                      .bypassPolicyLockoutSafetyCheck(false)
                      .overrideConfiguration(o -> o.apiCallAttemptTimeout(writeTimeout)));
    } catch (AwsServiceException e) {
      if (e.statusCode() == 400 && !e.isThrottlingException()) {
        return new Put.Refused(AwsErrors.code(e), AwsErrors.message(e));
      }
      return new Put.Unknown(failed(e).describe());
    } catch (SdkException e) {
      return new Put.Unknown(failed(e).describe());
    }
    return new Put.Written();
  }

  /** {@code e} as the core's failure, worded as remediation reports it. */
  static AwsCallFailed failed(SdkException e) {
    String detail =
        e instanceof AwsServiceException service
            ? AwsErrors.code(service) + ": " + AwsErrors.message(service)
            : e.getMessage();
    return new AwsCallFailed(detail, e.getMessage(), e);
  }
}
