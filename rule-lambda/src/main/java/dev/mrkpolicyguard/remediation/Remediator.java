package dev.mrkpolicyguard.remediation;

import dev.mrkpolicyguard.engine.compare.Comparison;
import dev.mrkpolicyguard.engine.compare.PolicyComparator;
import dev.mrkpolicyguard.engine.compare.Verdict;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.parse.ParseResult;
import dev.mrkpolicyguard.engine.parse.PolicyParser;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import dev.mrkpolicyguard.engine.remediation.RemediationPlan;
import dev.mrkpolicyguard.engine.remediation.RemediationPlanner;
import dev.mrkpolicyguard.engine.rule.Baseline;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.MultiRegionKeyType;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * Realigns a replica's key policy to its primary's, or restores a backed-up policy, safely: it
 * writes only to a usable replica, backs up the policy in force first, refuses to write when the
 * policy changed since it was read, keeps KMS's lockout safety check on, and reads the result back
 * to verify it. Decisions come from the engine's {@link RemediationPlanner} and {@link
 * PolicyComparator}; every outcome, including AWS errors, is a {@link RemediationResult}.
 */
public final class Remediator {
  private static final String POLICY_NAME = "default";

  /** Key states in which a replica's policy is not rewritten (KMS key states, DescribeKey). */
  private static final Set<String> UNUSABLE_STATES =
      Set.of("PendingDeletion", "PendingReplicaDeletion", "Creating", "Updating");

  private final Function<String, KmsClient> kmsInRegion;
  private final BackupStore backups;
  private final Clock clock;
  private final PolicyComparator comparator = new PolicyComparator();
  private final RemediationPlanner planner = new RemediationPlanner(comparator);
  private final PolicyParser parser = new PolicyParser();

