package dev.mrkpolicyguard.rule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.core.KeyNotEvaluatedException;
import dev.mrkpolicyguard.core.KeyReader;
import dev.mrkpolicyguard.engine.compare.PolicyComparator;
import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.Compliance;
import dev.mrkpolicyguard.engine.rule.KeyDecider;
import dev.mrkpolicyguard.engine.rule.KeyEvaluation;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;

/**
 * The rule's plumbing, shared by every trigger (after rdklib's evaluator): reads the rule
 * parameters, picks the credentials, loads the baseline, evaluates the changed key or the whole
 * Region, and posts the evaluations. Decisions come from {@link KeyDecider}; facts from {@link
 * KeyReader}.
 */
public final class RuleEvaluator {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final RuleAdapters adapters;
  private final RuleSettings settings;
  private final PrintStream log;
  private final PolicyComparator comparator;

  /**
   * An evaluator over {@code adapters}, running as {@code settings} say, logging to {@code log}.
   */
  RuleEvaluator(RuleAdapters adapters, RuleSettings settings, PrintStream log) {
    this.adapters = Objects.requireNonNull(adapters, "adapters");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.log = Objects.requireNonNull(log, "log");
    this.comparator =
        new PolicyComparator().withTimeBudget(settings.comparisonBudget(), settings.nanoTime());
  }

  /**
   * What one invocation did.
   *
   * @param keys how many keys it set out to evaluate
   * @param posted the evaluations AWS Config accepted
   * @param notEvaluated the keys that could not be evaluated (an AWS error after retries): their
   *     previous evaluations stand
   * @param refused resource ids whose evaluations Config refused after every retry
   * @param unconfirmed resource ids whose PutEvaluations timed out: not sent again, as Config may
   *     have stored them
   */
  record Result(
      int keys,
      List<ConfigEvaluation> posted,
      List<NotEvaluated> notEvaluated,
      List<String> refused,
      List<String> unconfirmed) {
    Result {
      posted = List.copyOf(posted);
      notEvaluated = List.copyOf(notEvaluated);
      refused = List.copyOf(refused);
      unconfirmed = List.copyOf(unconfirmed);
    }
  }

  /** A key left without a decision this run, and why. */
  record NotEvaluated(String keyArn, String error) {}

  /**
   * Evaluates one Config event; {@code requestId} correlates the log lines, and {@code remaining}
   * is the time left before Lambda ends the invocation (a periodic run keeps well inside it).
   */
  Result evaluate(ConfigEvent event, String requestId, Duration remaining) {
    long start = System.nanoTime();
    adapters.resetCalls();
    RunLog runLog = new RunLog(log, requestId, event.configRuleName());
    RunStats stats = new RunStats();
    try {
      return run(event, runLog, stats, remaining);
    } finally {
      long ms = (System.nanoTime() - start) / 1_000_000;
      runLog.metrics(stats, adapters.calls(), ms, settings.clock().instant());
    }
  }

  private Result run(ConfigEvent event, RunLog runLog, RunStats stats, Duration remaining) {
    if (event.resultToken() == null || event.resultToken().isEmpty()) {
      throw new RuleConfigurationException("the event has no resultToken");
    }
    RuleParameters parameters = RuleParameters.parse(event.ruleParameters());
    InvokingEvent invoking = invokingEvent(event.invokingEvent());
    RuleAccess access = access(event, parameters);
    // The baseline is read with the function's own credentials, in its own account: in the central
    // layout the parameter exists in the central account, not in the member account (whose role
    // may not read SSM at all).
    Baseline baseline =
        adapters
            .own()
            .baselines()
            .load(
                parameters.baselineParameterName(), "the function's account, " + settings.region());
    EvaluationPoster poster =
        new EvaluationPoster(access.evaluations(), event.resultToken(), settings.batchSize());
    // A decider per invocation: its comparison cache never outlives the event it serves.
    RuleRun run = new RuleRun(access, new KeyDecider(comparator), baseline, runLog, stats);
    return switch (invoking.messageType() == null ? "" : invoking.messageType()) {
      case InvokingEvent.CHANGE ->
          change(
              event,
              ChangedResource.fromEvent(invoking.configurationItem(), "configurationItem"),
              run,
              poster);
      case InvokingEvent.OVERSIZED_CHANGE -> oversized(event, invoking, run, poster);
      case InvokingEvent.SCHEDULED ->
          new PeriodicRun(settings, run)
              .evaluate(
                  new PeriodicRun.Request(
                      event, orderingTime(invoking), parameters.fullRefreshDays(), remaining),
                  poster);
      default ->
          throw new RuleConfigurationException(
              "unsupported messageType '"
                  + invoking.messageType()
                  + "'; expected ConfigurationItemChangeNotification,"
                  + " OversizedConfigurationItemChangeNotification or ScheduledNotification");
    };
  }

