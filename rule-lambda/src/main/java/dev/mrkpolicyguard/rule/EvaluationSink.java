package dev.mrkpolicyguard.rule;

import java.util.List;

/** The port the rule posts evaluations through (PutEvaluations, one call per batch). */
public interface EvaluationSink {
  /**
   * Sends {@code batch} (at most 100) once for {@code resultToken}, in TestMode for the {@code
   * TESTMODE} token. Throttling and 5xx answers may be retried by the adapter; an attempt that
   * timed out is not, as Config may have stored it.
   */
  Sent put(String resultToken, List<ConfigEvaluation> batch);

  /** What one PutEvaluations call gave. */
  sealed interface Sent {
    /** Config answered; {@code failedResourceIds} are those it reports as failed evaluations. */
    record Answered(List<String> failedResourceIds) implements Sent {
      public Answered {
        failedResourceIds = List.copyOf(failedResourceIds);
      }
    }

    /** The attempt timed out: Config may or may not have stored the batch. */
    record TimedOut() implements Sent {}
  }
}
