package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import dev.mrkpolicyguard.iac.PrimarySource;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * Reads a primary key's current policy, usage and spec from KMS in the primary's Region, with
 * read-only calls (DescribeKey, GetKeyPolicy), for {@code check-iac --live} and the CloudFormation
 * hook. A key that cannot be read is a fact ({@link PolicyFact.Unreadable}), never an exception.
 * Each primary is read once per reader.
 */
public final class LivePrimaryReader implements PrimarySource {
  private final Function<String, KmsClient> kmsInRegion;
  private final Duration callTimeout;
  private final Map<String, Primary> read = new ConcurrentHashMap<>();

  /**
   * @param kmsInRegion the KMS client of a Region
   * @param callTimeout the most one call may take, retries included
   */
  public LivePrimaryReader(Function<String, KmsClient> kmsInRegion, Duration callTimeout) {
    this.kmsInRegion = Objects.requireNonNull(kmsInRegion, "kmsInRegion");
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
  }

  /**
   * A reader over AWS (or {@code endpoint}) with the named profile's credentials, or the default
   * chain when {@code profile} is null.
   */
  public static PrimarySource connect(String profile, URI endpoint) {
    AwsCredentialsProvider credentials =
        profile == null
            ? DefaultCredentialsProvider.builder().build()
            : ProfileCredentialsProvider.builder().profileName(profile).build();
    SdkClientFactory clients = SdkClientFactory.forAws("us-east-1", endpoint, credentials);
    return new LivePrimaryReader(
        region -> clients.kms(region, credentials), Duration.ofSeconds(20));
  }

  @Override
  public Primary read(String primaryArn) {
    return read.computeIfAbsent(primaryArn, this::fetch);
  }

  private Primary fetch(String arn) {
    KeyContext key = KeyContext.parse(arn).orElse(null);
    if (key == null) {
      return unreadable("NotAKeyArn", "'" + arn + "' is not a KMS key ARN");
    }
    KmsClient kms = kmsInRegion.apply(key.region());
    try {
      KeyMetadata metadata =
          kms.describeKey(
                  r -> r.keyId(arn).overrideConfiguration(o -> o.apiCallTimeout(callTimeout)))
              .keyMetadata();
      String policy =
          kms.getKeyPolicy(
                  r ->
                      r.keyId(arn)
                          .policyName("default")
                          .overrideConfiguration(o -> o.apiCallTimeout(callTimeout)))
              .policy();
      return new Primary(
          new PolicyFact.Known(policy),
          metadata.keyUsageAsString(),
          metadata.keySpecAsString(),
          "live (" + key.region() + ")");
    } catch (AwsServiceException e) {
      String code = AwsErrors.code(e);
      String fix =
          "AccessDeniedException".equals(code)
              ? "; allow kms:DescribeKey and kms:GetKeyPolicy on it (and check SCPs that fence"
                  + " Regions)"
              : "";
      return unreadable(
          code, "reading " + arn + " in " + key.region() + " failed with " + code + fix);
    } catch (SdkException e) {
      return unreadable(
          "ClientError", "reading " + arn + " in " + key.region() + " failed: " + e.getMessage());
    }
  }

  private static Primary unreadable(String code, String message) {
    return new Primary(new PolicyFact.Unreadable(code, message), null, null, "live");
  }
}
