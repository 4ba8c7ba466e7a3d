package dev.mrkpolicyguard.engine.compare;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The time budget of one comparison: started when the comparison starts, spent once more than
 * {@code budgetNanos} have passed on its clock, or at once when the thread is interrupted.
 */
final class Budget {
  /** No limit but interruption. */
  static final long NONE = Long.MAX_VALUE;

  private final long budgetNanos;
  private final LongSupplier nanoTime;
  private final long started;

  /** A budget of {@code budgetNanos} ({@link #NONE} for none) starting now on {@code nanoTime}. */
  Budget(long budgetNanos, LongSupplier nanoTime) {
    this.budgetNanos = budgetNanos;
    this.nanoTime = nanoTime;
    this.started = nanoTime.getAsLong();
  }

  /**
   * Why the comparison must stop now (the thread was interrupted, or the budget is spent), or null
   * if it may go on. Without a budget the clock is not read.
   */
  String spent() {
    boolean interrupted = Thread.currentThread().isInterrupted();
    if (budgetNanos == NONE && !interrupted) {
      return null;
    }
    if (interrupted) {
      return "the comparison was interrupted before it could search every request";
    }
    if (nanoTime.getAsLong() - started > budgetNanos) {
      return PolicyComparator.OUT_OF_TIME
          + " ("
          + seconds(budgetNanos)
          + ") before it could search every request";
    }
    return null;
  }

  static String seconds(long nanos) {
    long millis = Duration.ofNanos(nanos).toMillis();
    return (millis % 1000 == 0 ? String.valueOf(millis / 1000) : String.valueOf(millis / 1000.0))
        + " s";
  }
}
