package dev.mrkpolicyguard.rule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
 * @param awsRegion the item's Region, or {@code null} when the item has none
 * @param accountId the item's account ({@code awsAccountId}, API: {@code accountId}), or {@code
 *     null}
 */
public record ChangedResource(
    String resourceType,
    String resourceId,
    String arn,
    String status,
    Instant captureTime,
    String awsRegion,
    String accountId) {
  /** The resource type of a KMS key. */
  public static final String KMS_KEY = "AWS::KMS::Key";

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
    return new ChangedResource(
        type,
        id,
        arn,
        status,
        time,
        optional(item, "awsRegion"),
        item.hasNonNull("awsAccountId")
            ? item.get("awsAccountId").asText()
            : optional(item, "accountId"));
  }

  /**
   * Why this item cannot be about a resource of the rule's {@code account} in its {@code region}
   * (and {@code partition}); empty when it can. The item's Region and account must be the rule's; a
   * KMS key item that still exists must carry the key's ARN, and that ARN must name the rule's
   * partition, Region and account and the item's resourceId. An evaluation is posted under the
   * resourceId in the rule's account and Region, so an item failing any of these would post another
   * key's verdict for it.
   */
  List<String> mismatches(String partition, String region, String account) {
    List<String> out = new ArrayList<>();
    if (awsRegion != null && !awsRegion.equals(region)) {
      out.add("awsRegion " + awsRegion + " is not the rule's Region " + region);
    }
    if (accountId != null && !accountId.equals(account)) {
      out.add("the item's account " + accountId + " is not the rule's account " + account);
    }
    if (!KMS_KEY.equals(resourceType)) {
      return out;
    }
    if (arn == null) {
      if (!GONE.contains(status)) {
        out.add("the item has no ARN, so which key it names cannot be checked");
      }
      return out;
    }
    Optional<KeyContext> key = KeyContext.parse(arn);
    if (key.isEmpty()) {
      out.add("ARN '" + arn + "' is not a KMS key ARN");
      return out;
    }
    KeyContext k = key.get();
    if (!k.keyId().equals(resourceId)) {
      out.add("ARN " + arn + " names key " + k.keyId() + ", not the resourceId " + resourceId);
    }
    if (!k.region().equals(region)) {
      out.add("ARN " + arn + " is in " + k.region() + ", not the rule's Region " + region);
    }
    if (!k.accountId().equals(account)) {
      out.add(
          "ARN " + arn + " is in account " + k.accountId() + ", not the rule's account " + account);
    }
    if (!k.partition().equals(partition)) {
      out.add("ARN " + arn + " is in partition " + k.partition() + ", not " + partition);
    }
    return out;
  }

  /**
   * Whether the rule evaluates this item: a KMS key that still exists and is recorded. Only asked
   * of items without {@link #mismatches}.
   */
  boolean isEvaluable() {
    return KMS_KEY.equals(resourceType) && !GONE.contains(status) && arn != null;
  }

  /** Why the item is not evaluated, for the NOT_APPLICABLE annotation. */
  String whyNotApplicable() {
    if (!KMS_KEY.equals(resourceType)) {
      return "The rule evaluates only AWS::KMS::Key resources, not " + resourceType + ".";
    }
    return "The key is no longer recorded by AWS Config (" + status + ").";
  }

  private static String optional(JsonNode item, String field) {
    JsonNode value = item.get(field);
    return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
  }

  private static String required(JsonNode item, String field, String what) {
    JsonNode value = item.get(field);
    if (value == null || value.isNull() || value.asText().isEmpty()) {
      throw new RuleConfigurationException(what + " has no " + field);
    }
    return value.asText();
  }
}
