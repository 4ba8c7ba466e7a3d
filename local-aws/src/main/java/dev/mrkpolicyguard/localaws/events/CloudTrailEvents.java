package dev.mrkpolicyguard.localaws.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.localaws.Scope;
import dev.mrkpolicyguard.localaws.protocol.Json;
import dev.mrkpolicyguard.localaws.protocol.Principal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What CloudTrail puts on each account's and Region's default EventBridge bus for the stand-in's
 * write calls: one event per call, {@code detail-type} "AWS API Call via CloudTrail", with the
 * CloudTrail record as {@code detail} (KMS developer guide, "Logging AWS KMS API calls with AWS
 * CloudTrail", and the per-operation record examples it links). Tests take the events and hand them
 * to the code an EventBridge rule would invoke.
 */
public final class CloudTrailEvents {
  private final Map<Scope, List<JsonNode>> buses = new LinkedHashMap<>();

  /** The events delivered to the default bus of the account and Region, oldest first. */
  public synchronized List<JsonNode> delivered(String account, String region) {
    return buses.getOrDefault(new Scope(account, region), List.of()).stream()
        .map(e -> (JsonNode) e.deepCopy())
        .toList();
  }

  /** The delivered events of the account and Region, removing them from its bus. */
  public synchronized List<JsonNode> drain(String account, String region) {
    List<JsonNode> events = delivered(account, region);
    buses.remove(new Scope(account, region));
    return events;
  }

  public synchronized void reset() {
    buses.clear();
  }

  /** Delivers the record of one call to the default bus of its account and Region. */
  public synchronized void deliver(Call call) {
    buses
        .computeIfAbsent(new Scope(call.account(), call.region()), s -> new ArrayList<>())
        .add(event(call));
  }

  /**
   * One API call as CloudTrail records it.
   *
   * @param source the EventBridge source, e.g. {@code aws.kms}
   * @param eventSource the CloudTrail event source, e.g. {@code kms.amazonaws.com}
   * @param region the Region of the record ({@code awsRegion}, and the bus it is delivered to)
   * @param account the account whose bus gets it (the key owner's)
   * @param caller who made the call, or null when the service made it itself ({@code invokedBy})
   * @param requestParameters the request as CloudTrail writes it (camelCase members)
   * @param responseElements the answer as CloudTrail writes it, or null
   * @param resourceArns the {@code resources} of the record (may be empty)
   * @param errorCode the error of a failed call, or null
   */
  public record Call(
      String source,
      String eventSource,
      String eventName,
      String region,
      String account,
      Caller caller,
      JsonNode requestParameters,
      JsonNode responseElements,
      List<String> resourceArns,
      String errorCode,
      String errorMessage,
      Instant time) {
    public Call {
      Objects.requireNonNull(eventName, "eventName");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(account, "account");
      resourceArns = List.copyOf(resourceArns);
    }
  }

  /** The caller of a recorded call: its principal and access key. */
  public record Caller(Principal principal, String accessKeyId) {}

  private static JsonNode event(Call call) {
    String time = call.time().truncatedTo(ChronoUnit.SECONDS).toString();
    ObjectNode detail = Json.object();
    detail.put("eventVersion", "1.09");
    detail.set("userIdentity", userIdentity(call));
    detail.put("eventTime", time);
    detail.put("eventSource", call.eventSource());
    detail.put("eventName", call.eventName());
    detail.put("awsRegion", call.region());
    String who = call.caller() == null ? call.eventSource() : "127.0.0.1";
    detail.put("sourceIPAddress", who);
    detail.put("userAgent", call.caller() == null ? call.eventSource() : "local-aws");
    if (call.errorCode() != null) {
      detail.put("errorCode", call.errorCode());
      detail.put("errorMessage", call.errorMessage());
    }
    detail.set("requestParameters", camelCase(call.requestParameters()));
    detail.set("responseElements", camelCase(call.responseElements()));
    detail.put("requestID", UUID.randomUUID().toString());
    detail.put("eventID", UUID.randomUUID().toString());
    detail.put("readOnly", false);
    if (!call.resourceArns().isEmpty()) {
      ArrayNode resources = detail.putArray("resources");
      for (String arn : call.resourceArns()) {
        resources
            .addObject()
            .put("accountId", call.account())
            .put("type", "AWS::KMS::Key")
            .put("ARN", arn);
      }
    }
    detail.put("eventType", "AwsApiCall");
    detail.put("managementEvent", true);
    detail.put("recipientAccountId", call.account());
    detail.put("eventCategory", "Management");
    ObjectNode event = Json.object();
    event.put("version", "0");
    event.put("id", UUID.randomUUID().toString());
    event.put("detail-type", "AWS API Call via CloudTrail");
    event.put("source", call.source());
    event.put("account", call.account());
    event.put("time", time);
    event.put("region", call.region());
    event.putArray("resources");
    event.set("detail", detail);
    return event;
  }

  private static JsonNode userIdentity(Call call) {
    ObjectNode identity = Json.object();
    if (call.caller() == null) {
      identity.put("accountId", call.account());
      identity.put("invokedBy", call.eventSource());
      return identity;
    }
    Principal principal = call.caller().principal();
    String arn = principal.arn();
    identity.put("type", type(arn));
    identity.put("principalId", principal.userId());
    identity.put("arn", arn);
    identity.put("accountId", principal.account());
    if (call.caller().accessKeyId() != null) {
      identity.put("accessKeyId", call.caller().accessKeyId());
    }
    if (arn.contains(":assumed-role/")) {
      String role = arn.substring(arn.indexOf(":assumed-role/") + 14).split("/")[0];
      ObjectNode issuer = identity.putObject("sessionContext").putObject("sessionIssuer");
      issuer.put("type", "Role");
      issuer.put("arn", "arn:aws:iam::" + principal.account() + ":role/" + role);
      issuer.put("accountId", principal.account());
      issuer.put("userName", role);
    } else if (arn.contains(":user/")) {
      identity.put("userName", arn.substring(arn.lastIndexOf('/') + 1));
    }
    return identity;
  }

  private static String type(String arn) {
    if (arn.endsWith(":root")) {
      return "Root";
    }
    return arn.contains(":assumed-role/") ? "AssumedRole" : "IAMUser";
  }

  /**
   * The API's member names as CloudTrail writes them: first letter in lower case, recursively
   * ({@code KeyId} → {@code keyId}, and KMS's own {@code AWSAccountId} → {@code aWSAccountId}).
   */
  static JsonNode camelCase(JsonNode node) {
    if (node == null || node.isNull() || (node.isObject() && node.isEmpty())) {
      return Json.MAPPER.nullNode();
    }
    return rename(node);
  }

  private static JsonNode rename(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = Json.object();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String name = field.getKey();
        String renamed =
            name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
        out.set(renamed, rename(field.getValue()));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = Json.MAPPER.createArrayNode();
      node.forEach(element -> out.add(rename(element)));
      return out;
    }
    return node;
  }
}
