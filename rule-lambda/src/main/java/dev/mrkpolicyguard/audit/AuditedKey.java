package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.engine.rule.Finding;
import dev.mrkpolicyguard.engine.rule.FindingCode;
import dev.mrkpolicyguard.engine.rule.KeyEvaluation;
import java.util.Objects;
import java.util.Optional;

/**
 * One key of the fleet with the rule's decision for it.
 *
 * @param key the key as captured
 * @param evaluation the rule's decision
 */
public record AuditedKey(SnapshotKey key, KeyEvaluation evaluation) {
  public AuditedKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(evaluation, "evaluation");
  }

  /** The most important finding, if any. */
  public Optional<Finding> firstFinding() {
    return evaluation.findings().stream().findFirst();
  }

  /**
   * Whether the key could not be judged because a policy it needs could not be read (its own, or
   * its primary's).
   */
  public boolean unreadable() {
    return evaluation.findings().stream()
        .anyMatch(
            f ->
                f.code() == FindingCode.POLICY_UNREADABLE
                    || f.code() == FindingCode.PRIMARY_POLICY_UNREADABLE);
  }

  /** The unreadable findings' summary, for listing keys that could not be read. */
  public String unreadableReason() {
    return evaluation.findings().stream()
        .filter(
            f ->
                f.code() == FindingCode.POLICY_UNREADABLE
                    || f.code() == FindingCode.PRIMARY_POLICY_UNREADABLE)
        .map(Finding::summary)
        .findFirst()
        .orElse("");
  }
}