  /** The per-invocation collaborators every trigger uses. */
  private Result change(
      ConfigEvent event, ChangedResource item, RuleRun run, EvaluationPoster poster) {
    if (rejected(event, item, run)) {
      return rejectedResult(item);
    }
    String keyArn = item.arn() == null ? item.resourceId() : item.arn();
    KeyEvaluation evaluation;
    if (event.eventLeftScope()) {
      evaluation = RuleRun.notApplicable(keyArn, "The key is no longer in the rule's scope.");
    } else if (!item.isEvaluable()) {
      evaluation = RuleRun.notApplicable(keyArn, item.whyNotApplicable());
    } else {
      RuleRun.KeyOutcome outcome = run.decide(item.arn());
      if (outcome.notEvaluated() != null) {
        // Its previous evaluation stands; failing the invocation lets Lambda's retry take it.
        run.stats().notEvaluated();
        run.log().keyNotEvaluated(item.arn(), outcome.notEvaluated().failure());
        throw new KeyNotEvaluatedException(item.arn(), outcome.notEvaluated().failure());
      }
      evaluation = outcome.evaluation();
    }
    run.stats().decided(evaluation);
    if (evaluation.compliance() == Compliance.DEFERRED) {
      run.log().key(evaluation, false);
      return new Result(1, List.of(), List.of(), List.of(), List.of());
    }
    ConfigEvaluation posted = RuleRun.toConfig(item.resourceId(), evaluation, item.captureTime());
    EvaluationPoster.Outcome outcome = poster.post(List.of(posted));
    run.stats().posted(outcome.accepted().size());
    run.log().key(evaluation, !outcome.accepted().isEmpty());
    List<String> refused = List.of();
    if (!outcome.failed().isEmpty()) {
      run.stats().error();
      refused = List.of(item.resourceId());
      run.log().refused(refused);
    }
    // Not failing the invocation: Lambda's retry would post it again.
    List<String> unconfirmed = List.of();
    if (!outcome.unconfirmed().isEmpty()) {
      run.stats().unconfirmed(1);
      unconfirmed = List.of(item.resourceId());
      run.log().unconfirmed(unconfirmed);
    }
    return new Result(1, outcome.accepted(), List.of(), refused, unconfirmed);
  }

  /**
   * Whether {@code item} cannot be about a resource of the rule's account and Region (see {@link
   * ChangedResource#mismatches}); such an item is logged, counted and nothing is posted for it.
   */
  private boolean rejected(ConfigEvent event, ChangedResource item, RuleRun run) {
    List<String> problems =
        item.mismatches(partition(event), settings.region(), ruleAccount(event));
    if (problems.isEmpty()) {
      return false;
    }
    run.stats().rejected();
    run.log().itemRejected(item.resourceType(), item.resourceId(), item.arn(), problems);
    return true;
  }

  /** Nothing posted for a rejected item; it counts as a key left without a decision. */
  private static Result rejectedResult(ChangedResource item) {
    return new Result(
        1,
        List.of(),
        List.of(
            new NotEvaluated(
                String.valueOf(item.resourceId()),
                "configuration item rejected (not a key of this rule's account and Region);"
                    + " nothing posted for it")),
        List.of(),
        List.of());
  }

  /** An oversized notification: its summary is checked, then the full item is fetched. */
  private Result oversized(
      ConfigEvent event, InvokingEvent invoking, RuleRun run, EvaluationPoster poster) {
    ChangedResource summary =
        ChangedResource.fromEvent(invoking.configurationItemSummary(), "configurationItemSummary");
    if (rejected(event, summary, run)) {
      return rejectedResult(summary);
    }
    return change(event, run.access().items().fullItem(summary).orElse(summary), run, poster);
  }

  private RuleAccess access(ConfigEvent event, RuleParameters parameters) {
    // executionRoleArn is never assumed: it is often Config's service-linked role, which Lambda
    // cannot assume (RDK issue #338). A central account names its role with ExecutionRoleName.
    if (parameters.executionRoleName() == null) {
      return adapters.own();
    }
    if (event.accountId() == null || !event.accountId().matches("\\d{12}")) {
      throw new RuleConfigurationException(
          "ExecutionRoleName is set but the event's accountId '"
              + event.accountId()
              + "' is not an account ID");
    }
    String roleArn =
        "arn:"
            + partition(event)
            + ":iam::"
            + event.accountId()
            + ":role/"
            + parameters.executionRoleName();
    return adapters.assumed(roleArn);
  }

  /**
   * The account the rule evaluates: the event's {@code accountId}, else the account of its {@code
   * configRuleArn}. Config always sends both; an event with neither cannot be checked.
   */
  private static String ruleAccount(ConfigEvent event) {
    if (event.accountId() != null && event.accountId().matches("\\d{12}")) {
      return event.accountId();
    }
    String[] parts =
        event.configRuleArn() == null ? new String[0] : event.configRuleArn().split(":");
    if (parts.length > 5 && parts[4].matches("\\d{12}")) {
      return parts[4];
    }
    throw new RuleConfigurationException(
        "the event names no account (accountId '"
            + event.accountId()
            + "', configRuleArn '"
            + event.configRuleArn()
            + "'), so its configuration item cannot be checked");
  }

  private String partition(ConfigEvent event) {
    if (event.configRuleArn() != null && event.configRuleArn().startsWith("arn:")) {
      String[] parts = event.configRuleArn().split(":", 3);
      if (parts.length == 3 && !parts[1].isEmpty()) {
        return parts[1];
      }
    }
    return adapters.partition(settings.region());
  }

  private Instant orderingTime(InvokingEvent invoking) {
    String text = invoking.notificationCreationTime();
    if (text != null) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        // fall back to the invocation time below
      }
    }
    return settings.clock().instant();
  }

  private static InvokingEvent invokingEvent(String json) {
    if (json == null || json.isBlank()) {
      throw new RuleConfigurationException("the event has no invokingEvent");
    }
    try {
      return MAPPER.readValue(json, InvokingEvent.class);
    } catch (JsonProcessingException e) {
      throw new RuleConfigurationException(
          "invokingEvent is not the JSON Config sends: " + e.getOriginalMessage());
    }
  }
}
