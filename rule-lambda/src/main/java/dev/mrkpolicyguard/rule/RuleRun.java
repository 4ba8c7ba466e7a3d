package dev.mrkpolicyguard.rule;

import dev.mrkpolicyguard.core.KeyArn;
import dev.mrkpolicyguard.core.KeyReader;
import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.Compliance;
import dev.mrkpolicyguard.engine.rule.KeyDecider;
import dev.mrkpolicyguard.engine.rule.KeyEvaluation;
import java.time.Instant;
import java.util.List;

/**
 * What one invocation's questions share (rdklib's evaluator under evaluate_change and
 * evaluate_periodic): the AWS access, the decider with its per-invocation cache, the baseline, the
 * log and the counts; and the one way a key is read and decided, whichever question asked.
 */
record RuleRun(
    RuleAccess access, KeyDecider decider, Baseline baseline, RunLog log, RunStats stats) {
  KeyReader reader() {
    return access.keys();
  }

  /**
   * One key's outcome: its decision, or the read failure that kept it from one this run (exactly
   * one of the two is set).
   */
  record KeyOutcome(KeyEvaluation evaluation, KeyReader.Read.NotEvaluated notEvaluated) {
    KeyOutcome {
      if ((evaluation == null) == (notEvaluated == null)) {
        throw new IllegalArgumentException("a key has a decision or a failure, not both");
      }
    }
  }

  /**
   * Reads and decides one key. Keys whose ID says single-Region need no call; a key that cannot be
   * described for a standing reason is KEY_UNREADABLE; a failure to retry leaves it undecided.
   */
  KeyOutcome decide(String keyArn) {
    if (!KeyArn.of(keyArn).multiRegion()) {
      return new KeyOutcome(decider.decide(KeyReader.singleRegion(keyArn), baseline), null);
    }
    KeyReader.Read read = reader().read(keyArn);
    if (read instanceof KeyReader.Read.Facts facts) {
      return new KeyOutcome(decider.decide(facts.facts(), baseline), null);
    }
    if (read instanceof KeyReader.Read.Unreadable unreadable) {
      return new KeyOutcome(unreadable.failure().keyEvaluation(keyArn), null);
    }
    return new KeyOutcome(null, (KeyReader.Read.NotEvaluated) read);
  }

  /** NOT_APPLICABLE for {@code keyArn}, saying {@code why}. */
  static KeyEvaluation notApplicable(String keyArn, String why) {
    return new KeyEvaluation(keyArn, Compliance.NOT_APPLICABLE, List.of(), why);
  }

  /** The evaluation as Config takes it, ordered by {@code ordering}. */
  static ConfigEvaluation toConfig(String resourceId, KeyEvaluation evaluation, Instant ordering) {
    return new ConfigEvaluation(
        resourceId,
        evaluation.compliance().name(),
        ComplianceRecords.blankToNull(evaluation.annotation()),
        ordering);
  }
}
