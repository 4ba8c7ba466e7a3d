package dev.mrkpolicyguard.rule;

import dev.mrkpolicyguard.core.KeyArn;
import dev.mrkpolicyguard.core.ListedKey;
import dev.mrkpolicyguard.engine.rule.Compliance;
import dev.mrkpolicyguard.engine.rule.KeyEvaluation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A scheduled run over every key of the Region: lists the keys, reads and decides them with bounded
 * concurrency, and posts in batches as keys are decided, only what differs from Config's record
 * (everything when a record is older than FullRefreshDays); retires keys that no longer exist.
 *
 * <p>The run has a deadline well inside the function's timeout ({@link Deadline}): no key is
 * started after it, keys still being read or compared a little later are left, and what was decided
 * is posted. Keys left undecided post nothing, so their previous evaluation stands; they are logged
 * and counted. Keys Config has no record of come first, then the least recently recorded, so the
 * next run takes a key that never got a record early (docs/config-rule.md).
 */
final class PeriodicRun {
  static final String VANISHED = "The key no longer exists in this Region.";
  static final String PAST_DEADLINE =
      "not decided before the run's deadline; its previous evaluation stands";

  /** How often the collector looks at the clock while no key completes. */
  private static final long POLL_MILLIS = 50;

  private final RuleSettings settings;
  private final RuleRun run;

  PeriodicRun(RuleSettings settings, RuleRun run) {
    this.settings = settings;
    this.run = run;
  }

  /**
   * When a run stops: no key is started at or after {@code startUntil}, and keys not done by {@code
   * waitUntil} are left. The reserve after it is for posting what was decided.
   */
  record Deadline(Instant startUntil, Instant waitUntil) {
    /**
     * For a run started at {@code start} with {@code remaining} time before Lambda ends it: a fifth
     * of it (at least 30 s, at most half) is kept in reserve; keys are started until the reserve
     * begins and waited for through half of it. A 900 s function starts keys for 720 s and waits
     * for them until 810 s.
     */
    static Deadline of(Instant start, Duration remaining) {
      Duration reserve = remaining.dividedBy(5);
      if (reserve.compareTo(Duration.ofSeconds(30)) < 0) {
        reserve = Duration.ofSeconds(30);
      }
      if (reserve.compareTo(remaining.dividedBy(2)) > 0) {
        reserve = remaining.dividedBy(2);
      }
      Instant end = start.plus(remaining);
      return new Deadline(end.minus(reserve), end.minus(reserve.dividedBy(2)));
    }
  }

  /** One listed key's outcome: a decision, a read failure, or {@code null}: not started in time. */
  private record Outcome(ListedKey key, RuleRun.KeyOutcome outcome) {}

  /**
   * What a scheduled notification asks for.
   *
   * @param event the Config event
   * @param ordering the evaluations' ordering time (the notification's creation time)
   * @param fullRefreshDays re-post everything once a decided key's record is older than this
   * @param remaining the time left before Lambda ends the invocation
   */
  record Request(ConfigEvent event, Instant ordering, int fullRefreshDays, Duration remaining) {}

  RuleEvaluator.Result evaluate(Request request, EvaluationPoster poster) {
    ConfigEvent event = request.event();
    Instant start = settings.clock().instant();
    Deadline deadline = Deadline.of(start, request.remaining());
    List<ListedKey> keys = run.access().lister().listKeys();
    Map<String, ComplianceRecords.Recorded> records =
        event.testMode() ? Map.of() : records(event.configRuleName());
    Batches batches = new Batches(poster, request.ordering());
    Decided decided =
        new Decided(records, start.minus(Duration.ofDays(request.fullRefreshDays())), batches);
    Set<String> handled = decideAll(order(keys, records), deadline, decided);

    List<RuleEvaluator.NotEvaluated> notEvaluated = new ArrayList<>(decided.notEvaluated);
    for (ListedKey key : keys) {
      if (!handled.contains(key.keyId())) {
        // Not started, or not done in time: nothing posted, the previous evaluation stands.
        run.stats().pastDeadline();
        run.log().keyPastDeadline(key.keyArn(), deadline.startUntil());
        notEvaluated.add(new RuleEvaluator.NotEvaluated(key.keyArn(), PAST_DEADLINE));
      }
    }
    Set<String> present = new HashSet<>();
    keys.forEach(k -> present.add(k.keyId()));
    for (Map.Entry<String, ComplianceRecords.Recorded> record : records.entrySet()) {
      String keyId = record.getKey();
      if (!present.contains(keyId)
          && !"NOT_APPLICABLE".equals(record.getValue().complianceType())) {
        String arn =
            new KeyArn(partitionOf(keys, event), settings.region(), event.accountId(), keyId)
                .toString();
        batches.add(keyId, RuleRun.notApplicable(arn, VANISHED));
        run.stats().retired();
      }
    }
    batches.flush();
    decided.unchanged.values().forEach(e -> run.log().key(e, false));
    return new RuleEvaluator.Result(
        keys.size(), batches.accepted, notEvaluated, batches.refused, batches.unconfirmed);
  }

