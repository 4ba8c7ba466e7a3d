package dev.mrkpolicyguard.rule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.config.ConfigClient;
import software.amazon.awssdk.services.config.model.Evaluation;
import software.amazon.awssdk.services.config.model.PutEvaluationsResponse;

/**
 * Posts evaluations to AWS Config in batches of at most {@code batchSize} (PutEvaluations takes at
 * most 100), in TestMode for the {@code TESTMODE} token, and re-posts those Config reports as
 * failed a few times.
 */
final class EvaluationPoster {
  static final int MAX_BATCH = 100;
  private static final int ROUNDS = 3;

  private final ConfigClient config;
  private final String resultToken;
  private final int batchSize;

  EvaluationPoster(ConfigClient config, String resultToken, int batchSize) {
    if (batchSize < 1 || batchSize > MAX_BATCH) {
      throw new IllegalArgumentException("batch size must be 1 to 100, got " + batchSize);
    }
    this.config = config;
    this.resultToken = resultToken;
    this.batchSize = batchSize;
  }

  /** What was posted and what Config still refused after every round. */
  record Outcome(List<Evaluation> accepted, List<Evaluation> failed) {
    Outcome {
      accepted = List.copyOf(accepted);
      failed = List.copyOf(failed);
    }
  }

  Outcome post(List<Evaluation> evaluations) {
    List<Evaluation> accepted = new ArrayList<>();
    List<Evaluation> pending = evaluations;
    for (int round = 0; round < ROUNDS && !pending.isEmpty(); round++) {
      List<Evaluation> failed = new ArrayList<>();
      for (int from = 0; from < pending.size(); from += batchSize) {
        List<Evaluation> batch = pending.subList(from, Math.min(pending.size(), from + batchSize));
        List<Evaluation> refused = postBatch(batch);
        failed.addAll(refused);
        batch.stream().filter(e -> !refused.contains(e)).forEach(accepted::add);
      }
      pending = failed;
    }
    return new Outcome(accepted, pending);
  }

  private List<Evaluation> postBatch(List<Evaluation> batch) {
    PutEvaluationsResponse response =
        config.putEvaluations(
            r ->
                r.resultToken(resultToken)
                    .evaluations(batch)
                    .testMode(ConfigEvent.TEST_MODE_TOKEN.equals(resultToken)));
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
