package dev.mrkpolicyguard.trigger.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.aws.KmsKeyCopiesReader;
import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.aws.SdkConfigRules;
import dev.mrkpolicyguard.aws.SqsDeferralQueue;
import dev.mrkpolicyguard.startup.Priming;
import dev.mrkpolicyguard.startup.StandInContext;
import dev.mrkpolicyguard.trigger.DeferralQueue;
import dev.mrkpolicyguard.trigger.StartCoalescer;
import dev.mrkpolicyguard.trigger.Trigger;
import dev.mrkpolicyguard.trigger.TriggerInput;
import dev.mrkpolicyguard.trigger.TriggerReport;
import dev.mrkpolicyguard.trigger.TriggerSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The near-real-time trigger's Lambda entry point (docs/trigger.md). It takes either a batch from
 * its SQS queue (EventBridge puts the CloudTrail events of KMS calls there, and the trigger its own
 * deferred starts), answering Lambda's partial batch response {@code {"batchItemFailures": [...]}}
 * so that only the messages it could not deal with come back; or one EventBridge event directly
 * ({@code invoke}, or a rule targeting the function), answering the {@link TriggerReport} and
 * failing the invocation if something could not be kept, so that Lambda retries it.
 *
 * <p>Environment: {@code AWS_REGION}, {@code DEFERRAL_QUEUE_URL}, {@code CONFIG_RULE_NAME} (default
 * {@code mrk-replica-key-policy}). Clients and the coalescer are built once per container.
 */
public final class TriggerHandler implements RequestStreamHandler {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final SdkClientFactory clients;
  private final Trigger trigger;
  private final PrintStream log;

  /** The Lambda constructor: clients for {@code AWS_REGION} with the default credential chain. */
  public TriggerHandler() {
    this(Environment.of(System.getenv()));
    Priming.register(TriggerHandler::primingPath);
  }

