package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.core.KeyReader;
import dev.mrkpolicyguard.engine.compare.PolicyComparator;
import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.KeyDecider;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Runs the rule's per-key decision over every key of a snapshot. */
public final class FleetAudit {
  private final KeyDecider decider;

  /** An audit with the shipped decider, each comparison within the rule's 10 s time budget. */
  public FleetAudit() {
    this(
        new KeyDecider(
            new PolicyComparator().withTimeBudget(Duration.ofSeconds(10), System::nanoTime)));
  }

  /** An audit with {@code decider}. */
  public FleetAudit(KeyDecider decider) {
    this.decider = Objects.requireNonNull(decider, "decider");
  }

  /**
   * Decides every key of {@code snapshot} against {@code baseline} as the rule would: a key whose
   * ID says single-Region is not applicable whatever was read of it; a key that could not be
   * described for a standing reason is KEY_UNREADABLE; a key a read failure to retry kept from a
   * decision is not evaluated ({@link Snapshot#notEvaluated}); the others go to the decider.
   */
  public AuditReport audit(Snapshot snapshot, Baseline baseline) {
    List<AuditedKey> keys = new ArrayList<>();
    for (SnapshotKey key : snapshot.keys()) {
      keys.add(audit(snapshot, baseline, key));
    }
    return new AuditReport(snapshot, keys);
  }

  private AuditedKey audit(Snapshot snapshot, Baseline baseline, SnapshotKey key) {
    String notEvaluated = snapshot.notEvaluated(key);
    if (notEvaluated != null) {
      return AuditedKey.notEvaluated(key, notEvaluated);
    }
    if (key.described()) {
      return new AuditedKey(key, decider.decide(snapshot.facts(key), baseline));
    }
    if (key.role() == KeyRole.SINGLE_REGION) {
      return new AuditedKey(key, decider.decide(KeyReader.singleRegion(key.arn()), baseline));
    }
    return new AuditedKey(key, key.describeFailure().keyEvaluation(key.arn()));
  }
}
