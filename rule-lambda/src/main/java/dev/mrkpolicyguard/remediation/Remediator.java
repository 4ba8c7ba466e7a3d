package dev.mrkpolicyguard.remediation;

import dev.mrkpolicyguard.core.AwsCallFailed;
import dev.mrkpolicyguard.core.KeyState;
import dev.mrkpolicyguard.engine.compare.Comparison;
import dev.mrkpolicyguard.engine.compare.Direction;
import dev.mrkpolicyguard.engine.compare.PolicyComparator;
import dev.mrkpolicyguard.engine.compare.Verdict;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.parse.ParseResult;
import dev.mrkpolicyguard.engine.parse.PolicyParser;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import dev.mrkpolicyguard.engine.remediation.RemediationPlan;
import dev.mrkpolicyguard.engine.remediation.RemediationPlanner;
import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.Finding;
import dev.mrkpolicyguard.engine.rule.FindingCode;
import dev.mrkpolicyguard.engine.rule.KeyDecider;
import dev.mrkpolicyguard.engine.rule.KeyFacts;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Realigns a replica's key policy to its primary's, or restores a backed-up policy, safely: it
 * writes only to a usable replica, backs up the policy in force first, refuses to write when the
 * replica's or the primary's policy changed since it was read, keeps KMS's lockout safety check on,
 * and reads the result back to verify it. When a write's outcome is unknown (its answer was a 5xx
 * or never came), what is in force is read back and reported. A restore shows what the backup
 * grants against the current policy and the baseline, and does not write one that grants new access
 * unless forced. Decisions come from the engine's {@link RemediationPlanner} and {@link
 * PolicyComparator}; every outcome, including AWS errors, is a {@link RemediationResult}.
 */
public final class Remediator {
  /** One comparison at most: the function has 120 s, and a typical pair takes about 1 ms. */
  static final Duration COMPARISON_BUDGET = Duration.ofSeconds(20);

  /**
   * One PutKeyPolicy attempt at most, by default: well under the HTTP read timeout, and an attempt
   * that times out is not retried (its outcome is read back instead).
   */
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(20);

  private static final Set<FindingCode> BASELINE_CODES =
      Set.of(
          FindingCode.BASELINE_CEILING_EXCEEDED,
          FindingCode.BASELINE_FLOOR_MISSING,
          FindingCode.BASELINE_UNDECIDED);

  private final KeyPolicies keys;
  private final BackupStore backups;
  private final Clock clock;
  private final PolicyComparator comparator =
      new PolicyComparator().withTimeBudget(COMPARISON_BUDGET, System::nanoTime);
  private final RemediationPlanner planner = new RemediationPlanner(comparator);
  private final KeyDecider decider = new KeyDecider(comparator);
  private final PolicyParser parser = new PolicyParser();

  /**
   * @param keys the key policies, read and written through KMS
   * @param backups where policies are saved before they are overwritten
   * @param clock the time of backups
   */
  public Remediator(KeyPolicies keys, BackupStore backups, Clock clock) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.backups = Objects.requireNonNull(backups, "backups");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Realigns the replica of {@code request} to its primary, within {@code baseline}. */
  public RemediationResult align(RemediationRequest request, Baseline baseline) {
    try {
      return alignOrRefuse(request, baseline);
    } catch (AwsCallFailed e) {
      return RemediationResult.failed(e.describe() + "; nothing was written");
    }
  }

  /**
   * Puts back the backup named by {@code request} on its replica, showing what it grants against
   * the current policy and {@code baseline}.
   */
  public RemediationResult restore(RemediationRequest request, Baseline baseline) {
    try {
      return restoreOrRefuse(request, baseline);
    } catch (AwsCallFailed e) {
      return RemediationResult.failed(e.describe() + "; nothing was written");
    }
  }

