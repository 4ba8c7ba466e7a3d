package dev.mrkpolicyguard.rule;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Posts evaluations to AWS Config through an {@link EvaluationSink} in batches of at most {@code
 * batchSize} (PutEvaluations takes at most 100), and re-posts those Config reports as failed a few
 * times.
 *
 * <p>PutEvaluations has no idempotency token: a batch sent twice is stored (and billed) twice. So
 * each attempt has a timeout well under the HTTP read timeout, and a batch whose attempt timed out
 * is not sent again (the adapter does not retry it, see {@code aws.NoRetryAfterTimeout}, and
 * neither does this poster): its evaluations are <em>unconfirmed</em>. If Config stored them, its
 * record now matches and the next run posts nothing for those keys; if not, the record still
 * differs and the next run posts them.
 */
final class EvaluationPoster {
  static final int MAX_BATCH = 100;
  private static final int ROUNDS = 3;

  private final EvaluationSink sink;
  private final String resultToken;
  private final int batchSize;

  EvaluationPoster(EvaluationSink sink, String resultToken, int batchSize) {
    if (batchSize < 1 || batchSize > MAX_BATCH) {
      throw new IllegalArgumentException("batch size must be 1 to 100, got " + batchSize);
    }
    this.sink = sink;
    this.resultToken = resultToken;
    this.batchSize = batchSize;
  }

  /**
   * What was posted, what Config still refused after every round, and what was sent but not
   * confirmed (an attempt timed out: Config may or may not have stored it).
   */
  record Outcome(
      List<ConfigEvaluation> accepted,
      List<ConfigEvaluation> failed,
      List<ConfigEvaluation> unconfirmed) {
    Outcome {
      accepted = List.copyOf(accepted);
      failed = List.copyOf(failed);
      unconfirmed = List.copyOf(unconfirmed);
    }
  }

  Outcome post(List<ConfigEvaluation> evaluations) {
    List<ConfigEvaluation> accepted = new ArrayList<>();
    List<ConfigEvaluation> unconfirmed = new ArrayList<>();
    List<ConfigEvaluation> pending = evaluations;
    for (int round = 0; round < ROUNDS && !pending.isEmpty(); round++) {
      List<ConfigEvaluation> failed = new ArrayList<>();
      for (int from = 0; from < pending.size(); from += batchSize) {
        List<ConfigEvaluation> batch =
            pending.subList(from, Math.min(pending.size(), from + batchSize));
        EvaluationSink.Sent sent = sink.put(resultToken, List.copyOf(batch));
        if (sent instanceof EvaluationSink.Sent.Answered answered) {
          // Config echoes failed evaluations; match them back by resource to re-post our own.
          Set<String> refused = new HashSet<>(answered.failedResourceIds());
          for (ConfigEvaluation e : batch) {
            (refused.contains(e.resourceId()) ? failed : accepted).add(e);
          }
        } else {
          unconfirmed.addAll(batch);
        }
      }
      pending = failed;
    }
    return new Outcome(accepted, pending, unconfirmed);
  }
}
