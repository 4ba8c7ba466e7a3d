package dev.mrkpolicyguard.localaws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.mrkpolicyguard.localaws.fault.FaultEffect;
import dev.mrkpolicyguard.localaws.fault.Faults;
import dev.mrkpolicyguard.localaws.lambda.LambdaService;
import dev.mrkpolicyguard.localaws.protocol.ApiException;
import dev.mrkpolicyguard.localaws.protocol.Ids;
import dev.mrkpolicyguard.localaws.protocol.Json;
import dev.mrkpolicyguard.localaws.protocol.JsonInput;
import dev.mrkpolicyguard.localaws.protocol.JsonService;
import dev.mrkpolicyguard.localaws.protocol.QueryService;
import dev.mrkpolicyguard.localaws.protocol.RawRequest;
import dev.mrkpolicyguard.localaws.protocol.Reply;
import dev.mrkpolicyguard.localaws.protocol.RequestContext;
import dev.mrkpolicyguard.localaws.protocol.SigV4Scope;
import dev.mrkpolicyguard.localaws.protocol.Wire;
import dev.mrkpolicyguard.localaws.s3.S3Service;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Routes each HTTP request to its service by wire protocol, after counting it and applying the
 * injected faults.
 */
final class Dispatcher implements HttpHandler {
  private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
  private static final String DEFAULT_REGION = "us-east-1";
  private static final String STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
  private static final List<String> JSON_RESOURCE_MEMBERS =
      List.of("KeyId", "TargetKeyId", "Name", "resourceId", "ConfigRuleName", "QueueUrl");

  private final Map<String, JsonService> jsonServices;
  private final QueryService sts;
  private final S3Service s3;
  private final LambdaService lambda;
  private final Instruments instruments;
  private final long maxBody;

