package dev.mrkpolicyguard.iac;

import dev.mrkpolicyguard.engine.compare.PolicyComparator;
import dev.mrkpolicyguard.engine.rule.Compliance;
import dev.mrkpolicyguard.engine.rule.KeyEvaluation;
import java.util.List;
import java.util.Objects;

/**
 * What {@code check-iac} found, one entry per multi-Region key resource, in input order.
 *
 * @param inputs the input files as given
 * @param checked every resource with its outcome
 */
public record IacReport(List<String> inputs, List<Checked> checked) {
  /** Exit code: every judged resource compliant and none unjudged. */
  public static final int CLEAN = 0;

  /** Exit code: some resource has findings. */
  public static final int FINDINGS = 1;

  /** Exit code: some resource could not be judged (listed). */
  public static final int PARTIAL = 4;

  public IacReport {
    inputs = List.copyOf(inputs);
    checked = List.copyOf(checked);
  }

  /** One resource and its outcome. */
  public record Checked(IacResource resource, Outcome outcome) {
    public Checked {
      Objects.requireNonNull(resource, "resource");
      Objects.requireNonNull(outcome, "outcome");
    }
  }

  /** The outcome for one resource. */
  public sealed interface Outcome {
    /**
     * Judged by the engine.
     *
     * @param evaluation the decision, with its findings and witnesses
     * @param primary for a replica, the name of its primary (a resource, an ARN), else {@code null}
     * @param notes what the judgement assumed (the default key policy, the account tried)
     */
    record Judged(KeyEvaluation evaluation, String primary, List<String> notes) implements Outcome {
      public Judged {
        Objects.requireNonNull(evaluation, "evaluation");
        notes = List.copyOf(notes);
      }
    }

    /**
     * Could not be judged before deployment.
     *
     * @param code why, as a stable code
     * @param reason what is missing and how to supply it
     */
    record NotJudged(IacCode code, String reason) implements Outcome {
      public NotJudged {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(reason, "reason");
      }
    }
  }

  /** How many resources are non-compliant. */
  public long nonCompliant() {
    return count(Compliance.NON_COMPLIANT);
  }

  /** How many resources are compliant. */
  public long compliant() {
    return count(Compliance.COMPLIANT);
  }

  /** How many resources could not be judged. */
  public long notJudged() {
    return checked.stream().filter(c -> c.outcome() instanceof Outcome.NotJudged).count();
  }

  /**
   * How many judged resources have a comparison that ran out of its time budget: judged
   * non-compliant (UNDECIDED), but not judged in full.
   */
  public long outOfTime() {
    return checked.stream()
        .filter(
            c ->
                c.outcome() instanceof Outcome.Judged j
                    && j.evaluation().findings().stream()
                        .anyMatch(f -> f.summary().contains(PolicyComparator.OUT_OF_TIME)))
        .count();
  }

  /**
   * 4 when some resource could not be judged or ran out of its time budget, else 1 for any finding,
   * else 0 (as `audit`).
   */
  public int exitCode() {
    if (notJudged() > 0 || outOfTime() > 0) {
      return PARTIAL;
    }
    return nonCompliant() > 0 ? FINDINGS : CLEAN;
  }

  private long count(Compliance compliance) {
    return checked.stream()
        .filter(
            c ->
                c.outcome() instanceof Outcome.Judged j
                    && j.evaluation().compliance() == compliance)
        .count();
  }
}
