package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.KeyDecider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Runs the rule's per-key decision over every key of a snapshot. */
public final class FleetAudit {
  private final KeyDecider decider;

  /** An audit with the shipped decider. */
  public FleetAudit() {
    this(new KeyDecider());
  }

  /** An audit with {@code decider}. */
  public FleetAudit(KeyDecider decider) {
    this.decider = Objects.requireNonNull(decider, "decider");
  }

  /** Decides every key of {@code snapshot} against {@code baseline}. */
  public AuditReport audit(Snapshot snapshot, Baseline baseline) {
    List<AuditedKey> keys = new ArrayList<>();
    for (SnapshotKey key : snapshot.keys()) {
      keys.add(new AuditedKey(key, decider.decide(snapshot.facts(key), baseline)));
    }
    return new AuditReport(snapshot, keys);
  }
}
