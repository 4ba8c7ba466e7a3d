package dev.mrkpolicyguard.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mrkpolicyguard.core.KeyArn;
import java.util.Objects;
import java.util.Set;

/**
 * A KMS call on a multi-Region key of this account, as read from its CloudTrail record on
 * EventBridge (KMS developer guide: ct-put-key-policy, ct-replicate-key, ct-update-primary-region,
 * ct-schedule-key-deletion, ct-cancel-key-deletion).
 *
 * @param eventName the KMS operation
 * @param region the Region of the call ({@code detail.awsRegion})
 * @param account the account whose bus delivered the event
 * @param keyArn the key the call was about (from {@code detail.resources}, never only from the
 *     caller's {@code keyId}, which may be an ID or an ARN)
 * @param eventTime when the call was made, as CloudTrail wrote it
 * @param otherRegion ReplicateKey: the replica's Region; UpdatePrimaryRegion: the new primary's
 *     Region; otherwise null
 */
public record KmsChange(
    String eventName,
    String region,
    String account,
    String keyArn,
    String eventTime,
    String otherRegion) {
  /** The calls the trigger handles; the EventBridge rule matches exactly these. */
  public static final Set<String> EVENT_NAMES =
      Set.of(
          "PutKeyPolicy",
          "ReplicateKey",
          "UpdatePrimaryRegion",
          "ScheduleKeyDeletion",
          "CancelKeyDeletion");

  static final String DETAIL_TYPE = "AWS API Call via CloudTrail";
  static final String KMS = "kms.amazonaws.com";

  public KmsChange {
    Objects.requireNonNull(eventName, "eventName");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(keyArn, "keyArn");
  }

  /** The key's ID, the last part of its ARN. */
  public String keyId() {
    return KeyArn.parse(keyArn)
        .map(KeyArn::keyId)
        .orElse(keyArn.substring(keyArn.lastIndexOf('/') + 1));
  }

  /** What an EventBridge event turned out to be. */
  public sealed interface Parsed {
    /** A change on a multi-Region key of this account. */
    record Change(KmsChange change) implements Parsed {}

    /** A well-formed event that changes no verdict the trigger has to care for. */
    record Ignored(String eventName, String keyArn, String reason) implements Parsed {}

    /** Not an event the trigger's EventBridge rule delivers; a wiring mistake. */
    record Malformed(String problem) implements Parsed {}
  }

  /** Reads an EventBridge event (the envelope with the CloudTrail record as {@code detail}). */
  public static Parsed parse(JsonNode event) {
    if (event == null || !event.isObject()) {
      return new Parsed.Malformed("the event is not a JSON object");
    }
    JsonNode detail = event.path("detail");
    if (!DETAIL_TYPE.equals(event.path("detail-type").asText(null))
        || !"aws.kms".equals(event.path("source").asText(null))
        || !detail.isObject()
        || !KMS.equals(detail.path("eventSource").asText(null))) {
      return new Parsed.Malformed(
          "not a KMS call delivered by CloudTrail (detail-type '"
              + event.path("detail-type").asText("")
              + "', source '"
              + event.path("source").asText("")
              + "', detail.eventSource '"
              + detail.path("eventSource").asText("")
              + "')");
    }
    String name = detail.path("eventName").asText("");
    String region = text(detail, "awsRegion", event.path("region").asText(""));
    String account = text(event, "account", detail.path("recipientAccountId").asText(""));
    if (name.isEmpty() || region.isEmpty() || !account.matches("\\d{12}")) {
      return new Parsed.Malformed(
          "the event lacks eventName, awsRegion or a 12-digit account (eventName '"
              + name
              + "', awsRegion '"
              + region
              + "', account '"
              + account
              + "')");
    }
    String keyArn = keyArn(detail, region, account);
    if (detail.hasNonNull("errorCode")) {
      return new Parsed.Ignored(
          name,
          keyArn,
          "the call failed (" + detail.path("errorCode").asText() + "): nothing changed");
    }
    if (!EVENT_NAMES.contains(name)) {
      return new Parsed.Ignored(name, keyArn, "no verdict of another key copy depends on " + name);
    }
    if (name.equals("UpdatePrimaryRegion")
        && KMS.equals(detail.at("/userIdentity/invokedBy").asText(null))) {
      return new Parsed.Ignored(
          name,
          keyArn,
          "KMS's own record in the new primary's Region; the caller's record in the old"
              + " primary's Region starts the evaluations");
    }
    if (keyArn == null) {
      return new Parsed.Malformed(name + " record names no key (no resources, no keyId)");
    }
    String[] parts = keyArn.split(":");
    if (parts.length != 6 || !parts[5].startsWith("key/")) {
      return new Parsed.Malformed(name + " record names '" + keyArn + "', not a KMS key ARN");
    }
    if (!parts[5].startsWith("key/mrk-")) {
      return new Parsed.Ignored(name, keyArn, "a single-Region key has no other copies");
    }
    if (!parts[4].equals(account)) {
      return new Parsed.Ignored(
          name,
          keyArn,
          "a key of account "
              + parts[4]
              + "; this account's trigger starts only its own account's rule");
    }
    String other =
        switch (name) {
          case "ReplicateKey" -> detail.at("/requestParameters/replicaRegion").asText(null);
          case "UpdatePrimaryRegion" -> detail.at("/requestParameters/primaryRegion").asText(null);
          default -> null;
        };
    if ((name.equals("ReplicateKey") || name.equals("UpdatePrimaryRegion")) && other == null) {
      return new Parsed.Malformed(name + " record has no Region in its requestParameters");
    }
    return new Parsed.Change(
        new KmsChange(name, region, account, keyArn, detail.path("eventTime").asText(null), other));
  }

  /**
   * The key ARN: {@code resources[].ARN} (always an ARN), else {@code responseElements.keyId} when
   * it is one, else {@code requestParameters.keyId} (an ID is completed with the call's Region).
   */
  private static String keyArn(JsonNode detail, String region, String account) {
    for (JsonNode resource : detail.path("resources")) {
      String arn = resource.path("ARN").asText("");
      if ("AWS::KMS::Key".equals(resource.path("type").asText()) && arn.startsWith("arn:")) {
        return arn;
      }
    }
    String response = detail.at("/responseElements/keyId").asText("");
    if (response.startsWith("arn:")) {
      return response;
    }
    String request = detail.at("/requestParameters/keyId").asText("");
    if (request.startsWith("arn:")) {
      return request;
    }
    if (request.isEmpty() || request.startsWith("alias/")) {
      return null;
    }
    return "arn:" + partition(region) + ":kms:" + region + ":" + account + ":key/" + request;
  }

  static String partition(String region) {
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  }

  private static String text(JsonNode node, String field, String fallback) {
    String value = node.path(field).asText("");
    return value.isEmpty() ? fallback : value;
  }
}
