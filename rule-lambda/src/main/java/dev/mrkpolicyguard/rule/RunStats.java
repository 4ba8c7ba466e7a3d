package dev.mrkpolicyguard.rule;

import dev.mrkpolicyguard.engine.rule.Compliance;
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

  /** A configuration item rejected as not about the rule's account and Region; also an error. */
  void rejected() {
    rejected.incrementAndGet();
    errors.incrementAndGet();
  }

  void posted(int count) {
    posted.addAndGet(count);
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
    return out;
  }
}
