package dev.mrkpolicyguard.rule;

import dev.mrkpolicyguard.engine.rule.Compliance;
import dev.mrkpolicyguard.engine.rule.KeyDecider;
import dev.mrkpolicyguard.engine.rule.KeyEvaluation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.config.ConfigClient;
import software.amazon.awssdk.services.config.model.Evaluation;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyListEntry;

/**
 * A scheduled run over every key of the Region: lists the keys, reads and decides them with bounded
 * concurrency, posts only what differs from Config's record (everything when the oldest record is
 * older than FullRefreshDays), and retires keys that no longer exist (docs/config-rule.md).
 */
final class PeriodicRun {
  static final String VANISHED = "The key no longer exists in this Region.";

  private final RuleSettings settings;
  private final KeyDecider decider;
  private final RuleEvaluator.Run run;

  PeriodicRun(RuleSettings settings, KeyDecider decider, RuleEvaluator.Run run) {
    this.settings = settings;
    this.decider = decider;
    this.run = run;
  }

  /** One listed key's outcome: a decision, or the read failure that kept it from one. */
  private record Outcome(KeyListEntry key, RuleEvaluator.KeyOutcome outcome) {
    KeyEvaluation evaluation() {
      return outcome.evaluation();
    }
  }

  RuleEvaluator.Result evaluate(
      KmsClient kms,
      ConfigClient config,
      ConfigEvent event,
      Instant ordering,
      int fullRefreshDays,
      EvaluationPoster poster) {
    List<KeyListEntry> keys = new ArrayList<>();
    kms.listKeysPaginator(r -> r.limit(1000)).keys().forEach(keys::add);
    Map<String, ComplianceRecords.Recorded> records =
        event.testMode() ? Map.of() : ComplianceRecords.read(config, event.configRuleName());
    List<Outcome> outcomes = decideAll(keys);

    Set<String> present = new HashSet<>();
    keys.forEach(k -> present.add(k.keyId()));
    boolean refresh = refreshDue(outcomes, records, fullRefreshDays);
    Map<String, KeyEvaluation> toPost = new LinkedHashMap<>();
    List<KeyEvaluation> unchanged = new ArrayList<>();
    List<RuleEvaluator.NotEvaluated> notEvaluated = new ArrayList<>();
    for (Outcome outcome : outcomes) {
      if (outcome.outcome().notEvaluated() != null) {
        // Not posted and not retired: the key's previous evaluation stands.
        run.stats().notEvaluated();
        run.log()
            .keyNotEvaluated(outcome.key().keyArn(), outcome.outcome().notEvaluated().failure());
        notEvaluated.add(
            new RuleEvaluator.NotEvaluated(
                outcome.key().keyArn(), outcome.outcome().notEvaluated().failure().explanation()));
        continue;
      }
      KeyEvaluation evaluation = outcome.evaluation();
      run.stats().decided(evaluation.compliance());
      if (evaluation.compliance() == Compliance.DEFERRED) {
        run.log().key(evaluation, false);
      } else if (refresh || changed(records.get(outcome.key().keyId()), evaluation)) {
        toPost.put(outcome.key().keyId(), evaluation);
      } else {
        unchanged.add(evaluation);
      }
    }
    for (Map.Entry<String, ComplianceRecords.Recorded> record : records.entrySet()) {
      String keyId = record.getKey();
      if (!present.contains(keyId)
          && !"NOT_APPLICABLE".equals(record.getValue().complianceType())) {
        String arn =
            "arn:"
                + partitionOf(keys, event)
                + ":kms:"
                + settings.region()
                + ":"
                + event.accountId()
                + ":key/"
                + keyId;
        toPost.put(keyId, RuleEvaluator.notApplicable(arn, VANISHED));
        run.stats().retired();
      }
    }
    return post(keys.size(), toPost, unchanged, notEvaluated, ordering, poster);
  }

  private RuleEvaluator.Result post(
      int keys,
      Map<String, KeyEvaluation> toPost,
      List<KeyEvaluation> unchanged,
      List<RuleEvaluator.NotEvaluated> notEvaluated,
      Instant ordering,
      EvaluationPoster poster) {
    List<Evaluation> evaluations = new ArrayList<>();
    toPost.forEach((id, e) -> evaluations.add(RuleEvaluator.toConfig(id, e, ordering)));
    EvaluationPoster.Outcome outcome = poster.post(evaluations);
    run.stats().posted(outcome.accepted().size());
    Set<String> refused = new LinkedHashSet<>();
    outcome.failed().forEach(e -> refused.add(e.complianceResourceId()));
    toPost.forEach((id, e) -> run.log().key(e, !refused.contains(id)));
    unchanged.forEach(e -> run.log().key(e, false));
    if (!refused.isEmpty()) {
      refused.forEach(id -> run.stats().error());
      run.log().refused(List.copyOf(refused));
    }
    return new RuleEvaluator.Result(keys, outcome.accepted(), notEvaluated, List.copyOf(refused));
  }

  private List<Outcome> decideAll(List<KeyListEntry> keys) {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(settings.concurrency(), keys.size())), PeriodicRun::daemon);
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (KeyListEntry key : keys) {
        futures.add(pool.submit(() -> decide(key)));
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> future : futures) {
        outcomes.add(join(future));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  private Outcome decide(KeyListEntry key) {
    return new Outcome(key, RuleEvaluator.decide(decider, run, key.keyArn()));
  }

  private static Outcome join(Future<Outcome> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while evaluating keys", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException cause
          ? cause
          : new IllegalStateException("evaluating a key failed", e.getCause());
    }
  }

  /**
   * Whether every evaluation is re-posted: the oldest record of a key still present and decided is
   * older than {@code days}. Records of vanished keys are left out, or one retired key would force
   * a full refresh on every run.
   */
  private boolean refreshDue(
      List<Outcome> outcomes, Map<String, ComplianceRecords.Recorded> records, int days) {
    Instant limit = settings.clock().instant().minus(Duration.ofDays(days));
    for (Outcome outcome : outcomes) {
      ComplianceRecords.Recorded record = records.get(outcome.key().keyId());
      if (outcome.evaluation() != null
          && record != null
          && record.recordedTime() != null
          && record.recordedTime().isBefore(limit)) {
        return true;
      }
    }
    return false;
  }

  private static boolean changed(ComplianceRecords.Recorded record, KeyEvaluation evaluation) {
    return record == null
        || !record.sameAs(
            evaluation.compliance().name(), ComplianceRecords.blankToNull(evaluation.annotation()));
  }

  private static String partitionOf(List<KeyListEntry> keys, ConfigEvent event) {
    String arn = keys.isEmpty() ? event.configRuleArn() : keys.get(0).keyArn();
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
