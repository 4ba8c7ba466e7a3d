package dev.mrkpolicyguard.rule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.aws.ClientFactory;
import dev.mrkpolicyguard.aws.KeyFactsReader;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.Compliance;
import dev.mrkpolicyguard.engine.rule.KeyDecider;
import dev.mrkpolicyguard.engine.rule.KeyEvaluation;
import dev.mrkpolicyguard.engine.rule.KeyFacts;
import java.io.PrintStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;
import software.amazon.awssdk.services.config.ConfigClient;
import software.amazon.awssdk.services.config.model.ConfigurationItem;
import software.amazon.awssdk.services.config.model.Evaluation;

/**
 * The rule's plumbing, shared by every trigger (after rdklib's evaluator): reads the rule
 * parameters, picks the credentials, loads the baseline, evaluates the changed key or the whole
 * Region, and posts the evaluations. Decisions come from {@link KeyDecider}; facts from {@link
 * KeyFactsReader}.
 */
public final class RuleEvaluator {
  /** Session name of the assumed execution role, seen in the member account's CloudTrail. */
  static final String SESSION_NAME = "mrkPolicyGuard";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ClientFactory clients;
  private final RuleSettings settings;
  private final PrintStream log;
  private final KeyDecider decider = new KeyDecider();

  /** An evaluator with {@code clients}, running as {@code settings} say, logging to {@code log}. */
  public RuleEvaluator(ClientFactory clients, RuleSettings settings, PrintStream log) {
    this.clients = Objects.requireNonNull(clients, "clients");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.log = Objects.requireNonNull(log, "log");
  }

  /**
   * What one invocation did.
   *
   * @param keys how many keys it set out to evaluate
   * @param posted the evaluations AWS Config accepted
   * @param notEvaluated the keys that could not be evaluated (an AWS error after retries): their
   *     previous evaluations stand
   * @param refused resource ids whose evaluations Config refused after every retry
   */
  record Result(
      int keys, List<Evaluation> posted, List<NotEvaluated> notEvaluated, List<String> refused) {
    Result {
      posted = List.copyOf(posted);
      notEvaluated = List.copyOf(notEvaluated);
      refused = List.copyOf(refused);
    }
  }

  /** A key left without a decision this run, and why. */
  record NotEvaluated(String keyArn, String error) {}

  /** Evaluates one Config event; {@code requestId} correlates the log lines. */
  Result evaluate(ConfigEvent event, String requestId) {
    long start = System.nanoTime();
    clients.resetCalls();
    RunLog runLog = new RunLog(log, requestId, event.configRuleName());
    RunStats stats = new RunStats();
    try {
      return run(event, runLog, stats);
    } finally {
      long ms = (System.nanoTime() - start) / 1_000_000;
      runLog.metrics(stats, clients.calls().snapshot(), ms, settings.clock().instant());
    }
  }

