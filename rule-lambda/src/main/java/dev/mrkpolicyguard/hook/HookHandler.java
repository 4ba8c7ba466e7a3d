package dev.mrkpolicyguard.hook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.aws.HookClients;
import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.KeyDecider;
import dev.mrkpolicyguard.startup.Priming;
import dev.mrkpolicyguard.startup.StandInContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The CloudFormation Lambda hook's entry point ({@code AWS::CloudFormation::LambdaHook} on {@code
 * AWS::KMS::ReplicaKey} and {@code AWS::KMS::Key}, docs/prevention.md): parses the request, asks
 * {@link ReplicaKeyHook}, answers with the request's token, and writes one JSON log line. Settings
 * from the environment: {@code HOOK_FAILURE_MODE} (WARN or FAIL, as the hook's FailureMode) and
 * {@code BASELINE_PARAMETER_NAME} (an SSM parameter name, or empty for the default baseline).
 */
public final class HookHandler implements RequestStreamHandler {
  /** CloudFormation gives a hook 30 seconds; this much is kept back to answer. */
  static final Duration RESERVE = Duration.ofSeconds(5);

  /** The most one KMS call may take, retries included. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HookClients clients;
  private final String region;
  private final FailureMode mode;
  private final String baselineParameter;
  private final PrintStream log;

  /** The Lambda constructor: clients for {@code AWS_REGION}, settings from the environment. */
  public HookHandler() {
    this(
        HookClients.forRegion(functionRegion(), null),
        functionRegion(),
        FailureMode.of(System.getenv("HOOK_FAILURE_MODE")),
        System.getenv("BASELINE_PARAMETER_NAME"),
        System.out);
    Priming.register(HookHandler::primingPath);
  }

  /**
   * SnapStart priming's run of this handler: the bundled create of a drifted replica key, with the
   * baseline parameter, through a second handler over {@code clients} (the loopback stand-in,
   * placeholder credentials); its log and answer are discarded.
   */
  static void primingPath(SdkClientFactory clients) throws IOException {
    String region = Priming.region();
    HookHandler handler =
        new HookHandler(
            HookClients.over(clients, region),
            region,
            FailureMode.FAIL,
            "/mrk-policy-guard/baseline",
            new PrintStream(OutputStream.nullOutputStream()));
    try (InputStream in = Priming.stream("events/hook-replica-key-create-drifted.json")) {
      handler.handleRequest(in, OutputStream.nullOutputStream(), StandInContext.priming());
    }
  }

  private HookHandler(
      HookClients clients,
      String region,
      FailureMode mode,
      String baselineParameter,
      PrintStream log) {
    this.clients = clients;
    this.region = region;
    this.mode = mode;
    this.baselineParameter = baselineParameter;
    this.log = log;
  }

  /**
   * A handler for a local run or a test: every client at {@code endpoint} (or AWS when null) in
   * {@code region}; mode and baseline parameter from the environment unless given.
   */
  public static HookHandler local(
      URI endpoint, String region, FailureMode mode, String baselineParameter, PrintStream log) {
    Objects.requireNonNull(region, "region");
    return new HookHandler(
        HookClients.forRegion(region, endpoint), region, mode, baselineParameter, log);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    Instant start = Instant.now();
    JsonNode event;
    try {
      event = MAPPER.readTree(input);
    } catch (IOException e) {
      event = null;
    }
    HookResponse response;
    if (event == null || !event.isObject()) {
      response =
          HookResponse.internalFailure("", "The input is not a CloudFormation hook request.");
    } else {
      response = answer(HookRequest.from(event), context);
    }
    logLine(event, response, Duration.between(start, Instant.now()));
    MAPPER.writeValue(output, response.toJson(MAPPER));
  }

  private HookResponse answer(HookRequest request, Context context) {
    try {
      // Two KMS calls (DescribeKey, GetKeyPolicy) must both fit in what is left.
      Duration left =
          Duration.ofMillis(context.getRemainingTimeInMillis()).minus(RESERVE).dividedBy(2);
      Duration timeout = left.compareTo(CALL_TIMEOUT) < 0 ? left : CALL_TIMEOUT;
      if (timeout.isNegative() || timeout.isZero()) {
        timeout = Duration.ofSeconds(1);
      }
      HookClients.BaselineRead baseline =
          needsBaseline(request) ? clients.baseline(baselineParameter) : null;
      ReplicaKeyHook.Environment env =
          new ReplicaKeyHook.Environment(
              region,
              baseline == null ? Baseline.DEFAULT : baseline.baseline(),
              baseline == null ? null : baseline.problem(),
              clients.primaries(timeout));
      return new ReplicaKeyHook(mode, new KeyDecider()).evaluate(request, env);
    } catch (RuntimeException e) {
      return HookResponse.internalFailure(
          request.clientRequestToken(),
          "The hook failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static boolean needsBaseline(HookRequest request) {
    return request.createOrUpdate() && request.targetName().equals("AWS::KMS::ReplicaKey");
  }

  private void logLine(JsonNode event, HookResponse response, Duration took) {
    ObjectNode line = MAPPER.createObjectNode();
    line.put("level", response.status() == HookResponse.Status.SUCCESS ? "INFO" : "WARN");
    line.put("event", "hook");
    if (event != null) {
      line.put("stackId", event.path("stackId").asText(""));
      line.put("logicalId", event.path("requestData").path("targetLogicalId").asText(""));
      line.put("target", event.path("requestData").path("targetName").asText(""));
      line.put("invocationPoint", event.path("actionInvocationPoint").asText(""));
    }
    line.put("mode", mode.name());
    line.put("hookStatus", response.status().name());
    if (response.errorCode() != null) {
      line.put("errorCode", response.errorCode());
    }
    var codes = line.putArray("codes");
    response.annotations().stream().filter(a -> !a.passed()).forEach(a -> codes.add(a.name()));
    line.put("durationMs", took.toMillis());
    log.println(line);
  }

  private static String functionRegion() {
    String region = System.getenv("AWS_REGION");
    if (region == null || region.isEmpty()) {
      throw new IllegalStateException("AWS_REGION is not set; Lambda sets it for every function");
    }
    return region;
  }
}
