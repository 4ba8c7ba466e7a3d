package dev.mrkpolicyguard.localaws.cloudtrail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.localaws.Scope;
import dev.mrkpolicyguard.localaws.protocol.ApiException;
import dev.mrkpolicyguard.localaws.protocol.Json;
import dev.mrkpolicyguard.localaws.protocol.JsonInput;
import dev.mrkpolicyguard.localaws.protocol.JsonService;
import dev.mrkpolicyguard.localaws.protocol.RequestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * AWS CloudTrail over JSON 1.1: {@code LookupEvents} over the management events recorded through
 * {@link #record(String)} (shapes from the botocore model {@code cloudtrail/2013-11-01}). Events
 * are kept per account (the record's {@code recipientAccountId}) and Region ({@code awsRegion}), as
 * CloudTrail's event history is.
 */
public final class CloudTrailService implements JsonService {
  /** How far back the event history reaches (LookupEvents: "within the last 90 days"). */
  static final Duration HISTORY = Duration.ofDays(90);

  private static final Set<String> ATTRIBUTE_KEYS =
      Set.of(
          "EventId",
          "EventName",
          "ReadOnly",
          "Username",
          "ResourceType",
          "ResourceName",
          "EventSource",
          "AccessKeyId");
  private static final int DEFAULT_MAX_RESULTS = 50;

  private final Map<Scope, List<RecordedEvent>> events = new LinkedHashMap<>();

  @Override
  public String name() {
    return "cloudtrail";
  }

  @Override
  public String targetPrefix() {
    return "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101";
  }

  @Override
  public synchronized JsonNode handle(String operation, JsonInput in, RequestContext ctx) {
    if (operation.equals("LookupEvents")) {
      return lookupEvents(in, ctx);
    }
    throw ApiException.client(
        "UnknownOperationException", "local-aws does not implement CloudTrail " + operation);
  }

  /**
   * Adds a CloudTrail record (one event as CloudTrail writes it) to the event history of its
   * account ({@code recipientAccountId}) and Region ({@code awsRegion}); returns its event id.
   */
  public synchronized String record(String cloudTrailEvent) {
    JsonNode record;
    try {
      record = Json.MAPPER.readTree(cloudTrailEvent);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON CloudTrail record: " + e.getMessage(), e);
    }
    RecordedEvent event = RecordedEvent.of(record, cloudTrailEvent);
    events.computeIfAbsent(event.scope(), s -> new ArrayList<>()).add(event);
    return event.eventId();
  }

  /** Forgets every recorded event. */
  public synchronized void reset() {
    events.clear();
  }

  private JsonNode lookupEvents(JsonInput in, RequestContext ctx) {
    List<JsonInput> attributes = in.objects("LookupAttributes");
    if (attributes.size() > 1) {
      throw ApiException.client(
          "InvalidLookupAttributesException",
          "You can specify only one lookup attribute; " + attributes.size() + " were given.");
    }
    String attributeKey = null;
    String attributeValue = null;
    for (JsonInput attribute : attributes) {
      attributeKey = attribute.required("AttributeKey");
      if (!ATTRIBUTE_KEYS.contains(attributeKey)) {
        throw ApiException.client(
            "InvalidLookupAttributesException",
            "Lookup attribute key " + attributeKey + " is not one of " + ATTRIBUTE_KEYS);
      }
      attributeValue = attribute.required("AttributeValue", 1, 2000);
    }
    Instant start = in.timestamp("StartTime").orElse(null);
    Instant end = in.timestamp("EndTime").orElse(null);
    if (start != null && end != null && start.isAfter(end)) {
      throw ApiException.client(
          "InvalidTimeRangeException", "Start time " + start + " is after end time " + end + ".");
    }
    int limit = maxResults(in);
    Category category = category(in);
    String fingerprint =
        String.join(
            "|",
            Objects.toString(attributeKey),
            Objects.toString(attributeValue),
            Objects.toString(start),
            Objects.toString(end),
            category.name());
    Instant oldest = ctx.now().minus(HISTORY);
    List<RecordedEvent> matching = new ArrayList<>();
    if (category == Category.MANAGEMENT) {
      for (RecordedEvent e :
          events.getOrDefault(new Scope(ctx.account(), ctx.region()), List.of())) {
        if (!e.time().isBefore(oldest)
            && (start == null || !e.time().isBefore(start))
            && (end == null || !e.time().isAfter(end))
            && e.matches(attributeKey, attributeValue)) {
          matching.add(e);
        }
      }
    }
    // Event history lists the most recent events first.
    matching.sort(Comparator.comparing(RecordedEvent::time).reversed());
    int from = from(in.string("NextToken").orElse(null), matching, fingerprint);
    int to = Math.min(matching.size(), from + limit);
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("Events");
    for (RecordedEvent e : matching.subList(from, to)) {
      list.add(e.toJson());
    }
    if (to < matching.size()) {
      out.put("NextToken", token(matching.get(to).eventId(), fingerprint));
    }
    return out;
  }

  private static int maxResults(JsonInput in) {
    if (!in.has("MaxResults")) {
      return DEFAULT_MAX_RESULTS;
    }
    JsonNode node = in.raw().get("MaxResults");
    if (!node.isIntegralNumber() || node.intValue() < 1 || node.intValue() > 50) {
      throw ApiException.client(
          "InvalidMaxResultsException", "MaxResults must be between 1 and 50, not " + node + ".");
    }
    return node.intValue();
  }

  /** Which events a call asks for: management events, or Insights events (none are recorded). */
  private enum Category {
    MANAGEMENT,
    INSIGHT
  }

  private static Category category(JsonInput in) {
    String value = in.string("EventCategory").orElse(null);
    if (value == null) {
      return Category.MANAGEMENT;
    }
    if (!value.equals("insight")) {
      throw ApiException.client(
          "InvalidEventCategoryException", "EventCategory must be insight, not " + value + ".");
    }
    return Category.INSIGHT;
  }

  private static String token(String eventId, String fingerprint) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((eventId + "\n" + fingerprint).getBytes(StandardCharsets.UTF_8));
  }

  /** The position a NextToken points at; it must come from a call with the same parameters. */
  private static int from(String token, List<RecordedEvent> matching, String fingerprint) {
    if (token == null) {
      return 0;
    }
    String decoded;
    try {
      decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalidToken();
    }
    int newline = decoded.indexOf('\n');
    if (newline < 0 || !decoded.substring(newline + 1).equals(fingerprint)) {
      throw invalidToken();
    }
    String eventId = decoded.substring(0, newline);
    for (int i = 0; i < matching.size(); i++) {
      if (matching.get(i).eventId().equals(eventId)) {
        return i;
      }
    }
    throw invalidToken();
  }

  private static ApiException invalidToken() {
    return ApiException.client(
        "InvalidNextTokenException",
        "The token is not valid, or was issued for a request with different parameters.");
  }

  /** A resource of an event: its type and name (for KMS keys, the key ARN). */
  private record Resource(String type, String name) {}

  /** One event of the history with the fields LookupEvents filters on and returns. */
  private record RecordedEvent(
      Scope scope,
      String eventId,
      Instant time,
      String eventName,
      String eventSource,
      String readOnly,
      String accessKeyId,
      String username,
      List<Resource> resources,
      String json) {

    static RecordedEvent of(JsonNode record, String json) {
      String account = text(record, "recipientAccountId");
      String region = text(record, "awsRegion");
      String eventId = text(record, "eventID");
      String time = text(record, "eventTime");
      if (account == null || region == null || eventId == null || time == null) {
        throw new IllegalArgumentException(
            "a CloudTrail record needs recipientAccountId, awsRegion, eventID and eventTime");
      }
      Instant instant;
      try {
        instant = Instant.parse(time);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("eventTime is not an ISO-8601 instant: " + time, e);
      }
      JsonNode identity = record.path("userIdentity");
      List<Resource> resources = new ArrayList<>();
      for (JsonNode r : record.path("resources")) {
        resources.add(new Resource(text(r, "type"), text(r, "ARN")));
      }
      JsonNode readOnly = record.get("readOnly");
      return new RecordedEvent(
          new Scope(account, region),
          eventId,
          instant,
          text(record, "eventName"),
          text(record, "eventSource"),
          readOnly == null || readOnly.isNull() ? null : readOnly.asText(),
          text(identity, "accessKeyId"),
          username(identity),
          resources,
          json);
    }

    /** The user name event history shows: the IAM user name, else the session or identity name. */
    private static String username(JsonNode identity) {
      String name = text(identity, "userName");
      if (name != null) {
        return name;
      }
      String arn = text(identity, "arn");
      return arn == null ? null : arn.substring(arn.lastIndexOf('/') + 1);
    }

    boolean matches(String key, String value) {
      if (key == null) {
        return true;
      }
      return switch (key) {
        case "EventId" -> value.equals(eventId);
        case "EventName" -> value.equals(eventName);
        case "ReadOnly" -> value.equals(readOnly);
        case "Username" -> value.equals(username);
        case "EventSource" -> value.equals(eventSource);
        case "AccessKeyId" -> value.equals(accessKeyId);
        case "ResourceType" -> resources.stream().anyMatch(r -> value.equals(r.type()));
        case "ResourceName" -> resources.stream().anyMatch(r -> value.equals(r.name()));
        default -> false;
      };
    }

    ObjectNode toJson() {
      ObjectNode out = Json.object();
      out.put("EventId", eventId);
      putIfPresent(out, "EventName", eventName);
      putIfPresent(out, "ReadOnly", readOnly);
      putIfPresent(out, "AccessKeyId", accessKeyId);
      out.put("EventTime", Json.epochSeconds(time));
      putIfPresent(out, "EventSource", eventSource);
      putIfPresent(out, "Username", username);
      ArrayNode list = out.putArray("Resources");
      for (Resource r : resources) {
        ObjectNode resource = list.addObject();
        putIfPresent(resource, "ResourceType", r.type());
        putIfPresent(resource, "ResourceName", r.name());
      }
      out.put("CloudTrailEvent", json);
      return out;
    }

    private static void putIfPresent(ObjectNode out, String name, String value) {
      if (value != null) {
        out.put(name, value);
      }
    }

    private static String text(JsonNode node, String field) {
      JsonNode value = node.get(field);
      return value == null || value.isNull() ? null : value.asText();
    }
  }
}
