package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.core.KeyFactsReader;
import dev.mrkpolicyguard.core.KmsKeys;
import dev.mrkpolicyguard.core.KmsRead;
import dev.mrkpolicyguard.core.ListedKey;
import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.rule.BaselineStore;
import dev.mrkpolicyguard.rule.ChangedResource;
import dev.mrkpolicyguard.rule.ComplianceHistory;
import dev.mrkpolicyguard.rule.ComplianceRecords;
import dev.mrkpolicyguard.rule.ConfigEvaluation;
import dev.mrkpolicyguard.rule.EvaluationSink;
import dev.mrkpolicyguard.rule.RuleAccess;
import dev.mrkpolicyguard.rule.RuleAdapters;
import dev.mrkpolicyguard.rule.RuleConfigurationException;
import dev.mrkpolicyguard.rule.RuleSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;
import software.amazon.awssdk.services.config.ConfigClient;
import software.amazon.awssdk.services.config.model.ComplianceType;
import software.amazon.awssdk.services.config.model.ConfigurationItem;
import software.amazon.awssdk.services.config.model.Evaluation;
import software.amazon.awssdk.services.config.model.EvaluationResult;
import software.amazon.awssdk.services.config.model.EvaluationResultQualifier;
import software.amazon.awssdk.services.config.model.PutEvaluationsResponse;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * The rule's ports over the AWS SDK: KMS for keys, AWS Config for the record, the history and the
 * evaluations, SSM for the baseline, each in the rule's Region with one principal's credentials.
 * Translates SDK types into the rule's values and makes no decisions.
 */
public final class SdkRuleAdapters implements RuleAdapters {
  /** Session name of the assumed execution role, seen in the member account's CloudTrail. */
  static final String SESSION_NAME = "mrkPolicyGuard";

  private static final Set<String> CONFIGURATION_ERRORS =
      Set.of("AccessDeniedException", "ValidationException");

  private final ClientFactory clients;
  private final RuleSettings settings;

