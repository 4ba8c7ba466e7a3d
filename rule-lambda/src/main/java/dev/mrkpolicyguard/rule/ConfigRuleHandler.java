package dev.mrkpolicyguard.rule;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.aws.ClientFactory;
import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.aws.SdkRuleAdapters;
import dev.mrkpolicyguard.startup.Priming;
import dev.mrkpolicyguard.startup.StandInContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The AWS Config custom rule's Lambda entry point: reads the Config event, hands it to {@link
 * RuleEvaluator} and returns what it did as JSON ({@code {"posted": [...], "keys": N,
 * "notEvaluated": [{"keyArn", "error"}], "refused": [...], "unconfirmed": [...]}}; Config ignores
 * it, the {@code invoke} command prints and checks it). Clients are built once per container.
 */
public final class ConfigRuleHandler implements RequestStreamHandler {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false);

  private final RuleEvaluator evaluator;

  /** The Lambda constructor: clients for {@code AWS_REGION} with the default credential chain. */
  public ConfigRuleHandler() {
    this(
        SdkClientFactory.forAws(functionRegion(), null),
        RuleSettings.defaults(functionRegion()),
        System.out);
    Priming.register(ConfigRuleHandler::primingPath);
  }

  /**
   * SnapStart priming's run of this handler: a configuration change and a periodic run with a
   * baseline parameter (the bundled events), through a second handler over {@code clients} (the
   * loopback stand-in, placeholder credentials); its log and answers are discarded.
   */
  static void primingPath(SdkClientFactory clients) throws IOException {
    String region = Priming.region();
    ConfigRuleHandler handler =
        new ConfigRuleHandler(
            clients,
            RuleSettings.defaults(region),
            new PrintStream(OutputStream.nullOutputStream()));
    for (String event :
        List.of(
            "events/configuration-item-change.json",
            "events/scheduled-notification-with-baseline.json")) {
      try (InputStream in = Priming.stream(event)) {
        handler.handleRequest(in, OutputStream.nullOutputStream(), StandInContext.priming());
      }
    }
  }

  /**
   * A handler with the given clients and settings: tests and the scale harness point the clients at
   * the local stand-in and choose concurrency and batch size.
   */
  public ConfigRuleHandler(ClientFactory clients, RuleSettings settings, PrintStream log) {
    this(new SdkRuleAdapters(clients, settings), settings, log);
  }

  /** A handler over any {@code adapters}: fakes of the ports in unit tests. */
  ConfigRuleHandler(RuleAdapters adapters, RuleSettings settings, PrintStream log) {
    this.evaluator = new RuleEvaluator(adapters, settings, log);
  }

  /**
   * A handler for a local run: every client uses {@code endpoint} (or AWS when null) in {@code
   * region}, with the default credential chain; log lines go to {@code log}.
   */
  public static ConfigRuleHandler local(URI endpoint, String region, PrintStream log) {
    return new ConfigRuleHandler(
        SdkClientFactory.forAws(region, endpoint), RuleSettings.defaults(region), log);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    ConfigEvent event;
    try {
      event = MAPPER.readValue(input, ConfigEvent.class);
    } catch (MismatchedInputException e) {
      String field =
          e.getPath().isEmpty() ? null : e.getPath().get(e.getPath().size() - 1).getFieldName();
      throw new RuleConfigurationException(
          "the input is not an AWS Config rule event: "
              + (field == null
                  ? "it is not a JSON object"
                  : "its field '" + field + "' does not have the type Config sends"),
          e);
    } catch (IOException e) {
      throw new RuleConfigurationException(
          "the input is not an AWS Config rule event: it is not JSON", e);
    }
    if (event == null) {
      throw new RuleConfigurationException(
          "the input is not an AWS Config rule event: it is JSON null, not an object");
    }
    RuleEvaluator.Result result =
        evaluator.evaluate(
            event,
            context.getAwsRequestId(),
            Duration.ofMillis(Math.max(0, context.getRemainingTimeInMillis())));
    ObjectNode out = MAPPER.createObjectNode();
    ArrayNode posted = out.putArray("posted");
    for (ConfigEvaluation e : result.posted()) {
      ObjectNode node = posted.addObject();
      node.put("ComplianceResourceType", e.resourceType());
      node.put("ComplianceResourceId", e.resourceId());
      node.put("ComplianceType", e.complianceType());
      node.put("Annotation", e.annotation());
      node.put("OrderingTimestamp", e.orderingTimestamp().toString());
    }
    out.put("keys", result.keys());
    ArrayNode notEvaluated = out.putArray("notEvaluated");
    for (RuleEvaluator.NotEvaluated n : result.notEvaluated()) {
      notEvaluated.addObject().put("keyArn", n.keyArn()).put("error", n.error());
    }
    ArrayNode refused = out.putArray("refused");
    result.refused().forEach(refused::add);
    ArrayNode unconfirmed = out.putArray("unconfirmed");
    result.unconfirmed().forEach(unconfirmed::add);
    MAPPER.writeValue(output, out);
  }

  private static String functionRegion() {
    String region = System.getenv("AWS_REGION");
    if (region == null || region.isEmpty()) {
      throw new IllegalStateException("AWS_REGION is not set; Lambda sets it for every function");
    }
    return region;
  }
}
