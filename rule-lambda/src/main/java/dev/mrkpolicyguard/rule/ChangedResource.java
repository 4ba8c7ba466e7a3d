package dev.mrkpolicyguard.rule;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import software.amazon.awssdk.services.config.model.ConfigurationItem;

/**
 * The parts of a configuration item the rule uses, from either shape: the event's ({@code ARN},
 * {@code awsAccountId}) or the API's ({@code arn}, {@code accountId}) (Config developer guide,
 * example events; RDK {@code convert_api_configuration}).
 *
 * @param resourceType e.g. {@code AWS::KMS::Key}
 * @param resourceId for a KMS key, its key ID
 * @param arn the resource ARN, or {@code null} when the item has none
 * @param status configurationItemStatus
 * @param captureTime when Config captured the item: the evaluation's ordering time
 */
record ChangedResource(
    String resourceType, String resourceId, String arn, String status, Instant captureTime) {
  static final String KMS_KEY = "AWS::KMS::Key";
  private static final Set<String> GONE =
      Set.of("ResourceDeleted", "ResourceDeletedNotRecorded", "ResourceNotRecorded");

  /** From the event's {@code configurationItem} or {@code configurationItemSummary}. */
  static ChangedResource fromEvent(JsonNode item, String what) {
    if (item == null || !item.isObject()) {
      throw new RuleConfigurationException("invokingEvent has no " + what);
    }
    String type = required(item, "resourceType", what);
    String id = required(item, "resourceId", what);
    String arn = item.hasNonNull("ARN") ? item.get("ARN").asText() : null;
    if (arn == null && item.hasNonNull("arn")) {
      arn = item.get("arn").asText();
    }
    String captured = required(item, "configurationItemCaptureTime", what);
    Instant time;
    try {
      time = java.time.OffsetDateTime.parse(captured).toInstant();
    } catch (DateTimeParseException e) {
      throw new RuleConfigurationException(
          what
              + "'s configurationItemCaptureTime '"
              + captured
              + "' is not an ISO-8601 time with an offset (e.g. 2026-11-28T12:00:00.000Z)");
    }
    String status = item.path("configurationItemStatus").asText("OK");
    return new ChangedResource(type, id, arn, status, time);
  }

  /** From a GetResourceConfigHistory item. */
  static ChangedResource fromApi(ConfigurationItem item) {
    return new ChangedResource(
        item.resourceTypeAsString(),
        item.resourceId(),
        item.arn(),
        item.configurationItemStatusAsString(),
        item.configurationItemCaptureTime());
  }

  /** Whether the rule evaluates this item: a KMS key that still exists and is recorded. */
  boolean isEvaluable() {
    return KMS_KEY.equals(resourceType) && !GONE.contains(status) && arn != null;
  }

  /** Why the item is not evaluated, for the NOT_APPLICABLE annotation. */
  String whyNotApplicable() {
    if (!KMS_KEY.equals(resourceType)) {
      return "The rule evaluates only AWS::KMS::Key resources, not " + resourceType + ".";
    }
    if (GONE.contains(status)) {
      return "The key is no longer recorded by AWS Config (" + status + ").";
    }
    return "The configuration item has no key ARN.";
  }

  private static String required(JsonNode item, String field, String what) {
    JsonNode value = item.get(field);
    if (value == null || value.isNull() || value.asText().isEmpty()) {
      throw new RuleConfigurationException(what + " has no " + field);
    }
    return value.asText();
  }
}
