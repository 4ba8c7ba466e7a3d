package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.engine.rule.Finding;
import dev.mrkpolicyguard.engine.rule.FindingCode;
import dev.mrkpolicyguard.engine.rule.KeyEvaluation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One key of the fleet with the rule's decision for it, or why the rule would not decide it this
 * time.
 *
 * @param key the key as captured
 * @param evaluation the rule's decision, or {@code null} when the key is not evaluated
 * @param notEvaluated why the key is not evaluated (a read failed in a way to retry), or {@code
 *     null} when it is
 */
public record AuditedKey(SnapshotKey key, KeyEvaluation evaluation, String notEvaluated) {
  /** The verdict shown for a key that is not evaluated. */
  public static final String NOT_EVALUATED = "NOT_EVALUATED";

  private static final Set<FindingCode> UNREADABLE =
      Set.of(
          FindingCode.KEY_UNREADABLE,
          FindingCode.POLICY_UNREADABLE,
          FindingCode.PRIMARY_POLICY_UNREADABLE);

  public AuditedKey {
    Objects.requireNonNull(key, "key");
    if ((evaluation == null) == (notEvaluated == null)) {
      throw new IllegalArgumentException("a key has a decision or a reason it has none, not both");
    }
  }

  /** A key with the rule's decision. */
  public AuditedKey(SnapshotKey key, KeyEvaluation evaluation) {
    this(key, Objects.requireNonNull(evaluation, "evaluation"), null);
  }

  /** A key the rule would not decide this time, and why. */
  public static AuditedKey notEvaluated(SnapshotKey key, String why) {
    return new AuditedKey(key, null, Objects.requireNonNull(why, "why"));
  }

  /** The compliance type's name, or {@value #NOT_EVALUATED}. */
  public String verdict() {
    return evaluation == null ? NOT_EVALUATED : evaluation.compliance().name();
  }

  /** The findings, most important first; none for a key not evaluated. */
  public List<Finding> findings() {
    return evaluation == null ? List.of() : evaluation.findings();
  }

  /** The most important finding, if any. */
  public Optional<Finding> firstFinding() {
    return findings().stream().findFirst();
  }

  /**
   * Whether the key could not be judged: something it needs could not be read (the key itself, its
   * policy or its primary's), or it was not evaluated.
   */
  public boolean unreadable() {
    return evaluation == null || findings().stream().anyMatch(f -> UNREADABLE.contains(f.code()));
  }

  /** Why the key could not be judged, for listing keys that could not be read. */
  public String unreadableReason() {
    if (evaluation == null) {
      return "Not evaluated: " + notEvaluated;
    }
    return findings().stream()
        .filter(f -> UNREADABLE.contains(f.code()))
        .map(Finding::summary)
        .findFirst()
        .orElse("");
  }
}
