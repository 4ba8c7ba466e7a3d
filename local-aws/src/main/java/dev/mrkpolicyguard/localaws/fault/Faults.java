package dev.mrkpolicyguard.localaws.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/** The fault rules in force, drawn from one seedable random source so runs are reproducible. */
public final class Faults {
  private final List<FaultRule> rules = new CopyOnWriteArrayList<>();
  private final long seed;
  private Random random;

  public Faults(long seed) {
    this.seed = seed;
    this.random = new Random(seed);
  }

  public Faults add(FaultRule rule) {
    rules.add(rule);
    return this;
  }

  public Faults add(String spec) {
    return add(FaultRule.parse(spec));
  }

  public List<FaultRule> rules() {
    return List.copyOf(rules);
  }

  /** Removes every rule and restarts the random sequence from the seed. */
  public synchronized void clear() {
    rules.clear();
    random = new Random(seed);
  }

  /**
   * Draws the fault outcome of one call: the delay to add and the error to answer, if any, before
   * the operation runs and after it ran.
   */
  public synchronized Outcome decide(
      String service, String operation, String region, String resource) {
    Duration[] delay = {Duration.ZERO, Duration.ZERO};
    List<List<FaultEffect>> errors = List.of(new ArrayList<>(), new ArrayList<>());
    for (FaultRule rule : rules) {
      if (!rule.matches(service, operation, region, resource) || !fires(rule.share())) {
        continue;
      }
      int phase = rule.after() ? 1 : 0;
      if (rule.effect() instanceof FaultEffect.Latency latency) {
        delay[phase] = delay[phase].plus(draw(latency));
      } else {
        errors.get(phase).add(rule.effect());
      }
    }
    return new Outcome(
        new Decision(delay[0], errors.get(0).stream().findFirst()),
        new Decision(delay[1], errors.get(1).stream().findFirst()));
  }

  private boolean fires(double share) {
    return share >= 1.0 || random.nextDouble() < share;
  }

  private Duration draw(FaultEffect.Latency latency) {
    long span = latency.max().toNanos() - latency.min().toNanos();
    long jitter = span == 0 ? 0 : (long) (random.nextDouble() * span);
    return latency.min().plusNanos(jitter);
  }

  /** What happens to one call before its operation runs, or after. */
  public record Decision(Duration delay, Optional<FaultEffect> error) {}

  /**
   * The faults of one call: {@code before} the operation (an error there means it does not run) and
   * {@code after} it (it ran; the answer is delayed or replaced by the error).
   */
  public record Outcome(Decision before, Decision after) {}
}
