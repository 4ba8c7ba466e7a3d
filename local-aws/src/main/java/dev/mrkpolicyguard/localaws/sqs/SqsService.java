package dev.mrkpolicyguard.localaws.sqs;

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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Amazon SQS ({@code AmazonSQS}) over JSON 1.0, standard queues only: CreateQueue, GetQueueUrl,
 * SendMessage (with per-message {@code DelaySeconds}), ReceiveMessage, DeleteMessage and
 * GetQueueAttributes. Delays and visibility timeouts follow the stand-in's clock.
 */
public final class SqsService implements JsonService {
  private static final Pattern QUEUE_NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,80}$");
  private static final Set<String> SETTABLE =
      Set.of(
          "DelaySeconds",
          "VisibilityTimeout",
          "MessageRetentionPeriod",
          "MaximumMessageSize",
          "ReceiveMessageWaitTimeSeconds",
          "RedrivePolicy",
          "Policy",
          "SqsManagedSseEnabled");
  private static final int MAX_BODY_BYTES = 262_144;

  private final Map<Scope, Map<String, Queue>> queues = new LinkedHashMap<>();

  @Override
  public String name() {
    return "sqs";
  }

  @Override
  public String targetPrefix() {
    return "AmazonSQS";
  }

  @Override
  public String contentType() {
    return "application/x-amz-json-1.0";
  }

  @Override
  public synchronized JsonNode handle(String operation, JsonInput in, RequestContext ctx) {
    return switch (operation) {
      case "CreateQueue" -> createQueue(in, ctx);
      case "GetQueueUrl" -> queueUrl(in, ctx);
      case "SendMessage" -> sendMessage(in, ctx);
      case "ReceiveMessage" -> receiveMessage(in, ctx);
      case "DeleteMessage" -> deleteMessage(in, ctx);
      case "GetQueueAttributes" -> queueAttributes(in, ctx);
      default ->
          throw ApiException.client(
              "UnsupportedOperation", "local-aws does not implement SQS " + operation);
    };
  }

  /** Every message of the queue still stored (in flight, delayed or visible), in send order. */
  public synchronized List<QueuedMessage> messages(String account, String region, String name) {
    Queue queue = queues.getOrDefault(new Scope(account, region), Map.of()).get(name);
    return queue == null
        ? List.of()
        : queue.messages.stream()
            .map(m -> new QueuedMessage(m.id, m.body, m.sentAt, m.visibleAt, m.receiveCount))
            .toList();
  }

  public synchronized void reset() {
    queues.clear();
  }

  /** The URL SQS gives a queue; the stand-in finds the queue from its last two path segments. */
  public static String url(String account, String region, String name) {
    return "https://sqs." + region + ".amazonaws.com/" + account + "/" + name;
  }

  private JsonNode createQueue(JsonInput in, RequestContext ctx) {
    String name = in.required("QueueName");
    if (!QUEUE_NAME.matcher(name).matches() || name.endsWith(".fifo")) {
      throw invalid(
          "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"
              + " (FIFO queues are not supported here).");
    }
    Map<String, String> attributes = stringMap(in.raw().get("Attributes"));
    for (String attribute : attributes.keySet()) {
      if (!SETTABLE.contains(attribute)) {
        throw ApiException.client("InvalidAttributeName", "Unknown Attribute " + attribute + ".");
      }
    }
    Map<String, Queue> inScope = queues.computeIfAbsent(scope(ctx), s -> new LinkedHashMap<>());
    Queue existing = inScope.get(name);
    if (existing != null && !existing.attributes.equals(attributes)) {
      throw ApiException.client(
          "QueueNameExists",
          "A queue already exists with the same name and a different value for attribute(s).");
    }
    Queue queue =
        existing != null
            ? existing
            : new Queue(ctx.account(), ctx.region(), name, Map.copyOf(attributes));
    inScope.put(name, queue);
    return Json.object().put("QueueUrl", url(ctx.account(), ctx.region(), name));
  }

  private JsonNode queueUrl(JsonInput in, RequestContext ctx) {
    String name = in.required("QueueName");
    Queue queue = queues.getOrDefault(scope(ctx), Map.of()).get(name);
    if (queue == null) {
      throw noQueue();
    }
    return Json.object().put("QueueUrl", url(queue.account, queue.region, name));
  }

  private JsonNode sendMessage(JsonInput in, RequestContext ctx) {
    Queue queue = queue(in, ctx);
    String body = in.required("MessageBody");
    int bytes = body.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0 || bytes > MAX_BODY_BYTES) {
      throw invalid("The message body must be 1 to 262,144 bytes long; it is " + bytes + ".");
    }
    int delay = in.integer("DelaySeconds", 0, 900).orElse(queue.intAttribute("DelaySeconds", 0));
    Stored message = new Stored(body, ctx.now(), ctx.principal().arn());
    message.visibleAt = ctx.now().plus(Duration.ofSeconds(delay));
    queue.messages.add(message);
    return Json.object().put("MessageId", message.id).put("MD5OfMessageBody", message.md5);
  }

  private JsonNode receiveMessage(JsonInput in, RequestContext ctx) {
    Queue queue = queue(in, ctx);
    int max = in.integer("MaxNumberOfMessages", 1, 10).orElse(1);
    int visibility =
        in.integer("VisibilityTimeout", 0, 43_200)
            .orElse(queue.intAttribute("VisibilityTimeout", 30));
    in.integer("WaitTimeSeconds", 0, 20);
    boolean attributes =
        !in.strings("AttributeNames").isEmpty()
            || !in.strings("MessageSystemAttributeNames").isEmpty();
    queue.expire(ctx.now());
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (Stored message : queue.messages) {
      if (out.size() == max) {
        break;
      }
      if (message.visibleAt.isAfter(ctx.now())) {
        continue;
      }
      message.receiveCount++;
      if (message.firstReceivedAt == null) {
        message.firstReceivedAt = ctx.now();
      }
      message.receiptHandle = UUID.randomUUID().toString();
      message.visibleAt = ctx.now().plus(Duration.ofSeconds(visibility));
      ObjectNode node = out.addObject();
      node.put("MessageId", message.id);
      node.put("ReceiptHandle", message.receiptHandle);
      node.put("MD5OfBody", message.md5);
      node.put("Body", message.body);
      if (attributes) {
        ObjectNode system = node.putObject("Attributes");
        system.put("ApproximateReceiveCount", String.valueOf(message.receiveCount));
        system.put("SentTimestamp", String.valueOf(message.sentAt.toEpochMilli()));
        system.put("SenderId", message.senderId);
        system.put(
            "ApproximateFirstReceiveTimestamp",
            String.valueOf(message.firstReceivedAt.toEpochMilli()));
      }
    }
    ObjectNode result = Json.object();
    result.set("Messages", out);
    return result;
  }

  private JsonNode deleteMessage(JsonInput in, RequestContext ctx) {
    Queue queue = queue(in, ctx);
    String handle = in.required("ReceiptHandle");
    boolean removed = queue.messages.removeIf(m -> handle.equals(m.receiptHandle));
    if (!removed) {
      throw ApiException.client(
          "ReceiptHandleIsInvalid", "The input receipt handle \"" + handle + "\" is not valid.");
    }
    return Json.object();
  }

  private JsonNode queueAttributes(JsonInput in, RequestContext ctx) {
    Queue queue = queue(in, ctx);
    queue.expire(ctx.now());
    Instant now = ctx.now();
    long visible = queue.messages.stream().filter(m -> !m.visibleAt.isAfter(now)).count();
    long delayed =
        queue.messages.stream()
            .filter(m -> m.receiveCount == 0 && m.visibleAt.isAfter(now))
            .count();
    long inFlight = queue.messages.size() - visible - delayed;
    ObjectNode attributes = Json.object();
    queue.attributes.forEach(attributes::put);
    attributes.put("ApproximateNumberOfMessages", String.valueOf(visible));
    attributes.put("ApproximateNumberOfMessagesNotVisible", String.valueOf(inFlight));
    attributes.put("ApproximateNumberOfMessagesDelayed", String.valueOf(delayed));
    attributes.put(
        "QueueArn", "arn:aws:sqs:" + queue.region + ":" + queue.account + ":" + queue.name);
    ObjectNode out = Json.object();
    out.set("Attributes", attributes);
    return out;
  }

  private Queue queue(JsonInput in, RequestContext ctx) {
    String url = in.required("QueueUrl");
    String[] path = url.split("/");
    if (path.length < 2) {
      throw noQueue();
    }
    String name = path[path.length - 1];
    String account = path[path.length - 2];
    Queue queue = queues.getOrDefault(new Scope(account, ctx.region()), Map.of()).get(name);
    if (queue == null) {
      throw noQueue();
    }
    return queue;
  }

  private static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node != null && node.isObject()) {
      node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  private static String md5(String body) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JDK", e);
    }
  }

  private static ApiException noQueue() {
    return ApiException.client("QueueDoesNotExist", "The specified queue does not exist.");
  }

  private static ApiException invalid(String message) {
    return ApiException.client("InvalidParameterValue", message);
  }

  private static Scope scope(RequestContext ctx) {
    return new Scope(ctx.account(), ctx.region());
  }

  private static final class Queue {
    final String account;
    final String region;
    final String name;
    final Map<String, String> attributes;
    final List<Stored> messages = new ArrayList<>();

    Queue(String account, String region, String name, Map<String, String> attributes) {
      this.account = account;
      this.region = region;
      this.name = name;
      this.attributes = attributes;
    }

    int intAttribute(String name, int fallback) {
      return Optional.ofNullable(attributes.get(name)).map(Integer::parseInt).orElse(fallback);
    }

    /** Drops messages older than the retention period (default 4 days, as SQS). */
    void expire(Instant now) {
      Duration retention = Duration.ofSeconds(intAttribute("MessageRetentionPeriod", 345_600));
      messages.removeIf(m -> m.sentAt.plus(retention).isBefore(now));
    }
  }

  /** A message as stored, with its delivery state. */
  private static final class Stored {
    final String id = UUID.randomUUID().toString();
    final String body;
    final String md5;
    final Instant sentAt;
    final String senderId;
    Instant visibleAt;
    Instant firstReceivedAt;
    int receiveCount;
    String receiptHandle;

    Stored(String body, Instant sentAt, String senderId) {
      this.body = body;
      this.md5 = md5(body);
      this.sentAt = sentAt;
      this.senderId = senderId;
    }
  }
}
