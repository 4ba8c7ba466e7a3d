package dev.mrkpolicyguard.cli.common;

import dev.mrkpolicyguard.engine.compare.PolicyComparator;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time budget of each policy comparison a command makes, {@code --time-budget DURATION}: a
 * comparison that runs longer is UNDECIDED with the reason "the comparison ran out of its time
 * budget" (docs/semantics.md), and the command exits 4. The default is the rule's, 10 s: a typical
 * pair takes about 1 ms.
 */
public final class TimeBudget {
  /** The option's name, as declared in a command's {@link Arguments.Spec}. */
  public static final String OPTION = "time-budget";

  /** What the option takes, for usage messages. */
  public static final String VALUE = "DURATION";

  /** The budget when none is given: the Config rule's (RuleSettings). */
  public static final Duration DEFAULT = Duration.ofSeconds(10);

  /** The largest budget taken: longer than any run anyone waits for at a terminal. */
  public static final Duration MAX = Duration.ofHours(1);

  private static final Pattern DURATION = Pattern.compile("(\\d{1,7})(ms|s|m)");

  private final LongSupplier nanoTime;

  /** Budgets measured by {@code nanoTime} (as {@link System#nanoTime}; tests pass a fake). */
  public TimeBudget(LongSupplier nanoTime) {
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /** A comparator with the budget given by {@code --time-budget}, or {@link #DEFAULT}. */
  public PolicyComparator comparator(Arguments args) throws UsageException {
    return comparator(of(args));
  }

  /** A comparator with {@code budget}. */
  public PolicyComparator comparator(Duration budget) {
    return new PolicyComparator().withTimeBudget(budget, nanoTime);
  }

  /** The budget given by {@code --time-budget}, or {@link #DEFAULT}. */
  public static Duration of(Arguments args) throws UsageException {
    return args.has(OPTION) ? parse(args.require(OPTION)) : DEFAULT;
  }

  /** {@code text} such as {@code 500ms}, {@code 10s} or {@code 2m}, more than 0 and at most 1 h. */
  static Duration parse(String text) throws UsageException {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new UsageException(
          "--" + OPTION + " takes a duration such as 500ms, 10s or 2m, not '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    Duration budget =
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          default -> Duration.ofMinutes(n);
        };
    if (budget.isZero() || budget.compareTo(MAX) > 0) {
      throw new UsageException("--" + OPTION + " must be more than 0 and at most 60m");
    }
    return budget;
  }
}
