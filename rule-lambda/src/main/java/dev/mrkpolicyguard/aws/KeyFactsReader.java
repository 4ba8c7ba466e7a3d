package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.rule.KeyFacts;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.MultiRegionConfiguration;
import software.amazon.awssdk.services.kms.model.MultiRegionKeyType;

/**
 * Gathers what the decider needs about one key from KMS: DescribeKey for its role, primary, state
 * and manager; GetKeyPolicy for its policy; and for a replica its primary's policy, read in the
 * primary's Region. Makes no decisions. One reader serves one invocation: it reads each distinct
 * primary's policy once, however many replicas share it, even when keys are read concurrently.
 */
public final class KeyFactsReader {
  /** The key state given for keys whose metadata is not read (single-Region by their key ID). */
  public static final String STATE_NOT_READ = "NotRead";

  private static final String POLICY_NAME = "default";

  private final Function<String, KmsClient> kmsInRegion;
  private final ConcurrentMap<String, CompletableFuture<PolicyFact>> primaryPolicies =
      new ConcurrentHashMap<>();

  /** A reader that gets the KMS client of a Region from {@code kmsInRegion}. */
  public KeyFactsReader(Function<String, KmsClient> kmsInRegion) {
    this.kmsInRegion = Objects.requireNonNull(kmsInRegion, "kmsInRegion");
  }

  /**
   * Whether a key ID can only belong to a single-Region key: multi-Region key IDs, and only they,
   * start with {@code mrk-} (KMS developer guide, multi-region-keys-overview).
   */
  public static boolean isSingleRegionKeyId(String keyId) {
    return !keyId.startsWith("mrk-");
  }

  /** The facts of a key known to be single-Region from its ID: no call is needed. */
  public static KeyFacts singleRegion(String keyArn) {
    return new KeyFacts(
        keyArn,
        KeyRole.SINGLE_REGION,
        null,
        false,
        STATE_NOT_READ,
        new PolicyFact.NotNeeded(),
        new PolicyFact.NotNeeded());
  }

  /**
   * Reads the facts of the key {@code keyArn}. An unreadable policy (access denied, not found) is a
   * fact; a failing DescribeKey, or any error left after the SDK's retries, is thrown as the SDK
   * exception.
   */
  public KeyFacts read(String keyArn) {
    KmsClient kms = kmsInRegion.apply(regionOf(keyArn));
    KeyMetadata key = kms.describeKey(r -> r.keyId(keyArn)).keyMetadata();
    String arn = key.arn() == null ? keyArn : key.arn();
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
      // A transient failure is not cached: the next replica of this primary tries again.
      primaryPolicies.remove(primaryArn, mine);
      mine.completeExceptionally(e);
      throw e;
    }
    return mine.join();
  }

  private static PolicyFact policy(KmsClient kms, String keyArn) {
    try {
      String json = kms.getKeyPolicy(r -> r.keyId(keyArn).policyName(POLICY_NAME)).policy();
      return new PolicyFact.Known(json);
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
      if ("AccessDeniedException".equals(code)) {
        return new PolicyFact.Unreadable(
            code, "kms:GetKeyPolicy on " + keyArn + " was denied; allow it to the rule's role");
      }
      if ("NotFoundException".equals(code)) {
        return new PolicyFact.Unreadable(
            code, "kms:GetKeyPolicy on " + keyArn + " found no such key (NotFoundException)");
      }
      throw e;
    }
  }

  private static String regionOf(String keyArn) {
    return KeyContext.parse(keyArn)
        .orElseThrow(() -> new IllegalArgumentException("not a KMS key ARN: " + keyArn))
        .region();
  }
}
