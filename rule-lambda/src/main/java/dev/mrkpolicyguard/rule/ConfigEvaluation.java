package dev.mrkpolicyguard.rule;

import java.time.Instant;
import java.util.Objects;

/**
 * One evaluation as the rule posts it to AWS Config (PutEvaluations' {@code Evaluation}).
 *
 * @param resourceId the key ID
 * @param complianceType COMPLIANT, NON_COMPLIANT or NOT_APPLICABLE
 * @param annotation at most 256 characters, or {@code null} for none
 * @param orderingTimestamp when the evaluated configuration was captured
 */
public record ConfigEvaluation(
    String resourceId, String complianceType, String annotation, Instant orderingTimestamp) {
  /** The only resource type the rule evaluates. */
  public static final String RESOURCE_TYPE = ChangedResource.KMS_KEY;

  public ConfigEvaluation {
    Objects.requireNonNull(resourceId, "resourceId");
    Objects.requireNonNull(complianceType, "complianceType");
    Objects.requireNonNull(orderingTimestamp, "orderingTimestamp");
  }

  /** Always {@link #RESOURCE_TYPE}. */
  public String resourceType() {
    return RESOURCE_TYPE;
  }
}
