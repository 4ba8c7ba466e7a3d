package dev.mrkpolicyguard.rule;

import dev.mrkpolicyguard.engine.compare.PolicyComparator;
import dev.mrkpolicyguard.engine.rule.Compliance;
import dev.mrkpolicyguard.engine.rule.Finding;
import dev.mrkpolicyguard.engine.rule.KeyEvaluation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The counts of one invocation, for the metrics line; safe to update from many threads. */
final class RunStats {
  private final AtomicInteger evaluated = new AtomicInteger();
  private final AtomicInteger compliant = new AtomicInteger();
  private final AtomicInteger nonCompliant = new AtomicInteger();
  private final AtomicInteger notApplicable = new AtomicInteger();
  private final AtomicInteger deferred = new AtomicInteger();
  private final AtomicInteger errors = new AtomicInteger();
  private final AtomicInteger posted = new AtomicInteger();
  private final AtomicInteger retired = new AtomicInteger();
  private final AtomicInteger notEvaluated = new AtomicInteger();
  private final AtomicInteger rejected = new AtomicInteger();
  private final AtomicInteger outOfTime = new AtomicInteger();
  private final AtomicInteger pastDeadline = new AtomicInteger();
  private final AtomicInteger unconfirmed = new AtomicInteger();
  private final AtomicInteger complianceReadRefused = new AtomicInteger();

  /**
   * A key decided: counted by its compliance, and each of its comparisons that ran out of its time
   * budget (UNDECIDED findings whose reason says so) in ComparisonsOutOfTime.
   */
  void decided(KeyEvaluation evaluation) {
    decided(evaluation.compliance());
    for (Finding finding : evaluation.findings()) {
      if (finding.summary().contains(PolicyComparator.OUT_OF_TIME)) {
        outOfTime.incrementAndGet();
      }
    }
  }

  void decided(Compliance compliance) {
    evaluated.incrementAndGet();
    switch (compliance) {
      case COMPLIANT -> compliant.incrementAndGet();
      case NON_COMPLIANT -> nonCompliant.incrementAndGet();
      case NOT_APPLICABLE -> notApplicable.incrementAndGet();
      case DEFERRED -> deferred.incrementAndGet();
    }
  }

  void error() {
    errors.incrementAndGet();
  }

  /** A key not evaluated because a read failed in a way to retry; also an error. */
  void notEvaluated() {
    notEvaluated.incrementAndGet();
    errors.incrementAndGet();
  }

  /**
   * A key not decided before the periodic run's deadline; also not evaluated, and an error. Its
   * previous evaluation stands.
   */
  void pastDeadline() {
    pastDeadline.incrementAndGet();
    notEvaluated();
  }

  /** An evaluation sent whose PutEvaluations timed out: Config may or may not have it; an error. */
  void unconfirmed(int count) {
    unconfirmed.addAndGet(count);
    errors.addAndGet(count);
  }

  /** A configuration item rejected as not about the rule's account and Region; also an error. */
  void rejected() {
    rejected.incrementAndGet();
    errors.incrementAndGet();
  }

  void posted(int count) {
    posted.addAndGet(count);
  }

  /**
   * Config refused GetComplianceDetailsByConfigRule: this run posts every key. Not an error (it
   * recurs on every run of a rule a service owns), counted on its own.
   */
  void complianceReadRefused() {
    complianceReadRefused.incrementAndGet();
  }

  void retired() {
    retired.incrementAndGet();
  }

  /** Metric name to value, in the order the metrics line lists them. */
  Map<String, Integer> counts() {
    Map<String, Integer> out = new LinkedHashMap<>();
    out.put("KeysEvaluated", evaluated.get());
    out.put("Compliant", compliant.get());
    out.put("NonCompliant", nonCompliant.get());
    out.put("NotApplicable", notApplicable.get());
    out.put("Deferred", deferred.get());
    out.put("Errors", errors.get());
    out.put("EvaluationsPosted", posted.get());
    out.put("KeysRetired", retired.get());
    out.put("KeysNotEvaluated", notEvaluated.get());
    out.put("ItemsRejected", rejected.get());
    out.put("ComparisonsOutOfTime", outOfTime.get());
    out.put("KeysPastDeadline", pastDeadline.get());
    out.put("EvaluationsUnconfirmed", unconfirmed.get());
    out.put("ComplianceReadRefused", complianceReadRefused.get());
    return out;
  }
}
