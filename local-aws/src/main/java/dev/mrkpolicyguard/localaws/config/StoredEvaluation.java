package dev.mrkpolicyguard.localaws.config;

import java.time.Instant;
import java.util.Objects;

/** One evaluation accepted by PutEvaluations, as stored for a rule in an account and Region. */
public record StoredEvaluation(
    String configRuleName,
    String resourceType,
    String resourceId,
    String complianceType,
    String annotation,
    Instant orderingTimestamp,
    Instant resultRecordedTime,
    String resultToken) {

  public StoredEvaluation {
    Objects.requireNonNull(configRuleName, "configRuleName");
    Objects.requireNonNull(resourceType, "resourceType");
    Objects.requireNonNull(resourceId, "resourceId");
    Objects.requireNonNull(complianceType, "complianceType");
    Objects.requireNonNull(orderingTimestamp, "orderingTimestamp");
    Objects.requireNonNull(resultRecordedTime, "resultRecordedTime");
  }
}