  /**
   * What Config records for the rule; if Config refuses to show it (as for rules an AWS service
   * owns), no records: every key is then posted this run, which is said once and counted.
   */
  private Map<String, ComplianceRecords.Recorded> records(String ruleName) {
    try {
      return run.access().history().recorded(ruleName);
    } catch (ComplianceHistory.Refused e) {
      run.stats().complianceReadRefused();
      run.log().complianceReadRefused(e.errorCode());
      return Map.of();
    }
  }

  /**
   * The order keys are started in: keys Config has no record of first (new keys, and keys no run
   * has decided yet), then the least recently recorded. A key whose record is older than the
   * others' was not posted for longest, so a run cut short by its deadline reaches it early next
   * time; keys whose record did not need changing keep their record's time too, so this favours but
   * does not single out keys a run left (docs/config-rule.md).
   */
  static List<ListedKey> order(
      List<ListedKey> keys, Map<String, ComplianceRecords.Recorded> records) {
    List<ListedKey> ordered = new ArrayList<>(keys);
    ordered.sort(
        Comparator.comparing(
            (ListedKey k) -> recordedTime(records.get(k.keyId())),
            Comparator.nullsFirst(Comparator.naturalOrder())));
    return ordered;
  }

  private static Instant recordedTime(ComplianceRecords.Recorded record) {
    if (record == null) {
      return null;
    }
    return record.recordedTime() == null ? Instant.MIN : record.recordedTime();
  }

