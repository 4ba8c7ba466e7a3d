package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.core.KeyArn;
import dev.mrkpolicyguard.core.KeyReader;
import dev.mrkpolicyguard.core.ReadFailure;
import dev.mrkpolicyguard.engine.rule.KeyFacts;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.MultiRegionConfiguration;
import software.amazon.awssdk.services.kms.model.MultiRegionKeyType;

/**
 * Gathers what the decider needs about one key from KMS: DescribeKey for its role, primary, state
 * and manager; GetKeyPolicy for its policy; and for a replica its primary's policy, read in the
 * primary's Region: the {@link KeyReader} over KMS. Makes no decisions; failures are classified by
 * {@link ReadFailure}, the error policy the live audit shares. One reader serves one invocation: it
 * reads each distinct primary's policy once, however many replicas share it, even when keys are
 * read concurrently.
 */
public final class KeyFactsReader implements KeyReader {
  private static final String POLICY_NAME = "default";

  private final Function<String, KmsClient> kmsInRegion;
  private final ConcurrentMap<String, CompletableFuture<PolicyFact>> primaryPolicies =
      new ConcurrentHashMap<>();

  /** A reader that gets the KMS client of a Region from {@code kmsInRegion}. */
  public KeyFactsReader(Function<String, KmsClient> kmsInRegion) {
    this.kmsInRegion = Objects.requireNonNull(kmsInRegion, "kmsInRegion");
  }

  /**
   * Reads the key {@code keyArn}, classifying every failure left after the SDK's retries as {@link
   * ReadFailure} says. Never throws an SDK exception.
   */
  @Override
  public Read read(String keyArn) {
    KmsClient kms = kmsInRegion.apply(regionOf(keyArn));
    KeyMetadata key;
    try {
      key = kms.describeKey(r -> r.keyId(keyArn)).keyMetadata();
    } catch (SdkException e) {
      ReadFailure failure = AwsErrors.readFailure("DescribeKey", e);
      return failure.unreadable()
          ? new Read.Unreadable(keyArn, failure)
          : new Read.NotEvaluated(keyArn, failure);
    }
    String arn = key.arn() == null ? keyArn : key.arn();
    try {
      return new Read.Facts(facts(kms, arn, key));
    } catch (Retry retry) {
      return new Read.NotEvaluated(arn, retry.failure);
    }
  }

  private KeyFacts facts(KmsClient kms, String arn, KeyMetadata key) {
    boolean awsManaged = key.keyManager() == KeyManagerType.AWS;
    String state = key.keyStateAsString();
    MultiRegionConfiguration multiRegion = key.multiRegionConfiguration();
    if (awsManaged || !Boolean.TRUE.equals(key.multiRegion()) || multiRegion == null) {
      return new KeyFacts(
          arn,
          KeyRole.SINGLE_REGION,
          null,
          awsManaged,
          state,
          new PolicyFact.NotNeeded(),
          new PolicyFact.NotNeeded());
    }
    PolicyFact policy = policy(kms, arn);
    if (multiRegion.multiRegionKeyType() == MultiRegionKeyType.PRIMARY) {
      return new KeyFacts(
              arn, KeyRole.PRIMARY, arn, false, state, policy, new PolicyFact.NotNeeded())
          .withUsage(key.keyUsageAsString(), key.keySpecAsString());
    }
    String primaryArn = multiRegion.primaryKey().arn();
    return new KeyFacts(
            arn, KeyRole.REPLICA, primaryArn, false, state, policy, primaryPolicy(primaryArn))
        .withUsage(key.keyUsageAsString(), key.keySpecAsString());
  }

  /** The primary's policy, read once per reader (concurrent callers wait for the one read). */
  private PolicyFact primaryPolicy(String primaryArn) {
    CompletableFuture<PolicyFact> mine = new CompletableFuture<>();
    CompletableFuture<PolicyFact> existing = primaryPolicies.putIfAbsent(primaryArn, mine);
    if (existing != null) {
      try {
        return existing.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException cause ? cause : e;
      }
    }
    try {
      mine.complete(policy(kmsInRegion.apply(regionOf(primaryArn)), primaryArn));
    } catch (RuntimeException e) {
      // A failure to retry is not cached: the next replica of this primary tries again.
      primaryPolicies.remove(primaryArn, mine);
      mine.completeExceptionally(e);
      throw e;
    }
    return mine.join();
  }

  /** The policy, or why it cannot be read; throws {@link Retry} for a failure to retry. */
  private static PolicyFact policy(KmsClient kms, String keyArn) {
    try {
      String json = kms.getKeyPolicy(r -> r.keyId(keyArn).policyName(POLICY_NAME)).policy();
      return new PolicyFact.Known(json);
    } catch (SdkException e) {
      ReadFailure failure = AwsErrors.readFailure("GetKeyPolicy", e);
      if (failure.unreadable()) {
        return failure.policyFact();
      }
      throw new Retry(failure, e);
    }
  }

  /** A read failure that leaves the key not evaluated; carried out of the fact gathering. */
  private static final class Retry extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ReadFailure failure;

    Retry(ReadFailure failure, SdkException cause) {
      super(failure.explanation(), cause, false, false);
      this.failure = failure;
    }
  }

  private static String regionOf(String keyArn) {
    return KeyArn.of(keyArn).region();
  }
}