  private RemediationResult alignOrRefuse(RemediationRequest request, Baseline baseline) {
    Replica replica = describe(request.region(), request.keyId());
    if (replica.refusal() != null) {
      return RemediationResult.refused(replica.refusal());
    }
    String primaryPolicy = keys.policy(replica.primary());
    String current = keys.policy(replica.key());
    String sha = PolicyBackup.sha256(current);
    RemediationPlan plan =
        planner.plan(replica.key(), current, replica.primary(), primaryPolicy, baseline);
    if (plan instanceof RemediationPlan.NoChange noChange) {
      return RemediationResult.noChange(
          "the replica already grants exactly what its primary ("
              + replica.primary().region()
              + ") grants",
          noChange.verdictBefore(),
          sha);
    }
    if (plan instanceof RemediationPlan.Refused refused) {
      return RemediationResult.refused(refused.reason(), RemediationResult.Known.read(null, sha));
    }
    RemediationPlan.Apply apply = (RemediationPlan.Apply) plan;
    Verdict before = apply.before().verdict();
    String why = "align to primary " + replica.primary().keyArn() + " (replica was " + before + ")";
    if (request.dryRun()) {
      return dryRun(why, before, sha, DiffText.changes(apply.before()), apply.targetPolicy());
    }
    Source primary = new Source(replica.primary(), primaryPolicy);
    return write(replica.key(), new Write(current, apply.targetPolicy(), why, before), primary);
  }

  private RemediationResult restoreOrRefuse(RemediationRequest request, Baseline baseline) {
    Replica replica = describe(request.region(), request.keyId());
    if (replica.refusal() != null) {
      return RemediationResult.refused(replica.refusal());
    }
    BackupStore.Fetched loaded = backups.load(request.backupUri());
    if (loaded instanceof BackupStore.Fetched.Unusable unusable) {
      return RemediationResult.refused(unusable.reason());
    }
    PolicyBackup backup = ((BackupStore.Fetched.Found) loaded).backup();
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
    String current = keys.policy(replica.key());
    String sha = PolicyBackup.sha256(current);
    if (current.equals(backup.policy())) {
      return RemediationResult.noChange(
          "the replica's policy is already the backed-up one", null, sha);
    }
    KeyPolicy now = parse(current);
    Comparison before =
        now == null
            ? new Comparison(
                Verdict.UNDECIDED, List.of(), "the current policy is not a valid key policy")
            : comparator.compareForKey(restored, now, replica.key());
    List<String> verdict = new ArrayList<>(DiffText.changes(before, "backup", "current"));
    List<Finding> baselineFindings = baselineFindings(replica.key(), backup.policy(), baseline);
    baselineFindings.forEach(f -> verdict.add("baseline: " + f.code() + ": " + f.summary()));
    if (baselineFindings.isEmpty()) {
      verdict.add("baseline: the backed-up policy meets it");
    }
    String grantsNew = grantsNew(before);
    String why = "restore " + request.backupUri() + " (" + String.join("; ", verdict) + ")";
    if (request.dryRun()) {
      return dryRun(
          "restore " + request.backupUri(), before.verdict(), sha, verdict, backup.policy());
    }
    if (grantsNew != null && !request.force()) {
      return RemediationResult.refused(
          "the backup "
              + request.backupUri()
              + " "
              + grantsNew
              + " ("
              + String.join("; ", verdict)
              + "); its SHA-256 shows it is intact, not that it is the policy this tool saved:"
              + " check what it grants, then restore it with --force (Lambda input Force true)",
          RemediationResult.Known.read(before.verdict(), sha));
    }
    return write(replica.key(), new Write(current, backup.policy(), why, before.verdict()), null);
  }

  /**
   * Why writing the backup could grant access the current policy does not, or null when it cannot:
   * the backup (in the comparison's primary place) allows a request the current policy denies, or
   * that cannot be decided.
   */
  private static String grantsNew(Comparison before) {
    if (before.verdict() == Verdict.UNDECIDED) {
      return "cannot be shown to grant nothing the current policy does not: " + before.reason();
    }
    boolean grants =
        before.differences().stream().anyMatch(d -> d.direction() == Direction.PRIMARY_ONLY);
    return grants ? "grants access the current policy does not" : null;
  }