  Dispatcher(List<JsonService> jsonServices, Endpoints others, Instruments instruments) {
    this.jsonServices =
        jsonServices.stream()
            .collect(Collectors.toUnmodifiableMap(JsonService::targetPrefix, Function.identity()));
    this.sts = others.sts();
    this.s3 = others.s3();
    this.lambda = others.lambda();
    this.instruments = instruments;
    // An S3 upload in aws-chunked framing carries about 90 bytes of signature per 64 KiB chunk.
    this.maxBody = others.s3().maxObjectBytes() + others.s3().maxObjectBytes() / 64 + 65_536;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      RawRequest request = RawRequest.read(exchange, maxBody);
      Reply reply;
      try {
        reply = serve(request);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "[event=unhandled, path=" + request.path() + "]", e);
        reply =
            Wire.jsonError(
                new ApiException("InternalFailure", 500, "local-aws failed: " + e),
                Ids.requestId());
      }
      write(exchange, reply, request.method().equals("HEAD"));
    }
  }

  private Reply serve(RawRequest request) {
    Optional<SigV4Scope> scope = SigV4Scope.parse(request.header("authorization"));
    String region = scope.map(SigV4Scope::region).orElse(DEFAULT_REGION);
    String accessKey = scope.map(SigV4Scope::accessKeyId).orElse(null);
    String target = request.header("x-amz-target");
    if (target != null) {
      return serveJson(request, target, region, accessKey);
    }
    if (scope.map(s -> s.service().equals("lambda")).orElse(false)) {
      return serveLambda(request, region, accessKey);
    }
    boolean s3Scope = scope.map(s -> s.service().equals("s3")).orElse(false);
    if (!s3Scope && isForm(request)) {
      return serveQuery(request, region, accessKey);
    }
    return serveRestXml(request, region, accessKey);
  }

  private Reply serveJson(RawRequest request, String target, String region, String accessKey) {
    String requestId = Ids.requestId();
    // The operation follows the last dot: CloudTrail's prefix has dots of its own.
    int dot = target.lastIndexOf('.');
    JsonService service = dot < 0 ? null : jsonServices.get(target.substring(0, dot));
    if (service == null) {
      return Wire.jsonError(
          ApiException.client("UnknownOperationException", "Unknown target " + target), requestId);
    }
    String operation = target.substring(dot + 1);
    try {
      refuseTooLarge(request);
      JsonInput input = new JsonInput(parseJson(request));
      RequestContext context = context(service.name(), operation, region, accessKey, requestId);
      Faults.Decision after = applyFaults(context, jsonResource(input), Protocol.JSON);
      Reply reply =
          Wire.json(service.handle(operation, input, context), requestId, service.contentType());
      applyAfter(after, Protocol.JSON);
      return reply;
    } catch (ApiException e) {
      return Wire.jsonError(e, requestId);
    }
  }

  private Reply serveQuery(RawRequest request, String region, String accessKey) {
    String requestId = Ids.requestId();
    try {
      refuseTooLarge(request);
      Map<String, String> parameters = RawRequest.decodeForm(request.bodyText());
      String action = parameters.getOrDefault("Action", "");
      RequestContext context = context(sts.name(), action, region, accessKey, requestId);
      Faults.Decision after = applyFaults(context, parameters.get("RoleArn"), Protocol.QUERY);
      Reply reply = Wire.queryXml(sts.handle(action, parameters, context), requestId);
      applyAfter(after, Protocol.QUERY);
      return reply;
    } catch (ApiException e) {
      return Wire.queryError(e, STS_NAMESPACE, requestId);
    }
  }

  private Reply serveRestXml(RawRequest request, String region, String accessKey) {
    String requestId = Ids.requestId();
    try {
      String operation = s3.operation(request);
      RequestContext context = context(s3.name(), operation, region, accessKey, requestId);
      if (request.bodyTooLarge()) {
        throw s3.entityTooLarge();
      }
      Faults.Decision after = applyFaults(context, s3.resource(request), Protocol.REST_XML);
      Reply reply =
          s3.handle(operation, request, context).withHeader("x-amz-request-id", requestId);
      applyAfter(after, Protocol.REST_XML);
      return reply;
    } catch (ApiException e) {
      return s3.error(e, request, requestId);
    }
  }

  /** Lambda's REST-JSON calls, told apart from S3 by the SigV4 scope's service. */
  private Reply serveLambda(RawRequest request, String region, String accessKey) {
    String requestId = Ids.requestId();
    try {
      refuseTooLarge(request);
      String operation = lambda.operation(request);
      RequestContext context = context(lambda.name(), operation, region, accessKey, requestId);
      Faults.Decision after = applyFaults(context, lambda.resource(request), Protocol.REST_JSON);
      Reply reply =
          lambda.handle(operation, request, context).withHeader("x-amzn-RequestId", requestId);
      applyAfter(after, Protocol.REST_JSON);
      return reply;
    } catch (ApiException e) {
      return LambdaService.error(e, requestId);
    }
  }

  private RequestContext context(
      String service, String operation, String region, String accessKey, String requestId) {
    instruments.calls().record(service, operation, region);
    return new RequestContext(
        service,
        operation,
        region,
        accessKey,
        instruments.identities().resolve(accessKey),
        requestId,
        instruments.clock().get());
  }

  /** Applies the faults that strike before the operation; returns those for after it. */
  private Faults.Decision applyFaults(RequestContext context, String resource, Protocol protocol) {
    Faults.Outcome outcome =
        instruments
            .faults()
            .decide(context.service(), context.operation(), context.region(), resource);
    applyAfter(outcome.before(), protocol);
    return outcome.after();
  }

  /** Delays, then answers the fault's error instead of the operation's reply, if there is one. */
  private static void applyAfter(Faults.Decision decision, Protocol protocol) {
    sleep(decision.delay());
    Optional<FaultEffect> error = decision.error();
    if (error.isPresent()) {
      throw faultError(error.get(), protocol);
    }
  }

  private static ApiException faultError(FaultEffect effect, Protocol protocol) {
    if (effect instanceof FaultEffect.Throttle) {
      return switch (protocol) {
        case JSON -> ApiException.client("ThrottlingException", "Rate exceeded");
        case REST_JSON -> new ApiException("TooManyRequestsException", 429, "Rate exceeded");
        case QUERY -> ApiException.client("Throttling", "Rate exceeded");
        case REST_XML -> new ApiException("SlowDown", 503, "Please reduce your request rate.");
      };
    }
    if (effect instanceof FaultEffect.ServerError server) {
      if (server.status() == 503) {
        return new ApiException("ServiceUnavailable", 503, "Service unavailable (injected fault)");
      }
      String code =
          switch (protocol) {
            case REST_XML -> "InternalError";
            case REST_JSON -> "ServiceException";
            default -> "InternalFailure";
          };
      return new ApiException(code, server.status(), "Internal failure (injected fault)");
    }
    if (effect instanceof FaultEffect.Error error) {
      return new ApiException(error.code(), error.status(), error.message());
    }
    throw new IllegalStateException("not an error effect: " + effect);
  }

  /** A body over the bound was not read: the call is refused. */
  private void refuseTooLarge(RawRequest request) {
    if (request.bodyTooLarge()) {
      throw new ApiException(
          "RequestEntityTooLarge",
          413,
          "The request body is longer than local-aws accepts (" + maxBody + " bytes)");
    }
  }

  private static String jsonResource(JsonInput input) {
    for (String member : JSON_RESOURCE_MEMBERS) {
      JsonNode node = input.raw().get(member);
      if (node != null && node.isTextual()) {
        return node.asText();
      }
    }
    return null;
  }

  private static JsonNode parseJson(RawRequest request) {
    String text = request.bodyText();
    if (text.isBlank()) {
      return Json.object();
    }
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ApiException("SerializationException", 400, "Request body is not valid JSON");
    }
  }

  private static boolean isForm(RawRequest request) {
    String type = request.header("content-type");
    return request.method().equals("POST")
        && type != null
        && type.startsWith("application/x-www-form-urlencoded");
  }

  private static void sleep(Duration delay) {
    if (delay.isZero()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis(), (int) (delay.toNanos() % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void write(HttpExchange exchange, Reply reply, boolean head) throws IOException {
    reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    byte[] body = reply.body();
    if (head || body.length == 0) {
      if (head) {
        exchange.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
      }
      exchange.sendResponseHeaders(reply.status(), -1);
      return;
    }
    exchange.sendResponseHeaders(reply.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** The services not spoken over JSON 1.1. */
  record Endpoints(QueryService sts, S3Service s3, LambdaService lambda) {}

  /** What every call passes through: identity lookup, counting, faults and the clock. */
  record Instruments(Identities identities, CallLog calls, Faults faults, ServerClock clock) {}

  private enum Protocol {
    JSON,
    QUERY,
    REST_XML,
    REST_JSON
  }
}
