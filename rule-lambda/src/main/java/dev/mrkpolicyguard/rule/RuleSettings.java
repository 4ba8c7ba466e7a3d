package dev.mrkpolicyguard.rule;

import java.time.Clock;
import java.util.Objects;

/**
 * How the rule runs in one Lambda container.
 *
 * @param region the function's Region (AWS_REGION): where keys are listed and evaluations posted
 * @param concurrency how many keys are read from KMS at once in a periodic run
 * @param batchSize evaluations per PutEvaluations call, 1 to 100
 * @param clock the time of the run (ordering fallback, refresh age)
 */
public record RuleSettings(String region, int concurrency, int batchSize, Clock clock) {
  /** Keys read at once by default: enough to hide latency, well under KMS's request quotas. */
  public static final int DEFAULT_CONCURRENCY = 12;

  public RuleSettings {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(clock, "clock");
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    }
    if (batchSize < 1 || batchSize > EvaluationPoster.MAX_BATCH) {
      throw new IllegalArgumentException("batchSize must be 1 to 100, got " + batchSize);
    }
  }

  /** The defaults for {@code region}: 12 keys at once, batches of 100, the system clock. */
  public static RuleSettings defaults(String region) {
    return new RuleSettings(
        region, DEFAULT_CONCURRENCY, EvaluationPoster.MAX_BATCH, Clock.systemUTC());
  }
}
