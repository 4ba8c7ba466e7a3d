package dev.mrkpolicyguard.core;

import dev.mrkpolicyguard.engine.rule.KeyFacts;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The rule's {@link KeyReader} over {@link KmsKeys}: DescribeKey for a key's role, primary, state
 * and manager; GetKeyPolicy for its policy; and for a replica its primary's policy. Makes no
 * decisions; failures are classified by {@link ReadFailure}, the error policy the live audit
 * shares. One reader serves one invocation: it reads each distinct primary's policy once, however
 * many replicas share it, even when keys are read concurrently.
 */
public final class KeyFactsReader implements KeyReader {
  private final KmsKeys kms;
  private final ConcurrentMap<String, CompletableFuture<PolicyFact>> primaryPolicies =
      new ConcurrentHashMap<>();

  /** A reader whose calls go through {@code kms}. */
  public KeyFactsReader(KmsKeys kms) {
    this.kms = Objects.requireNonNull(kms, "kms");
  }

  /**
   * Reads the key {@code keyArn}, classifying every failure left after the adapter's retries as
   * {@link ReadFailure} says. Never throws for one.
   */
  @Override
  public Read read(String keyArn) {
    KmsRead<KeyDescription> described = kms.describe(keyArn);
    if (described instanceof KmsRead.Failed<KeyDescription> failed) {
      ReadFailure failure = failed.failure();
      return failure.unreadable()
          ? new Read.Unreadable(keyArn, failure)
          : new Read.NotEvaluated(keyArn, failure);
    }
    KeyDescription key = ((KmsRead.Answered<KeyDescription>) described).value();
    try {
      return new Read.Facts(facts(key));
    } catch (Retry retry) {
      return new Read.NotEvaluated(key.arn(), retry.failure);
    }
  }

  private KeyFacts facts(KeyDescription key) {
    if (key.role() == KeyRole.SINGLE_REGION) {
      return new KeyFacts(
          key.arn(),
          KeyRole.SINGLE_REGION,
          null,
          key.awsManaged(),
          key.keyState(),
          new PolicyFact.NotNeeded(),
          new PolicyFact.NotNeeded());
    }
    PolicyFact policy = policy(key.arn());
    PolicyFact primaryPolicy =
        key.role() == KeyRole.PRIMARY
            ? new PolicyFact.NotNeeded()
            : primaryPolicy(key.primaryArn());
    return new KeyFacts(
            key.arn(), key.role(), key.primaryArn(), false, key.keyState(), policy, primaryPolicy)
        .withUsage(key.keyUsage(), key.keySpec());
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
      mine.complete(policy(primaryArn));
    } catch (RuntimeException e) {
      // A failure to retry is not cached: the next replica of this primary tries again.
      primaryPolicies.remove(primaryArn, mine);
      mine.completeExceptionally(e);
      throw e;
    }
    return mine.join();
  }

  /** The policy, or why it cannot be read; throws {@link Retry} for a failure to retry. */
  private PolicyFact policy(String keyArn) {
    KmsRead<String> read = kms.policy(keyArn);
    if (read instanceof KmsRead.Answered<String> answered) {
      return new PolicyFact.Known(answered.value());
    }
    ReadFailure failure = ((KmsRead.Failed<String>) read).failure();
    if (failure.unreadable()) {
      return failure.policyFact();
    }
    throw new Retry(failure);
  }

  /** A read failure that leaves the key not evaluated; carried out of the fact gathering. */
  private static final class Retry extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ReadFailure failure;

    Retry(ReadFailure failure) {
      super(failure.explanation(), null, false, false);
      this.failure = failure;
    }
  }
}
