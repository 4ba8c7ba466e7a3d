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
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.MultiRegionConfiguration;
import software.amazon.awssdk.services.kms.model.MultiRegionKeyType;

/**
 * Gathers what the decider needs about one key from KMS: DescribeKey for its role, primary, state
 * and manager; GetKeyPolicy for its policy; and for a replica its primary's policy, read in the
 * primary's Region. Makes no decisions; failures are classified by {@link ReadFailure}, the error
 * policy the live audit shares. One reader serves one invocation: it reads each distinct primary's
 * policy once, however many replicas share it, even when keys are read concurrently.
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

  /** What reading one key gave: its facts, or why it could not be read. */
  public sealed interface Read {
    /** The key's ARN as asked for (or as DescribeKey gave it). */
    String keyArn();

    /**
     * The key's facts; a policy that could not be read for a standing reason is an unreadable fact
     * in them.
     */
    record Facts(KeyFacts facts) implements Read {
      public Facts {
        Objects.requireNonNull(facts, "facts");
      }

      @Override
      public String keyArn() {
        return facts.keyArn();
      }
    }

    /**
     * DescribeKey failed for a standing reason ({@link ReadFailure#unreadable()}): the key is
     * judged from that alone ({@link ReadFailure#keyEvaluation}).
     */
    record Unreadable(String keyArn, ReadFailure failure) implements Read {
      public Unreadable {
        Objects.requireNonNull(keyArn, "keyArn");
        if (!failure.unreadable()) {
          throw new IllegalArgumentException("not a standing failure: " + failure);
        }
      }
    }

    /**
     * A read this key needs (DescribeKey, its policy or its primary's) failed in a way that says
     * nothing about the key: it is not judged this time.
     *
     * @param cause the SDK's exception, for a caller that wants to fail with it
     */
    record NotEvaluated(String keyArn, ReadFailure failure, SdkException cause) implements Read {
      public NotEvaluated {
        Objects.requireNonNull(keyArn, "keyArn");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(cause, "cause");
      }
    }
  }

  /**
   * Reads the key {@code keyArn}, classifying every failure left after the SDK's retries as {@link
   * ReadFailure} says. Never throws an SDK exception.
   */
  public Read read(String keyArn) {
    KmsClient kms = kmsInRegion.apply(regionOf(keyArn));
    KeyMetadata key;
    try {
      key = kms.describeKey(r -> r.keyId(keyArn)).keyMetadata();
    } catch (SdkException e) {
      ReadFailure failure = ReadFailure.of("DescribeKey", e);
      return failure.unreadable()
          ? new Read.Unreadable(keyArn, failure)
          : new Read.NotEvaluated(keyArn, failure, e);
    }
    String arn = key.arn() == null ? keyArn : key.arn();
    try {
      return new Read.Facts(facts(kms, arn, key));
    } catch (Retry retry) {
      return new Read.NotEvaluated(arn, retry.failure, retry.sdkCause);
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
      ReadFailure failure = ReadFailure.of("GetKeyPolicy", e);
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
    private final transient SdkException sdkCause;

    Retry(ReadFailure failure, SdkException cause) {
      super(failure.explanation(), cause, false, false);
      this.failure = failure;
      this.sdkCause = cause;
    }
  }

  private static String regionOf(String keyArn) {
    return KeyContext.parse(keyArn)
        .orElseThrow(() -> new IllegalArgumentException("not a KMS key ARN: " + keyArn))
        .region();
  }
}