  /** The baseline's findings for {@code policy} on the replica {@code key}, as the rule checks. */
  private List<Finding> baselineFindings(KeyContext key, String policy, Baseline baseline) {
    // The primary is not compared here: only the baseline's findings are kept.
    KeyFacts facts =
        new KeyFacts(
            key.keyArn(),
            KeyRole.REPLICA,
            key.keyArn(),
            false,
            "Enabled",
            new PolicyFact.Known(policy),
            new PolicyFact.NotNeeded());
    return decider.decide(facts, baseline).findings().stream()
        .filter(f -> BASELINE_CODES.contains(f.code()))
        .toList();
  }

  private RemediationResult dryRun(
      String why, Verdict before, String sha, List<String> changes, String target) {
    return RemediationResult.dryRun(
        "dry run: would " + why + "; nothing was written",
        RemediationResult.Known.read(before, sha),
        new RemediationResult.Diff(changes, target));
  }

  /** What a write replaces: the policy as first read, the target, why, and the verdict before. */
  private record Write(String current, String target, String why, Verdict before) {}

  /** The primary a target was planned from: read again just before writing. */
  private record Source(KeyContext key, String policy) {}

  private RemediationResult write(KeyContext key, Write w, Source primary) {
    String sha = PolicyBackup.sha256(w.current());
    String backupUri;
    try {
      backupUri =
          backups.save(PolicyBackup.of(key.keyArn(), w.current(), w.why(), clock.instant()));
    } catch (AwsCallFailed | UncheckedIOException e) {
      return RemediationResult.failed(
          "could not back up the current policy (" + e.getMessage() + "); nothing was written",
          RemediationResult.Known.read(w.before(), sha),
          null);
    }
    Written failed = new Written(w, sha, backupUri);
    String changed;
    try {
      changed = changedSinceRead(key, w, primary);
    } catch (AwsCallFailed e) {
      return failed.result(
          "could not read the policies again before writing ("
              + e.describe()
              + "); nothing was written",
          null);
    }
    if (changed != null) {
      return failed.result(changed + "; nothing was written; run again to plan against it", null);
    }
    KeyPolicies.Put put = keys.put(key, w.target());
    if (put instanceof KeyPolicies.Put.Refused refused) {
      return failed.result(
          "KMS refused the new policy ("
              + refused.code()
              + ": "
              + refused.message()
              + "); the previous policy stays in force",
          null);
    }
    if (put instanceof KeyPolicies.Put.Unknown unknown) {
      return unknownOutcome(key, failed, unknown.error());
    }
    return verify(key, failed);
  }

  /**
   * Why the write must not go ahead, or null: the replica's policy is not byte for byte the one
   * backed up, or (when aligning) the primary's is not the one the target was planned from. Both
   * are read right before the write, so a revocation on the primary during the backup is not undone
   * on the replica.
   */
  private String changedSinceRead(KeyContext key, Write w, Source primary) {
    String again = keys.policy(key);
    if (!again.equals(w.current())) {
      return "the replica's policy changed after it was read (SHA-256 "
          + PolicyBackup.sha256(w.current())
          + " -> "
          + PolicyBackup.sha256(again)
          + ")";
    }
    if (primary == null) {
      return null;
    }
    String primaryAgain = keys.policy(primary.key());
    if (!primaryAgain.equals(primary.policy())) {
      return "the primary's policy ("
          + primary.key().region()
          + ") changed after it was read (SHA-256 "
          + PolicyBackup.sha256(primary.policy())
          + " -> "
          + PolicyBackup.sha256(primaryAgain)
          + ")";
    }
    return null;
  }

  /** A write under way: what it replaces, and the backup of it, named in every outcome. */
  private record Written(Write w, String sha, String backupUri) {
    RemediationResult result(String reason, Verdict after) {
      return RemediationResult.failed(
          reason + "; the previous policy is backed up at " + backupUri, known(), after);
    }

