package dev.mrkpolicyguard.rule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.services.config.ConfigClient;
import software.amazon.awssdk.services.config.model.Evaluation;
import software.amazon.awssdk.services.config.model.PutEvaluationsResponse;

/**
 * Posts evaluations to AWS Config in batches of at most {@code batchSize} (PutEvaluations takes at
 * most 100), in TestMode for the {@code TESTMODE} token, and re-posts those Config reports as
 * failed a few times.
 *
 * <p>PutEvaluations has no idempotency token: a batch sent twice is stored (and billed) twice. So
 * each attempt has a timeout well under the HTTP read timeout, and a batch whose attempt timed out
 * is not sent again (the SDK does not retry it, see {@code aws.NoRetryAfterTimeout}, and neither
 * does this poster): its evaluations are <em>unconfirmed</em>. If Config stored them, its record
 * now matches and the next run posts nothing for those keys; if not, the record still differs and
 * the next run posts them. Throttling and 5xx answers are retried by the SDK as usual.
 */
final class EvaluationPoster {
  static final int MAX_BATCH = 100;
  private static final int ROUNDS = 3;

  private final ConfigClient config;
  private final String resultToken;
  private final int batchSize;
  private final Duration attemptTimeout;

  EvaluationPoster(
      ConfigClient config, String resultToken, int batchSize, Duration attemptTimeout) {
    if (batchSize < 1 || batchSize > MAX_BATCH) {
      throw new IllegalArgumentException("batch size must be 1 to 100, got " + batchSize);
    }
    this.config = config;
    this.resultToken = resultToken;
    this.batchSize = batchSize;
    this.attemptTimeout = attemptTimeout;
  }

  /**
   * What was posted, what Config still refused after every round, and what was sent but not
   * confirmed (an attempt timed out: Config may or may not have stored it).
   */
  record Outcome(List<Evaluation> accepted, List<Evaluation> failed, List<Evaluation> unconfirmed) {
    Outcome {
      accepted = List.copyOf(accepted);
      failed = List.copyOf(failed);
      unconfirmed = List.copyOf(unconfirmed);
    }
  }

  Outcome post(List<Evaluation> evaluations) {
    List<Evaluation> accepted = new ArrayList<>();
    List<Evaluation> unconfirmed = new ArrayList<>();
    List<Evaluation> pending = evaluations;
    for (int round = 0; round < ROUNDS && !pending.isEmpty(); round++) {
      List<Evaluation> failed = new ArrayList<>();
      for (int from = 0; from < pending.size(); from += batchSize) {
        List<Evaluation> batch = pending.subList(from, Math.min(pending.size(), from + batchSize));
        List<Evaluation> refused;
        try {
          refused = postBatch(batch);
        } catch (ApiCallAttemptTimeoutException e) {
          unconfirmed.addAll(batch);
          continue;
        }
        failed.addAll(refused);
        batch.stream().filter(e -> !refused.contains(e)).forEach(accepted::add);
      }
      pending = failed;
    }
    return new Outcome(accepted, pending, unconfirmed);
  }

  private List<Evaluation> postBatch(List<Evaluation> batch) {
    PutEvaluationsResponse response =
        config.putEvaluations(
            r ->
                r.resultToken(resultToken)
                    .evaluations(batch)
                    .testMode(ConfigEvent.TEST_MODE_TOKEN.equals(resultToken))
                    .overrideConfiguration(o -> o.apiCallAttemptTimeout(attemptTimeout)));
    if (!response.hasFailedEvaluations() || response.failedEvaluations().isEmpty()) {
      return List.of();
    }
    // Config echoes failed evaluations; match them back by resource to re-post our own objects.
    Map<String, Evaluation> byResource = new LinkedHashMap<>();
    batch.forEach(e -> byResource.put(e.complianceResourceId(), e));
    List<Evaluation> refused = new ArrayList<>();
    for (Evaluation failed : response.failedEvaluations()) {
      Evaluation ours = byResource.get(failed.complianceResourceId());
      if (ours != null && !refused.contains(ours)) {
        refused.add(ours);
      }
    }
    return refused;
  }
}
