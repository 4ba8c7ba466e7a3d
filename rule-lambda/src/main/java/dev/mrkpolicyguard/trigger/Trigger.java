package dev.mrkpolicyguard.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The near-real-time trigger's decisions (docs/trigger.md): for each KMS change, which Regions need
 * the rule run ({@link TargetPlanner}); per rule and Region, whether to start now, rely on a start
 * already made or queued, or wait ({@link StartCoalescer}); and what to keep for later in the
 * deferral queue when Config refuses a start or a copy is still settling. Talks to AWS only through
 * its three ports; one instance serves a container, its coalescer across invocations.
 */
public final class Trigger {
  /** Added to every delay: Config's minute is measured on its clock, not ours. */
  static final Duration SLACK = Duration.ofSeconds(2);

  /** The longest delay SQS allows a message (DelaySeconds 900). */
  static final Duration MAX_DELAY = Duration.ofMinutes(15);

  private final KeyCopiesReader keys;
  private final ConfigRules rules;
  private final DeferralQueue queue;
  private final TriggerSettings settings;
  private final StartCoalescer coalescer;
  private final TargetPlanner planner = new TargetPlanner();

  public Trigger(Ports ports, TriggerSettings settings, StartCoalescer coalescer) {
    this.keys = ports.keys();
    this.rules = ports.rules();
    this.queue = ports.queue();
    this.settings = Objects.requireNonNull(settings, "settings");
    this.coalescer = Objects.requireNonNull(coalescer, "coalescer");
  }

  /** The trigger's three ports. */
  public record Ports(KeyCopiesReader keys, ConfigRules rules, DeferralQueue queue) {
    public Ports {
      Objects.requireNonNull(keys, "keys");
      Objects.requireNonNull(rules, "rules");
      Objects.requireNonNull(queue, "queue");
    }
  }

  /**
   * Where one invocation writes and what it reports.
   *
   * @param apiCalls the API calls made so far in this invocation, by {@code Service.Operation}
   */
  public record Invocation(
      String requestId, PrintStream log, Supplier<Map<String, Long>> apiCalls) {}

  /** Handles one invocation's inputs, in order. */
  public TriggerReport handle(List<TriggerInput> inputs, Invocation invocation) {
    long start = System.nanoTime();
    Run run = new Run(new TriggerLog(invocation.log(), invocation.requestId()));
    try {
      for (TriggerInput input : inputs) {
        if (!run.handle(input)) {
          run.report.retry(input.id());
        }
      }
      return run.report;
    } finally {
      long ms = (System.nanoTime() - start) / 1_000_000;
      run.log.metrics(run.stats, invocation.apiCalls().get(), ms, now());
    }
  }

  private Instant now() {
    return coalescer.clock().instant();
  }

  /** One invocation: its report, counts, and the DescribeKey and rule-name answers it reuses. */
  private final class Run {
    final TriggerLog log;
    final TriggerReport report = new TriggerReport();
    final TriggerStats stats = new TriggerStats();
    final Map<String, KeyCopiesReader.Read> copies = new HashMap<>();
    final Map<String, ConfigRules.Names> names = new HashMap<>();

    Run(TriggerLog log) {
      this.log = log;
    }

    /** Returns false when the input must be delivered again. */
    boolean handle(TriggerInput input) {
      if (input instanceof TriggerInput.Event event) {
        return event(event.event());
      }
      if (input instanceof TriggerInput.Deferred deferred) {
        return deferral(deferred.deferral());
      }
      fail(
          "unusable input; dropped",
          null,
          null,
          "Unusable",
          ((TriggerInput.Unusable) input).problem());
      return true;
    }