  /**
   * SnapStart priming's run of this handler: the bundled CloudTrail event of a PutKeyPolicy, alone
   * and in a queue batch, through a second handler over {@code clients} (the loopback stand-in,
   * placeholder credentials); its log and answers are discarded.
   */
  static void primingPath(SdkClientFactory clients) throws IOException {
    String region = Priming.region();
    TriggerHandler handler =
        new TriggerHandler(
            clients,
            "https://sqs." + region + ".amazonaws.com/111122223333/priming",
            TriggerSettings.defaults(TriggerSettings.DEFAULT_RULE_NAME),
            Clock.systemUTC(),
            new PrintStream(OutputStream.nullOutputStream()));
    String event;
    try (InputStream in = Priming.stream("events/cloudtrail-put-key-policy.json")) {
      event = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    ObjectNode batch = MAPPER.createObjectNode();
    batch
        .putArray("Records")
        .addObject()
        .put("messageId", "00000000-0000-4000-8000-00000000000c")
        .put("body", event)
        .put("eventSource", "aws:sqs");
    for (String input : List.of(event, batch.toString())) {
      handler.handleRequest(
          new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
          OutputStream.nullOutputStream(),
          StandInContext.priming());
    }
  }

  private TriggerHandler(Environment environment) {
    this(
        SdkClientFactory.forAws(environment.region(), null),
        environment.queueUrl(),
        TriggerSettings.defaults(environment.ruleName()),
        Clock.systemUTC(),
        System.out);
  }

  /**
   * A handler over {@code clients} (tests and {@code invoke} point them at the local stand-in),
   * sending deferrals to {@code queueUrl}, deciding on {@code clock}, logging to {@code log}.
   */
  public TriggerHandler(
      SdkClientFactory clients,
      String queueUrl,
      TriggerSettings settings,
      Clock clock,
      PrintStream log) {
    this(
        clients,
        new SqsDeferralQueue(
            clients.sqs(clients.region(), clients.ownCredentials()),
            Objects.requireNonNull(queueUrl, "queueUrl")),
        settings,
        clock,
        log);
  }

  private TriggerHandler(
      SdkClientFactory clients,
      DeferralQueue queue,
      TriggerSettings settings,
      Clock clock,
      PrintStream log) {
    this.clients = Objects.requireNonNull(clients, "clients");
    this.log = Objects.requireNonNull(log, "log");
    var own = clients.ownCredentials();
    this.trigger =
        new Trigger(
            new Trigger.Ports(
                new KmsKeyCopiesReader(region -> clients.kms(region, own)),
                new SdkConfigRules(region -> clients.config(region, own)),
                queue),
            settings,
            new StartCoalescer(clock));
  }

  /**
   * A handler for a local run ({@code invoke --handler trigger}): clients for {@code endpoint} (or
   * AWS when null) in {@code region} with the default credential chain, the rule's name from {@code
   * CONFIG_RULE_NAME} (default {@code mrk-replica-key-policy}). Deferred starts go to {@code
   * queueUrl}; without one they are only reported, not kept.
   */
  public static TriggerHandler local(
      URI endpoint, String region, String queueUrlOrNull, PrintStream log) {
    SdkClientFactory clients = SdkClientFactory.forAws(region, endpoint);
    String rule = System.getenv().getOrDefault("CONFIG_RULE_NAME", "");
    TriggerSettings settings =
        TriggerSettings.defaults(rule.isEmpty() ? TriggerSettings.DEFAULT_RULE_NAME : rule);
    if (queueUrlOrNull != null) {
      return new TriggerHandler(clients, queueUrlOrNull, settings, Clock.systemUTC(), log);
    }
    DeferralQueue reportOnly = (deferral, delay) -> new DeferralQueue.Sent.Kept();
    return new TriggerHandler(clients, reportOnly, settings, Clock.systemUTC(), log);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    JsonNode json;
    try {
      json = MAPPER.readTree(input);
    } catch (IOException e) {
      throw new IllegalArgumentException("the trigger's input is not JSON", e);
    }
    boolean batch = isQueueBatch(json);
    TriggerReport report = run(json, context.getAwsRequestId());
    if (batch) {
      ObjectNode out = MAPPER.createObjectNode();
      ArrayNode failures = out.putArray("batchItemFailures");
      report.retry().forEach(id -> failures.addObject().put("itemIdentifier", id));
      MAPPER.writeValue(output, out);
      return;
    }
    if (!report.retry().isEmpty()) {
      throw new IllegalStateException(
          "a deferred start could not be kept in the queue; failing the invocation so that"
              + " Lambda delivers the event again (see the ERROR lines)");
    }
    MAPPER.writeValue(output, report.toJson(MAPPER));
  }

  /** Runs the trigger on one input (a queue batch or one EventBridge event) and reports. */
  public TriggerReport run(JsonNode input, String requestId) {
    clients.resetCalls();
    return trigger.handle(
        inputs(input), new Trigger.Invocation(requestId, log, () -> clients.calls().snapshot()));
  }

  /** Whether {@code json} is a batch of SQS messages as Lambda's event source mapping sends it. */
  public static boolean isQueueBatch(JsonNode json) {
    return json != null && json.path("Records").isArray();
  }

  private static List<TriggerInput> inputs(JsonNode json) {
    if (!isQueueBatch(json)) {
      return List.of(new TriggerInput.Event("event", json));
    }
    List<TriggerInput> inputs = new ArrayList<>();
    for (JsonNode record : json.path("Records")) {
      String id = record.path("messageId").asText("");
      JsonNode body;
      try {
        body = MAPPER.readTree(record.path("body").asText(""));
      } catch (IOException e) {
        body = null;
      }
      inputs.add(
          body == null
              ? new TriggerInput.Unusable(id, "the message body is not JSON")
              : TriggerInput.ofBody(id, body));
    }
    return inputs;
  }

  /** The function's settings from its environment. */
  record Environment(String region, String queueUrl, String ruleName) {
    static Environment of(Map<String, String> env) {
      String region = env.get("AWS_REGION");
      if (region == null || region.isEmpty()) {
        throw new IllegalStateException("AWS_REGION is not set; Lambda sets it for every function");
      }
      String queue = env.get("DEFERRAL_QUEUE_URL");
      if (queue == null || queue.isEmpty()) {
        throw new IllegalStateException(
            "DEFERRAL_QUEUE_URL is not set; the stack sets it to the trigger's queue");
      }
      String rule = env.getOrDefault("CONFIG_RULE_NAME", "");
      return new Environment(
          region, queue, rule.isEmpty() ? TriggerSettings.DEFAULT_RULE_NAME : rule);
    }
  }
}
