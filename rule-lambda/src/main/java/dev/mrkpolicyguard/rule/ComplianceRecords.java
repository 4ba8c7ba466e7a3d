package dev.mrkpolicyguard.rule;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.config.ConfigClient;
import software.amazon.awssdk.services.config.model.ComplianceType;
import software.amazon.awssdk.services.config.model.EvaluationResult;
import software.amazon.awssdk.services.config.model.EvaluationResultQualifier;

/**
 * What AWS Config currently records for the rule, per key ID (GetComplianceDetailsByConfigRule,
 * every page). The periodic run compares against it to post only what changed and to retire keys
 * that vanished.
 */
final class ComplianceRecords {
  /** One recorded result. */
  record Recorded(String complianceType, String annotation, Instant recordedTime) {
    /** Whether posting {@code type} with {@code text} would change nothing Config shows. */
    boolean sameAs(String type, String text) {
      return complianceType.equals(type) && Objects.equals(blankToNull(annotation), text);
    }
  }

  private ComplianceRecords() {}

  static Map<String, Recorded> read(ConfigClient config, String ruleName) {
    Map<String, Recorded> out = new LinkedHashMap<>();
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

  private static void add(EvaluationResult result, Map<String, Recorded> out) {
    EvaluationResultQualifier qualifier =
        result.evaluationResultIdentifier().evaluationResultQualifier();
    if (!ChangedResource.KMS_KEY.equals(qualifier.resourceType())) {
      return;
    }
    out.put(
        qualifier.resourceId(),
        new Recorded(
            result.complianceTypeAsString(), result.annotation(), result.resultRecordedTime()));
  }

  /**
   * Whether {@code e} is Config refusing the read itself (it does for rules an AWS service owns),
   * rather than a failure to retry: the periodic run then posts every key instead.
   */
  static boolean isRefusal(AwsServiceException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return "AccessDeniedException".equals(code) || "AccessDenied".equals(code);
  }

  static String blankToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }
}
