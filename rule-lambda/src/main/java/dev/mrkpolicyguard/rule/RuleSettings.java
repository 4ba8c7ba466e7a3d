package dev.mrkpolicyguard.rule;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How the rule runs in one Lambda container.
 *
 * @param region the function's Region (AWS_REGION): where keys are listed and evaluations posted
 * @param concurrency how many keys are read from KMS at once in a periodic run
 * @param batchSize evaluations per PutEvaluations call, 1 to 100
 * @param clock the time of the run (ordering fallback, refresh age, the periodic run's deadline)
 * @param comparisonBudget how long one policy comparison may search before it is UNDECIDED
 * @param postAttemptTimeout how long one PutEvaluations attempt may take; an attempt that takes
 *     longer is given up and not retried (Config may have stored it)
 * @param nanoTime the clock of comparison budgets, as {@link System#nanoTime}
 */
public record RuleSettings(
    String region,
    int concurrency,
    int batchSize,
    Clock clock,
    Duration comparisonBudget,
    Duration postAttemptTimeout,
    LongSupplier nanoTime) {
  /** Keys read at once by default: enough to hide latency, well under KMS's request quotas. */
  public static final int DEFAULT_CONCURRENCY = 12;

  /**
   * The time budget of one comparison by default. A typical pair takes about 1 ms and a 32 KB pair
   * about 0.1 s (docs/benchmarks.md); a key needs up to three comparisons (primary, floor,
   * ceiling), so a pathological key costs a worker at most about 30 s of a 900 s run.
   */
  public static final Duration DEFAULT_COMPARISON_BUDGET = Duration.ofSeconds(10);

  /**
   * One PutEvaluations attempt at most, by default: well under the HTTP client's 30 s read timeout,
   * so a slow answer ends in this timeout, which is not retried, and never in the read timeout,
   * which the SDK would retry (storing the batch twice if Config had stored it).
   */
  public static final Duration DEFAULT_POST_ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

  public RuleSettings {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(nanoTime, "nanoTime");
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    }
    if (batchSize < 1 || batchSize > EvaluationPoster.MAX_BATCH) {
      throw new IllegalArgumentException("batchSize must be 1 to 100, got " + batchSize);
    }
    positive(comparisonBudget, "comparisonBudget");
    positive(postAttemptTimeout, "postAttemptTimeout");
  }

  /** Settings with the default comparison budget and PutEvaluations attempt timeout. */
  public RuleSettings(String region, int concurrency, int batchSize, Clock clock) {
    this(
        region,
        concurrency,
        batchSize,
        clock,
        DEFAULT_COMPARISON_BUDGET,
        DEFAULT_POST_ATTEMPT_TIMEOUT,
        System::nanoTime);
  }

  /** The defaults for {@code region}: 12 keys at once, batches of 100, the system clock. */
  public static RuleSettings defaults(String region) {
    return new RuleSettings(
        region, DEFAULT_CONCURRENCY, EvaluationPoster.MAX_BATCH, Clock.systemUTC());
  }

  /** These settings with another comparison budget, measured by {@code nanoTime}. */
  public RuleSettings withComparisonBudget(Duration budget, LongSupplier nanoTime) {
    return new RuleSettings(
        region, concurrency, batchSize, clock, budget, postAttemptTimeout, nanoTime);
  }

  /** These settings with another PutEvaluations attempt timeout. */
  public RuleSettings withPostAttemptTimeout(Duration timeout) {
    return new RuleSettings(
        region, concurrency, batchSize, clock, comparisonBudget, timeout, nanoTime);
  }

  private static void positive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + duration);
    }
  }
}