    private boolean event(JsonNode json) {
      stats.eventSeen();
      KmsChange.Parsed parsed = KmsChange.parse(json);
      if (parsed instanceof KmsChange.Parsed.Ignored ignored) {
        stats.eventIgnored();
        seen(
            new TriggerReport.Seen(
                ignored.eventName(), ignored.keyArn(), List.of(), ignored.reason()));
        return true;
      }
      if (parsed instanceof KmsChange.Parsed.Malformed malformed) {
        // Retrying cannot help: the same event fails the same way. The periodic run is the
        // backstop.
        fail("event not understood; dropped", null, null, "MalformedEvent", malformed.problem());
        return true;
      }
      KmsChange change = ((KmsChange.Parsed.Change) parsed).change();
      KeyCopies described = null;
      if (planner.needsCopies(change)) {
        KeyCopiesReader.Read read = read(change.keyArn());
        if (read instanceof KeyCopiesReader.Read.Failed failed) {
          stats.keyUnreadable();
          record(
              "key copies unreadable; nothing started for this change",
              change.region(),
              change.keyArn(),
              failed.code(),
              failed.message());
          // A standing denial stays one; anything else may pass, so the event comes back.
          return failed.standing();
        }
        described = ((KeyCopiesReader.Read.Found) read).copies();
      }
      TargetPlanner.Plan plan = planner.plan(change, described);
      seen(
          new TriggerReport.Seen(
              change.eventName(),
              change.keyArn(),
              plan.targets().stream().map(TargetPlanner.Target::region).distinct().toList(),
              plan.note()));
      boolean kept = true;
      Instant seenAt = now();
      for (String region :
          plan.targets().stream().map(TargetPlanner.Target::region).distinct().toList()) {
        String settleOn =
            plan.targets().stream()
                .filter(t -> t.region().equals(region))
                .map(TargetPlanner.Target::settleOn)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
        kept &= region(region, settleOn, 0, seenAt);
      }
      return kept;
    }

    private boolean deferral(Deferral deferral) {
      if (now().isAfter(deferral.firstSeenAt().plus(settings.maxAge()))) {
        fail(
            "deferred start given up after "
                + settings.maxAge().toHours()
                + " h; the periodic run covers it",
            deferral.region(),
            deferral.settleOn(),
            "DeferralExpired",
            "first seen "
                + deferral.firstSeenAt()
                + ", "
                + deferral.attempts()
                + " attempts: "
                + deferral.reason());
        return true;
      }
      if (deferral.configRuleName() == null) {
        return region(
            deferral.region(), deferral.settleOn(), deferral.attempts(), deferral.firstSeenAt());
      }
      StartCoalescer.RuleTarget target =
          new StartCoalescer.RuleTarget(deferral.region(), deferral.configRuleName());
      return decide(
          target,
          coalescer.onDeferral(target, deferral.dueAt()),
          deferral.attempts(),
          deferral.firstSeenAt());
    }

    /** A change needs the rule run in {@code region}, once {@code settleOn} (if any) is settled. */
    private boolean region(String region, String settleOn, int attempts, Instant firstSeen) {
      if (settleOn != null) {
        KeyCopiesReader.Read read = read(settleOn);
        String waiting = waiting(read, settleOn);
        if (waiting != null) {
          return defer(
              new Deferral(
                  region,
                  null,
                  settleOn,
                  now().plus(settings.settleDelay()),
                  attempts + 1,
                  firstSeen,
                  waiting),
              null);
        }
      }
      ConfigRules.Names found = names.computeIfAbsent(region, rules::names);
      if (found instanceof ConfigRules.Names.Failed failed) {
        fail(
            "rule names unreadable; start deferred", region, null, failed.code(), failed.message());
        return defer(
            new Deferral(
                region,
                null,
                null,
                now().plus(refusedDelay(attempts)),
                attempts + 1,
                firstSeen,
                "DescribeConfigRules failed: " + failed.code()),
            null);
      }
      List<String> ours =
          ((ConfigRules.Names.Found) found).names().stream().filter(settings::isTheRule).toList();
      if (ours.isEmpty()) {
        stats.regionWithoutRule();
        report.withoutRule(region);
        log.withoutRule(region, settings.configRuleName());
        return true;
      }
      boolean kept = true;
      for (String rule : ours) {
        StartCoalescer.RuleTarget target = new StartCoalescer.RuleTarget(region, rule);
        kept &= decide(target, coalescer.onChange(target), attempts, firstSeen);
      }
      return kept;
    }

    /** Why {@code copyArn} is not ready to be evaluated, or null when it is. */
    private String waiting(KeyCopiesReader.Read read, String copyArn) {
      if (read instanceof KeyCopiesReader.Read.Found found) {
        return found.copies().settling() ? copyArn + " is " + found.copies().keyState() : null;
      }
      KeyCopiesReader.Read.Failed failed = (KeyCopiesReader.Read.Failed) read;
      if (failed.code().equals("AccessDeniedException")) {
        // The rule will say KEY_UNREADABLE for it; waiting does not change a denial.
        return null;
      }
      // NotFound right after ReplicateKey is the new replica not yet visible; anything else passes.
      return copyArn + " not readable yet (" + failed.code() + ")";
    }