  private Result run(ConfigEvent event, RunLog runLog, RunStats stats) {
    if (event.resultToken() == null || event.resultToken().isEmpty()) {
      throw new RuleConfigurationException("the event has no resultToken");
    }
    RuleParameters parameters = RuleParameters.parse(event.ruleParameters());
    InvokingEvent invoking = invokingEvent(event.invokingEvent());
    AwsCredentialsProvider credentials = credentials(event, parameters);
    String region = settings.region();
    Baseline baseline =
        BaselineLoader.load(
            clients.ssm(region, credentials),
            parameters.baselineParameterName(),
            "account " + event.accountId() + ", " + region);
    ConfigClient config = clients.config(region, credentials);
    KeyFactsReader reader = new KeyFactsReader(r -> clients.kms(r, credentials));
    EvaluationPoster poster =
        new EvaluationPoster(config, event.resultToken(), settings.batchSize());
    Run run = new Run(reader, baseline, runLog, stats);
    return switch (invoking.messageType() == null ? "" : invoking.messageType()) {
      case InvokingEvent.CHANGE ->
          change(
              event,
              ChangedResource.fromEvent(invoking.configurationItem(), "configurationItem"),
              run,
              poster);
      case InvokingEvent.OVERSIZED_CHANGE ->
          change(event, oversized(config, invoking), run, poster);
      case InvokingEvent.SCHEDULED ->
          new PeriodicRun(settings, decider, run)
              .evaluate(
                  clients.kms(region, credentials),
                  config,
                  event,
                  orderingTime(invoking),
                  parameters.fullRefreshDays(),
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
  record Run(KeyFactsReader reader, Baseline baseline, RunLog log, RunStats stats) {}

  private Result change(ConfigEvent event, ChangedResource item, Run run, EvaluationPoster poster) {
    String keyArn = item.arn() == null ? item.resourceId() : item.arn();
    KeyEvaluation evaluation;
    if (event.eventLeftScope()) {
      evaluation = notApplicable(keyArn, "The key is no longer in the rule's scope.");
    } else if (!item.isEvaluable()) {
      evaluation = notApplicable(keyArn, item.whyNotApplicable());
    } else {
      try {
        evaluation = decider.decide(facts(run.reader(), item.arn()), run.baseline());
      } catch (SdkException e) {
        run.stats().error();
        run.log().keyError(item.arn(), e);
        throw e;
      }
    }
    run.stats().decided(evaluation.compliance());
    if (evaluation.compliance() == Compliance.DEFERRED) {
      run.log().key(evaluation, false);
      return new Result(1, List.of(), List.of(), List.of());
    }
    Evaluation posted = toConfig(item.resourceId(), evaluation, item.captureTime());
    EvaluationPoster.Outcome outcome = poster.post(List.of(posted));
    run.stats().posted(outcome.accepted().size());
    run.log().key(evaluation, !outcome.accepted().isEmpty());
    List<String> refused = List.of();
    if (!outcome.failed().isEmpty()) {
      run.stats().error();
      refused = List.of(item.resourceId());
      run.log().refused(refused);
    }
    return new Result(1, outcome.accepted(), List.of(), refused);
  }

  /** The full item of an oversized notification (GetResourceConfigHistory, limit 1). */
  private static ChangedResource oversized(ConfigClient config, InvokingEvent invoking) {
    ChangedResource summary =
        ChangedResource.fromEvent(invoking.configurationItemSummary(), "configurationItemSummary");
    List<ConfigurationItem> items =
        config
            .getResourceConfigHistory(
                r ->
                    r.resourceType(summary.resourceType())
                        .resourceId(summary.resourceId())
                        .laterTime(summary.captureTime())
                        .limit(1))
            .configurationItems();
    return items.isEmpty() ? summary : ChangedResource.fromApi(items.get(0));
  }

  /** Facts for a key; keys whose ID says single-Region need no call. */
  static KeyFacts facts(KeyFactsReader reader, String keyArn) {
    String keyId = keyArn.substring(keyArn.lastIndexOf('/') + 1);
    return KeyFactsReader.isSingleRegionKeyId(keyId)
        ? KeyFactsReader.singleRegion(keyArn)
        : reader.read(keyArn);
  }

  static KeyEvaluation notApplicable(String keyArn, String why) {
    return new KeyEvaluation(keyArn, Compliance.NOT_APPLICABLE, List.of(), why);
  }

  static Evaluation toConfig(String resourceId, KeyEvaluation evaluation, Instant ordering) {
    return Evaluation.builder()
        .complianceResourceType(ChangedResource.KMS_KEY)
        .complianceResourceId(resourceId)
        .complianceType(evaluation.compliance().name())
        .annotation(ComplianceRecords.blankToNull(evaluation.annotation()))
        .orderingTimestamp(ordering)
        .build();
  }

  private AwsCredentialsProvider credentials(ConfigEvent event, RuleParameters parameters) {
    // executionRoleArn is never assumed: it is often Config's service-linked role, which Lambda
    // cannot assume (RDK issue #338). A central account names its role with ExecutionRoleName.
    if (parameters.executionRoleName() == null) {
      return clients.ownCredentials();
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
    return clients.assumedRole(roleArn, SESSION_NAME);
  }

  private String partition(ConfigEvent event) {
    if (event.configRuleArn() != null && event.configRuleArn().startsWith("arn:")) {
      String[] parts = event.configRuleArn().split(":", 3);
      if (parts.length == 3 && !parts[1].isEmpty()) {
        return parts[1];
      }
    }
    RegionMetadata metadata = Region.of(settings.region()).metadata();
    return metadata == null ? "aws" : metadata.partition().id();
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

  static String regionOf(String keyArn) {
    return KeyContext.parse(keyArn).map(KeyContext::region).orElse(null);
  }
}