  /**
   * Decides {@code keys} on the pool, handing each outcome to {@code decided} as it completes;
   * returns the IDs of the keys handled (decided or failed to read) before the deadline.
   */
  private Set<String> decideAll(List<ListedKey> keys, Deadline deadline, Decided decided) {
    Set<String> handled = new HashSet<>();
    if (keys.isEmpty()) {
      return handled;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(settings.concurrency(), keys.size())), PeriodicRun::daemon);
    try {
      CompletionService<Outcome> completions = new ExecutorCompletionService<>(pool);
      for (ListedKey key : keys) {
        completions.submit(() -> decide(key, deadline));
      }
      int pending = keys.size();
      while (pending > 0 && settings.clock().instant().isBefore(deadline.waitUntil())) {
        Future<Outcome> done = completions.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (done == null) {
          continue;
        }
        pending--;
        Outcome outcome = join(done);
        if (outcome.outcome() != null) {
          handled.add(outcome.key().keyId());
          decided.accept(outcome);
        }
      }
      return handled;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while evaluating keys", e);
    } finally {
      // Keys still queued or in progress are left; their threads are interrupted (a comparison
      // then stops at its next look at the clock).
      pool.shutdownNow();
    }
  }

  private Outcome decide(ListedKey key, Deadline deadline) {
    if (!settings.clock().instant().isBefore(deadline.startUntil())) {
      return new Outcome(key, null);
    }
    return new Outcome(key, run.decide(key.keyArn()));
  }

  private static Outcome join(Future<Outcome> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException cause
          ? cause
          : new IllegalStateException("evaluating a key failed", e.getCause());
    }
  }

  /**
   * What happens to each key as it is decided: a read failure is logged and counted, a decision is
   * queued for posting when it differs from Config's record (or a full refresh is due), else kept
   * as unchanged. The refresh is due once a decided key's record is older than FullRefreshDays;
   * from then on every decision is posted, those kept as unchanged so far included. Records of
   * vanished keys do not count, or one retired key would force a refresh on every run.
   */
  private final class Decided {
    private final Map<String, ComplianceRecords.Recorded> records;
    private final Instant refreshBefore;
    private final Batches batches;
    private final Map<String, KeyEvaluation> unchanged = new LinkedHashMap<>();
    private final List<RuleEvaluator.NotEvaluated> notEvaluated = new ArrayList<>();
    private boolean refresh;

    Decided(
        Map<String, ComplianceRecords.Recorded> records, Instant refreshBefore, Batches batches) {
      this.records = records;
      this.refreshBefore = refreshBefore;
      this.batches = batches;
    }

    void accept(Outcome outcome) {
      RuleRun.KeyOutcome result = outcome.outcome();
      if (result.notEvaluated() != null) {
        // Not posted and not retired: the key's previous evaluation stands.
        run.stats().notEvaluated();
        run.log().keyNotEvaluated(outcome.key().keyArn(), result.notEvaluated().failure());
        notEvaluated.add(
            new RuleEvaluator.NotEvaluated(
                outcome.key().keyArn(), result.notEvaluated().failure().explanation()));
        return;
      }
      KeyEvaluation evaluation = result.evaluation();
      run.stats().decided(evaluation);
      if (evaluation.compliance() == Compliance.DEFERRED) {
        run.log().key(evaluation, false);
        return;
      }
      String keyId = outcome.key().keyId();
      ComplianceRecords.Recorded record = records.get(keyId);
      if (!refresh
          && record != null
          && record.recordedTime() != null
          && record.recordedTime().isBefore(refreshBefore)) {
        refresh = true;
        unchanged.forEach(batches::add);
        unchanged.clear();
      }
      if (refresh || changed(record, evaluation)) {
        batches.add(keyId, evaluation);
      } else {
        unchanged.put(keyId, evaluation);
      }
    }
  }

  /** Evaluations waiting to be posted, posted a batch at a time as soon as a batch is full. */
  private final class Batches {
    private final EvaluationPoster poster;
    private final Instant ordering;
    private final Map<String, KeyEvaluation> waiting = new LinkedHashMap<>();
    private final List<ConfigEvaluation> accepted = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();
    private final List<String> unconfirmed = new ArrayList<>();

    Batches(EvaluationPoster poster, Instant ordering) {
      this.poster = poster;
      this.ordering = ordering;
    }

    void add(String keyId, KeyEvaluation evaluation) {
      waiting.put(keyId, evaluation);
      if (waiting.size() >= settings.batchSize()) {
        flush();
      }
    }

    void flush() {
      if (waiting.isEmpty()) {
        return;
      }
      List<ConfigEvaluation> evaluations = new ArrayList<>();
      waiting.forEach((id, e) -> evaluations.add(RuleRun.toConfig(id, e, ordering)));
      EvaluationPoster.Outcome outcome = poster.post(evaluations);
      run.stats().posted(outcome.accepted().size());
      accepted.addAll(outcome.accepted());
      Set<String> posted = new HashSet<>();
      outcome.accepted().forEach(e -> posted.add(e.resourceId()));
      waiting.forEach((id, e) -> run.log().key(e, posted.contains(id)));
      List<String> refusedNow = ids(outcome.failed());
      if (!refusedNow.isEmpty()) {
        refusedNow.forEach(id -> run.stats().error());
        run.log().refused(refusedNow);
        refused.addAll(refusedNow);
      }
      List<String> unconfirmedNow = ids(outcome.unconfirmed());
      if (!unconfirmedNow.isEmpty()) {
        run.stats().unconfirmed(unconfirmedNow.size());
        run.log().unconfirmed(unconfirmedNow);
        unconfirmed.addAll(unconfirmedNow);
      }
      waiting.clear();
    }

    private List<String> ids(List<ConfigEvaluation> evaluations) {
      return evaluations.stream().map(ConfigEvaluation::resourceId).distinct().toList();
    }
  }

  private static boolean changed(ComplianceRecords.Recorded record, KeyEvaluation evaluation) {
    return record == null
        || !record.sameAs(
            evaluation.compliance().name(), ComplianceRecords.blankToNull(evaluation.annotation()));
  }

  private static String partitionOf(List<ListedKey> keys, ConfigEvent event) {
    if (!keys.isEmpty()) {
      return KeyArn.of(keys.get(0).keyArn()).partition();
    }
    String arn = event.configRuleArn();
    if (arn != null && arn.startsWith("arn:")) {
      return arn.split(":", 3)[1];
    }
    return "aws";
  }

  private static Thread daemon(Runnable runnable) {
    Thread thread = new Thread(runnable, "mrk-policy-guard-key");
    thread.setDaemon(true);
    return thread;
  }
}