  /**
   * The adapters over {@code clients}, in the Region and with the timeouts {@code settings} give.
   */
  public SdkRuleAdapters(ClientFactory clients, RuleSettings settings) {
    this.clients = Objects.requireNonNull(clients, "clients");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public RuleAccess own() {
    return access(clients.ownCredentials());
  }

  @Override
  public RuleAccess assumed(String roleArn) {
    return access(clients.assumedRole(roleArn, SESSION_NAME));
  }

  @Override
  public String partition(String region) {
    RegionMetadata metadata = Region.of(region).metadata();
    return metadata == null ? "aws" : metadata.partition().id();
  }

  @Override
  public Map<String, Long> calls() {
    return clients.calls().snapshot();
  }

  @Override
  public void resetCalls() {
    clients.resetCalls();
  }

  private RuleAccess access(AwsCredentialsProvider credentials) {
    String region = settings.region();
    ConfigClient config = clients.config(region, credentials);
    KmsKeys kms = new SdkKmsKeys(r -> clients.kms(r, credentials));
    return new RuleAccess(
        new KeyFactsReader(kms),
        () -> listKeys(kms, region),
        ruleName -> recorded(config, ruleName),
        summary -> fullItem(config, summary),
        new Baselines(clients.ssm(region, credentials)),
        new Evaluations(config, settings.postAttemptTimeout()));
  }

  /**
   * ListKeys through the {@link KmsKeys} port. A failed listing fails the invocation with the SDK's
   * exception as it was thrown (the Lambda reports it, {@code invoke} prints its message and exits
   * 1), as before the listing went through the port.
   */
  private static List<ListedKey> listKeys(KmsKeys kms, String region) {
    KmsRead<List<ListedKey>> listed = kms.listKeys(region);
    if (listed instanceof KmsRead.Failed<List<ListedKey>> failed) {
      throw failed.cause() != null
          ? failed.cause()
          : new IllegalStateException("ListKeys failed: " + failed.failure());
    }
    return ((KmsRead.Answered<List<ListedKey>>) listed).value();
  }

  private static Map<String, ComplianceRecords.Recorded> recorded(
      ConfigClient config, String ruleName) {
    try {
      return recordedPages(config, ruleName);
    } catch (AwsServiceException e) {
      String code = AwsErrors.code(e);
      if ("AccessDeniedException".equals(code) || "AccessDenied".equals(code)) {
        throw new ComplianceHistory.Refused(code, AwsErrors.message(e));
      }
      throw e;
    }
  }

  private static Map<String, ComplianceRecords.Recorded> recordedPages(
      ConfigClient config, String ruleName) {
    Map<String, ComplianceRecords.Recorded> out = new LinkedHashMap<>();
    config
        .getComplianceDetailsByConfigRulePaginator(
            r ->
                r.configRuleName(ruleName)
                    .complianceTypes(
                        ComplianceType.COMPLIANT,
                        ComplianceType.NON_COMPLIANT,
                        ComplianceType.NOT_APPLICABLE)
                    .limit(100))
        .evaluationResults()
        .forEach(result -> add(result, out));
    return out;
  }

  private static void add(EvaluationResult result, Map<String, ComplianceRecords.Recorded> out) {
    EvaluationResultQualifier qualifier =
        result.evaluationResultIdentifier().evaluationResultQualifier();
    if (!ChangedResource.KMS_KEY.equals(qualifier.resourceType())) {
      return;
    }
    out.put(
        qualifier.resourceId(),
        new ComplianceRecords.Recorded(
            result.complianceTypeAsString(), result.annotation(), result.resultRecordedTime()));
  }

  private static Optional<ChangedResource> fullItem(ConfigClient config, ChangedResource summary) {
    List<ConfigurationItem> items =
        config
            .getResourceConfigHistory(
                r ->
                    r.resourceType(summary.resourceType())
                        .resourceId(summary.resourceId())
                        .laterTime(summary.captureTime())
                        .limit(1))
            .configurationItems();
    if (items.isEmpty()) {
      return Optional.empty();
    }
    ConfigurationItem item = items.get(0);
    return Optional.of(
        new ChangedResource(
            item.resourceTypeAsString(),
            item.resourceId(),
            item.arn(),
            item.configurationItemStatusAsString(),
            item.configurationItemCaptureTime(),
            item.awsRegion(),
            item.accountId()));
  }

  /**
   * The baseline from SSM. A baseline that is missing, unreadable for lack of permission, or
   * invalid fails the invocation with the reason (it must not turn every key NON_COMPLIANT); other
   * AWS errors are left to Lambda's retries.
   */
  private record Baselines(SsmClient ssm) implements BaselineStore {
    @Override
    public Baseline load(String name, String where) {
      BaselineSource.Lookup loaded =
          BaselineSource.fromSsm(
              ssm, name, "rule parameter BaselineParameterName", "the rule's role");
      if (loaded instanceof BaselineSource.Lookup.Found found) {
        return found.baseline();
      }
      BaselineSource.Lookup.Problem problem = (BaselineSource.Lookup.Problem) loaded;
      if (problem.cause() != null
          && !(problem.cause() instanceof ParameterNotFoundException)
          && !isConfigurationError(problem)) {
        throw problem.cause();
      }
      throw new RuleConfigurationException(problem.reason() + " (" + where + ")", problem.cause());
    }

    private static boolean isConfigurationError(BaselineSource.Lookup.Problem problem) {
      return problem.cause().statusCode() == 400
          && CONFIGURATION_ERRORS.contains(AwsErrors.code(problem.cause()));
    }
  }

  /**
   * PutEvaluations with an attempt timeout well under the HTTP read timeout; an attempt that timed
   * out is not retried (see {@link NoRetryAfterTimeout}).
   */
  private record Evaluations(ConfigClient config, Duration attemptTimeout)
      implements EvaluationSink {
    private static final String TEST_MODE_TOKEN = "TESTMODE";

    @Override
    public Sent put(String resultToken, List<ConfigEvaluation> batch) {
      List<Evaluation> evaluations = batch.stream().map(Evaluations::toSdk).toList();
      PutEvaluationsResponse response;
      try {
        response =
            config.putEvaluations(
                r ->
                    r.resultToken(resultToken)
                        .evaluations(evaluations)
                        .testMode(TEST_MODE_TOKEN.equals(resultToken))
                        .overrideConfiguration(o -> o.apiCallAttemptTimeout(attemptTimeout)));
      } catch (ApiCallAttemptTimeoutException e) {
        return new Sent.TimedOut();
      }
      if (!response.hasFailedEvaluations()) {
        return new Sent.Answered(List.of());
      }
      return new Sent.Answered(
          response.failedEvaluations().stream().map(Evaluation::complianceResourceId).toList());
    }

    private static Evaluation toSdk(ConfigEvaluation e) {
      return Evaluation.builder()
          .complianceResourceType(e.resourceType())
          .complianceResourceId(e.resourceId())
          .complianceType(e.complianceType())
          .annotation(e.annotation())
          .orderingTimestamp(e.orderingTimestamp())
          .build();
    }
  }
}