  /**
   * @param kmsInRegion the KMS client of a Region
   * @param backups where policies are saved before they are overwritten
   * @param clock the time of backups
   */
  public Remediator(Function<String, KmsClient> kmsInRegion, BackupStore backups, Clock clock) {
    this.kmsInRegion = Objects.requireNonNull(kmsInRegion, "kmsInRegion");
    this.backups = Objects.requireNonNull(backups, "backups");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Realigns the replica of {@code request} to its primary, within {@code baseline}. */
  public RemediationResult align(RemediationRequest request, Baseline baseline) {
    try {
      return alignOrRefuse(request, baseline);
    } catch (SdkException e) {
      return RemediationResult.failed(awsFailure(e) + "; nothing was written");
    }
  }

  /** Puts back the backup named by {@code request} on its replica. */
  public RemediationResult restore(RemediationRequest request) {
    try {
      return restoreOrRefuse(request);
    } catch (SdkException e) {
      return RemediationResult.failed(awsFailure(e) + "; nothing was written");
    }
  }

  private RemediationResult alignOrRefuse(RemediationRequest request, Baseline baseline) {
    KmsClient kms = kmsInRegion.apply(request.region());
    Replica replica = describe(kms, request.keyId());
    if (replica.refusal() != null) {
      return RemediationResult.refused(replica.refusal());
    }
    String primaryPolicy = policy(kmsInRegion.apply(replica.primary().region()), replica.primary());
    String current = policy(kms, replica.key());
    String sha = PolicyBackup.sha256(current);
    RemediationPlan plan =
        planner.plan(replica.key(), current, replica.primary(), primaryPolicy, baseline);
    if (plan instanceof RemediationPlan.NoChange noChange) {
      return new RemediationResult(
          Outcome.NO_CHANGE,
          "the replica already grants exactly what its primary ("
              + replica.primary().region()
              + ") grants",
          noChange.verdictBefore(),
          noChange.verdictBefore(),
          null,
          sha,
          null);
    }
    if (plan instanceof RemediationPlan.Refused refused) {
      return new RemediationResult(Outcome.REFUSED, refused.reason(), null, null, null, sha, null);
    }
    RemediationPlan.Apply apply = (RemediationPlan.Apply) plan;
    Verdict before = apply.before().verdict();
    String why = "align to primary " + replica.primary().keyArn() + " (replica was " + before + ")";
    if (request.dryRun()) {
      return dryRun(why, before, sha, apply.before(), apply.targetPolicy());
    }
    return write(kms, replica.key(), new Write(current, apply.targetPolicy(), why, before));
  }

  private RemediationResult restoreOrRefuse(RemediationRequest request) {
    KmsClient kms = kmsInRegion.apply(request.region());
    Replica replica = describe(kms, request.keyId());
    if (replica.refusal() != null) {
      return RemediationResult.refused(replica.refusal());
    }
    BackupStore.Loaded loaded = backups.load(request.backupUri());
    if (loaded instanceof BackupStore.Loaded.Unusable unusable) {
      return RemediationResult.refused(unusable.reason());
    }
    PolicyBackup backup = ((BackupStore.Loaded.Found) loaded).backup();
    if (!backup.keyArn().equals(replica.key().keyArn())) {
      return RemediationResult.refused(
          "the backup "
              + request.backupUri()
              + " belongs to "
              + backup.keyArn()
              + ", not to "
              + replica.key().keyArn());
    }
    if (!backup.intact()) {
      return RemediationResult.refused(
          "the backup "
              + request.backupUri()
              + " does not match its SHA-256: it was altered or damaged; not restoring it");
    }
    KeyPolicy restored = parse(backup.policy());
    if (restored == null) {
      return RemediationResult.refused("the backed-up policy is not a valid key policy");
    }
    String current = policy(kms, replica.key());
    String sha = PolicyBackup.sha256(current);
    String why = "restore " + request.backupUri();
    if (current.equals(backup.policy())) {
      return new RemediationResult(
          Outcome.NO_CHANGE,
          "the replica's policy is already the backed-up one",
          null,
          null,
          null,
          sha,
          null);
    }
    KeyPolicy now = parse(current);
    Comparison before = now == null ? null : comparator.compareForKey(restored, now, replica.key());
    Verdict verdictBefore = before == null ? null : before.verdict();
    if (request.dryRun()) {
      Comparison shown =
          before != null
              ? before
              : new Comparison(Verdict.UNDECIDED, java.util.List.of(), "current policy unreadable");
      return dryRun(why, verdictBefore, sha, shown, backup.policy());
    }
    return write(kms, replica.key(), new Write(current, backup.policy(), why, verdictBefore));
  }

  private RemediationResult dryRun(
      String why, Verdict before, String sha, Comparison comparison, String target) {
    return new RemediationResult(
        Outcome.DRY_RUN,
        "dry run: would " + why + "; nothing was written",
        before,
        null,
        null,
        sha,
        new RemediationResult.Diff(DiffText.changes(comparison), target));
  }

  /** What a write replaces: the policy as first read, the target, why, and the verdict before. */
  private record Write(String current, String target, String why, Verdict before) {}

  private RemediationResult write(KmsClient kms, KeyContext key, Write w) {
    String sha = PolicyBackup.sha256(w.current());
    String backupUri;
    try {
      backupUri =
          backups.save(PolicyBackup.of(key.keyArn(), w.current(), w.why(), clock.instant()));
    } catch (SdkException | UncheckedIOException e) {
      return new RemediationResult(
          Outcome.FAILED,
          "could not back up the current policy (" + e.getMessage() + "); nothing was written",
          w.before(),
          null,
          null,
          sha,
          null);
    }
    String again = policy(kms, key);
    if (!again.equals(w.current())) {
      return new RemediationResult(
          Outcome.FAILED,
          "the replica's policy changed after it was read (SHA-256 "
              + sha
              + " -> "
              + PolicyBackup.sha256(again)
              + "); nothing was written; run again to plan against the new policy",
          w.before(),
          null,
          backupUri,
          sha,
          null);
    }
    try {
      // The lockout safety check stays on: never BypassPolicyLockoutSafetyCheck.
      kms.putKeyPolicy(
          r ->
              r.keyId(key.keyArn())
                  .policyName(POLICY_NAME)
                  .policy(w.target())
                  .bypassPolicyLockoutSafetyCheck(false));
    } catch (AwsServiceException e) {
      if (e.statusCode() == 400 && !e.isThrottlingException()) {
        return new RemediationResult(
            Outcome.FAILED,
            "KMS refused the new policy ("
                + errorCode(e)
                + ": "
                + errorMessage(e)
                + "); the previous policy stays in force",
            w.before(),
            null,
            backupUri,
            sha,
            null);
      }
      throw e;
    }
    return verify(kms, key, w, backupUri);
  }

  private RemediationResult verify(KmsClient kms, KeyContext key, Write w, String backupUri) {
    String sha = PolicyBackup.sha256(w.current());
    String readBack;
    try {
      readBack = policy(kms, key);
    } catch (SdkException e) {
      return new RemediationResult(
          Outcome.FAILED,
          "the new policy was written but could not be read back to verify it ("
              + e.getMessage()
              + "); the previous policy is in "
              + backupUri,
          w.before(),
          null,
          backupUri,
          sha,
          null);
    }
    KeyPolicy written = parse(readBack);
    KeyPolicy target = parse(w.target());
    Comparison after =
        written == null || target == null ? null : comparator.compareForKey(target, written, key);
    Verdict verdictAfter = after == null ? null : after.verdict();
    if (verdictAfter == Verdict.EQUIVALENT) {
      return new RemediationResult(
          Outcome.APPLIED,
          w.why() + ": written and verified",
          w.before(),
          verdictAfter,
          backupUri,
          sha,
          null);
    }
    return new RemediationResult(
        Outcome.FAILED,
        "the policy read back after the write is not equivalent to the one written ("
            + verdictAfter
            + "); someone may have changed it meanwhile; the previous policy is in "
            + backupUri,
        w.before(),
        verdictAfter,
        backupUri,
        sha,
        null);
  }

  /** The replica's key and primary, or why it is not a replica whose policy may be rewritten. */
  private record Replica(KeyContext key, KeyContext primary, String refusal) {}

  private static Replica describe(KmsClient kms, String keyId) {
    KeyMetadata meta;
    try {
      meta = kms.describeKey(r -> r.keyId(keyId)).keyMetadata();
    } catch (NotFoundException e) {
      return new Replica(null, null, "no key " + keyId + " in this account and Region");
    }
    String arn = meta.arn();
    if (!Boolean.TRUE.equals(meta.multiRegion()) || meta.multiRegionConfiguration() == null) {
      return new Replica(null, null, arn + " is not a multi-Region key");
    }
    if (meta.multiRegionConfiguration().multiRegionKeyType() != MultiRegionKeyType.REPLICA) {
      return new Replica(
          null,
          null,
          arn
              + " is a "
              + meta.multiRegionConfiguration().multiRegionKeyTypeAsString()
              + " key; only replicas are realigned to their primary");
    }
    String state = meta.keyStateAsString();
    if (UNUSABLE_STATES.contains(state)) {
      return new Replica(
          null, null, arn + " is " + state + "; its policy is not rewritten in that state");
    }
    return new Replica(
        new KeyContext(arn),
        new KeyContext(meta.multiRegionConfiguration().primaryKey().arn()),
        null);
  }

  private static String policy(KmsClient kms, KeyContext key) {
    return kms.getKeyPolicy(r -> r.keyId(key.keyArn()).policyName(POLICY_NAME)).policy();
  }

  private KeyPolicy parse(String json) {
    return parser.parse(json) instanceof ParseResult.Parsed parsed ? parsed.policy() : null;
  }

  private static String awsFailure(SdkException e) {
    if (e instanceof AwsServiceException service) {
      return "an AWS call failed (" + errorCode(service) + ": " + errorMessage(service) + ")";
    }
    return "an AWS call failed (" + e.getMessage() + ")";
  }

  private static String errorCode(AwsServiceException e) {
    return e.awsErrorDetails() == null
        ? String.valueOf(e.statusCode())
        : e.awsErrorDetails().errorCode();
  }

  private static String errorMessage(AwsServiceException e) {
    return e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
  }
}
