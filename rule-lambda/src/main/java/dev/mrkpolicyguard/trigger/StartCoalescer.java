package dev.mrkpolicyguard.trigger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Decides, per rule and Region, whether a needed evaluation start is made now, is already covered,
 * or must wait: Config takes at most one start per rule per minute (StartConfigRulesEvaluation,
 * {@code LimitExceededException}). Pure; the clock is injected. A container keeps one coalescer
 * across invocations; a new container knows nothing and Config's refusal stands in for it.
 *
 * <p>A change seen at {@code t} is covered by a start made after {@code t}. So a change seen while
 * a deferred start is queued for a later time is covered by that start; a change seen within a
 * minute of a start is not (the run may already have read the old policy) and waits for the next
 * minute.
 */
public final class StartCoalescer {
  /** Config's limit: one start of a rule per minute. */
  public static final Duration INTERVAL = Duration.ofMinutes(1);

  private final Clock clock;
  private final Map<RuleTarget, Instant> lastStart = new HashMap<>();
  private final Map<RuleTarget, Instant> queuedUntil = new HashMap<>();

  public StartCoalescer(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The clock the decisions are made on. */
  public Clock clock() {
    return clock;
  }

  /** A change seen now needs a start of {@code target}. */
  public synchronized Decision onChange(RuleTarget target) {
    Instant now = clock.instant();
    Instant queued = queuedUntil.get(target);
    if (queued != null && queued.isAfter(now)) {
      return new Decision.Covered("a start is already queued for " + queued);
    }
    return startOrWait(target, now);
  }

  /** A deferred start due at {@code dueAt} came back. */
  public synchronized Decision onDeferral(RuleTarget target, Instant dueAt) {
    Instant now = clock.instant();
    queuedUntil.remove(target, dueAt);
    Instant last = lastStart.get(target);
    if (last != null && !last.isBefore(dueAt)) {
      return new Decision.Covered("started at " + last + ", after every change it stands for");
    }
    return startOrWait(target, now);
  }

  /** Config accepted a start of {@code target} now. */
  public synchronized void started(RuleTarget target) {
    lastStart.put(target, clock.instant());
  }

  /** A deferred start of {@code target} due at {@code dueAt} is now in the queue. */
  public synchronized void queued(RuleTarget target, Instant dueAt) {
    queuedUntil.merge(target, dueAt, (a, b) -> a.isAfter(b) ? a : b);
  }

  private Decision startOrWait(RuleTarget target, Instant now) {
    Instant last = lastStart.get(target);
    if (last != null && now.isBefore(last.plus(INTERVAL))) {
      return new Decision.Wait(last.plus(INTERVAL), "started less than a minute ago, at " + last);
    }
    return new Decision.Start();
  }

  /** A rule in a Region: the unit Config limits to one start a minute. */
  public record RuleTarget(String region, String configRuleName) {
    public RuleTarget {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(configRuleName, "configRuleName");
    }
  }

  /** What to do about a needed start. */
  public sealed interface Decision {
    /** Start now. */
    record Start() implements Decision {}

    /** Nothing to do: a start made or queued for later covers the change. */
    record Covered(String why) implements Decision {}

    /** Defer until {@code until}. */
    record Wait(Instant until, String why) implements Decision {}
  }
}