    RemediationResult.Known known() {
      return new RemediationResult.Known(w.before(), sha, backupUri);
    }
  }

  /**
   * PutKeyPolicy failed in a way that says nothing about whether it took effect (a 5xx after the
   * SDK's retries, an attempt that timed out, a broken connection): what is in force is read back
   * and reported, never assumed.
   */
  private RemediationResult unknownOutcome(KeyContext key, Written written, String error) {
    String inForce;
    try {
      inForce = keys.policy(key);
    } catch (AwsCallFailed e) {
      return written.result(
          "PutKeyPolicy's outcome is unknown ("
              + error
              + ") and the policy in force could not be read back ("
              + e.describe()
              + "): the new policy may be in force",
          null);
    }
    if (inForce.equals(written.w().current())) {
      return written.result(
          "PutKeyPolicy failed ("
              + error
              + "); the policy read back is still the previous one, so nothing was written",
          null);
    }
    Verdict after = verdictAgainstTarget(inForce, written.w().target(), key);
    if (after == Verdict.EQUIVALENT) {
      return RemediationResult.applied(
          written.w().why()
              + ": written and verified (PutKeyPolicy's answer was lost: "
              + error
              + "; the policy read back is the new one)",
          written.known(),
          after);
    }
    return written.result(
        "PutKeyPolicy's outcome is unknown ("
            + error
            + "); the policy read back (SHA-256 "
            + PolicyBackup.sha256(inForce)
            + ") is neither the previous one nor the new one ("
            + after
            + " against the new one): someone else may have changed it",
        after);
  }

  private RemediationResult verify(KeyContext key, Written written) {
    String readBack;
    try {
      readBack = keys.policy(key);
    } catch (AwsCallFailed e) {
      return written.result(
          "the new policy was written but could not be read back to verify it ("
              + e.describe()
              + ")",
          null);
    }
    Verdict after = verdictAgainstTarget(readBack, written.w().target(), key);
    if (after == Verdict.EQUIVALENT) {
      return RemediationResult.applied(
          written.w().why() + ": written and verified", written.known(), after);
    }
    return written.result(
        "the policy read back after the write is not equivalent to the one written ("
            + after
            + "); someone may have changed it meanwhile",
        after);
  }

  private Verdict verdictAgainstTarget(String inForce, String target, KeyContext key) {
    KeyPolicy written = parse(inForce);
    KeyPolicy wanted = parse(target);
    return written == null || wanted == null
        ? null
        : comparator.compareForKey(wanted, written, key).verdict();
  }

  /** The replica's key and primary, or why it is not a replica whose policy may be rewritten. */
  private record Replica(KeyContext key, KeyContext primary, String refusal) {}

  private Replica describe(String region, String keyId) {
    KeyPolicies.Description description = keys.describe(region, keyId);
    if (!(description instanceof KeyPolicies.Description.Found meta)) {
      return new Replica(null, null, "no key " + keyId + " in this account and Region");
    }
    String arn = meta.arn();
    if (meta.multiRegionType() == null) {
      return new Replica(null, null, arn + " is not a multi-Region key");
    }
    if (!"REPLICA".equals(meta.multiRegionType())) {
      return new Replica(
          null,
          null,
          arn
              + " is a "
              + meta.multiRegionType()
              + " key; only replicas are realigned to their primary");
    }
    String state = meta.state();
    if (KeyState.of(state).map(KeyState::refusesPolicyRewrite).orElse(false)) {
      return new Replica(
          null, null, arn + " is " + state + "; its policy is not rewritten in that state");
    }
    return new Replica(new KeyContext(arn), new KeyContext(meta.primaryArn()), null);
  }

  private KeyPolicy parse(String json) {
    return parser.parse(json) instanceof ParseResult.Parsed parsed ? parsed.policy() : null;
  }
}