    private boolean decide(
        StartCoalescer.RuleTarget target,
        StartCoalescer.Decision decision,
        int attempts,
        Instant firstSeen) {
      if (decision instanceof StartCoalescer.Decision.Covered covered) {
        stats.startCovered();
        TriggerReport.Covered entry =
            new TriggerReport.Covered(target.region(), target.configRuleName(), covered.why());
        report.covered(entry);
        log.covered(entry);
        return true;
      }
      if (decision instanceof StartCoalescer.Decision.Wait wait) {
        return defer(
            new Deferral(
                target.region(),
                target.configRuleName(),
                null,
                wait.until().plus(SLACK),
                attempts,
                firstSeen,
                wait.why()),
            target);
      }
      return start(target, attempts, firstSeen);
    }

    private boolean start(StartCoalescer.RuleTarget target, int attempts, Instant firstSeen) {
      stats.startRequested();
      ConfigRules.Start answer = rules.start(target.region(), target.configRuleName());
      if (answer instanceof ConfigRules.Start.Started) {
        coalescer.started(target);
        stats.evaluationStarted();
        TriggerReport.Started entry =
            new TriggerReport.Started(target.region(), target.configRuleName());
        report.started(entry);
        log.started(entry);
        return true;
      }
      if (answer instanceof ConfigRules.Start.Rejected rejected) {
        fail(
            "start rejected; not retried",
            target.region(),
            null,
            rejected.code(),
            rejected.message());
        return true;
      }
      String code;
      if (answer instanceof ConfigRules.Start.Refused refused) {
        stats.startRefused();
        code = refused.code();
      } else {
        ConfigRules.Start.Failed failed = (ConfigRules.Start.Failed) answer;
        fail("start failed; deferred", target.region(), null, failed.code(), failed.message());
        code = failed.code();
      }
      return defer(
          new Deferral(
              target.region(),
              target.configRuleName(),
              null,
              now().plus(refusedDelay(attempts)),
              attempts + 1,
              firstSeen,
              code),
          target);
    }

    /** Queues {@code deferral} until its due time; returns false when the queue did not take it. */
    private boolean defer(Deferral deferral, StartCoalescer.RuleTarget target) {
      Duration delay = Duration.between(now(), deferral.dueAt());
      if (delay.compareTo(MAX_DELAY) > 0) {
        delay = MAX_DELAY;
      }
      DeferralQueue.Sent sent = queue.send(deferral, delay);
      if (sent instanceof DeferralQueue.Sent.Failed failed) {
        fail(
            "deferred start not kept; the input will be delivered again",
            deferral.region(),
            deferral.settleOn(),
            failed.code(),
            failed.message());
        return false;
      }
      if (target != null) {
        coalescer.queued(target, deferral.dueAt());
      }
      stats.startDeferred();
      TriggerReport.Deferred entry =
          new TriggerReport.Deferred(
              deferral.region(),
              deferral.configRuleName(),
              deferral.settleOn(),
              deferral.dueAt(),
              (Math.max(0, delay.toMillis()) + 999) / 1000,
              deferral.attempts(),
              deferral.reason());
      report.deferred(entry);
      log.deferred(entry);
      return true;
    }

    private KeyCopiesReader.Read read(String keyArn) {
      return copies.computeIfAbsent(keyArn, keys::read);
    }

    private void seen(TriggerReport.Seen seen) {
      report.seen(seen);
      log.seen(seen);
    }

    private void fail(String what, String region, String keyArn, String code, String message) {
      stats.failure();
      record(what, region, keyArn, code, message);
    }

    private void record(String what, String region, String keyArn, String code, String message) {
      TriggerReport.Failure failure =
          new TriggerReport.Failure(what, region, keyArn, code, message);
      report.failed(failure);
      log.failed(failure);
    }
  }

  /**
   * How long to wait after the {@code attempts}-th refusal: a minute (Config's limit), doubling
   * while an evaluation stays in progress, at most the queue's 15 minutes.
   */
  static Duration refusedDelay(int attempts) {
    Duration delay = StartCoalescer.INTERVAL.plus(SLACK);
    for (int i = 0; i < attempts && delay.compareTo(MAX_DELAY) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
  }
}
