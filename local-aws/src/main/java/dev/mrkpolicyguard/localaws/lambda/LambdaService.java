package dev.mrkpolicyguard.localaws.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.localaws.protocol.ApiException;
import dev.mrkpolicyguard.localaws.protocol.Ids;
import dev.mrkpolicyguard.localaws.protocol.Json;
import dev.mrkpolicyguard.localaws.protocol.RawRequest;
import dev.mrkpolicyguard.localaws.protocol.Reply;
import dev.mrkpolicyguard.localaws.protocol.RequestContext;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AWS Lambda's resource-based policy calls over REST-JSON (botocore lambda 2015-03-31):
 * AddPermission ({@code POST /2015-03-31/functions/{FunctionName}/policy}, 201), GetPolicy ({@code
 * GET} the same path) and RemovePermission ({@code DELETE .../policy/{StatementId}}, 204), each
 * with the {@code Qualifier} query parameter. A policy belongs to one function and qualifier (an
 * alias's policy is not the function's); functions and their aliases are registered by tests with
 * {@link #addFunction}. Errors as the service answers them: {@code ResourceConflictException} (409)
 * for a statement id already in the policy, {@code PolicyLengthExceededException} (400) when the
 * policy would be longer than {@value #MAX_POLICY_BYTES} bytes (Lambda quotas: "Function
 * resource-based policy 20 KB"), {@code ResourceNotFoundException} (404) for an unknown function or
 * qualifier, a function or alias without a policy, or an unknown statement id.
 */
public final class LambdaService {
  /** The 20 KB quota on one resource-based policy, counted on the policy's JSON text. */
  public static final int MAX_POLICY_BYTES = 20 * 1024;

  private static final Pattern PATH =
      Pattern.compile("^/2015-03-31/functions/([^/]+)/policy(?:/([^/]+))?/?$");
  private static final Pattern STATEMENT_ID = Pattern.compile("[a-zA-Z0-9-_]{1,100}");
  private static final Pattern FUNCTION_ARN =
      Pattern.compile(
          "^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\\d{12}):function:([a-zA-Z0-9-_]+)(?::([a-zA-Z0-9$_-]+))?$");

  private record Target(String account, String region, String function, String qualifier) {}

  private final Map<String, Set<String>> functions = new LinkedHashMap<>();
  private final Map<Target, LinkedHashMap<String, ObjectNode>> policies = new LinkedHashMap<>();

  public String name() {
    return "lambda";
  }

  /** Registers function {@code name} in an account and Region, with these aliases. */
  public synchronized void addFunction(
      String account, String region, String name, String... aliases) {
    Set<String> qualifiers = new LinkedHashSet<>(Set.of(aliases));
    qualifiers.add("$LATEST");
    functions.put(account + "/" + region + "/" + name, qualifiers);
  }

  /** Registers {@code name} with these aliases in every account and Region. */
  public synchronized void addFunctionEverywhere(String name, String... aliases) {
    addFunction("*", "*", name, aliases);
  }

  public synchronized void reset() {
    functions.clear();
    policies.clear();
  }

  /** The policy text of a function's qualifier ("" for the unqualified function), if any. */
  public synchronized Optional<String> policy(
      String account, String region, String function, String qualifier) {
    LinkedHashMap<String, ObjectNode> statements =
        policies.get(new Target(account, region, function, qualifier));
    return statements == null || statements.isEmpty()
        ? Optional.empty()
        : Optional.of(render(account, region, function, qualifier, statements));
  }

  /** The operation a request names, from its method and path. */
  public String operation(RawRequest request) {
    Matcher m = PATH.matcher(request.path());
    if (!m.matches()) {
      return "Unknown";
    }
    boolean statement = m.group(2) != null;
    return switch (request.method()) {
      case "POST" -> statement ? "Unknown" : "AddPermission";
      case "GET" -> statement ? "Unknown" : "GetPolicy";
      case "DELETE" -> statement ? "RemovePermission" : "Unknown";
      default -> "Unknown";
    };
  }

  /** The function name of a request's path, for fault matching. */
  public String resource(RawRequest request) {
    Matcher m = PATH.matcher(request.path());
    return m.matches() ? RawRequest.decodePath(m.group(1)) : null;
  }

  public synchronized Reply handle(String operation, RawRequest request, RequestContext ctx) {
    Matcher m = PATH.matcher(request.path());
    if (!m.matches() || operation.equals("Unknown")) {
      throw new ApiException(
          "UnknownOperationException",
          404,
          "local-aws does not implement Lambda " + request.method() + " " + request.path());
    }
    Map<String, String> query = request.query();
    Target target = target(RawRequest.decodePath(m.group(1)), query.get("Qualifier"), ctx);
    return switch (operation) {
      case "AddPermission" -> add(target, request, ctx);
      case "GetPolicy" -> get(target, ctx);
      default -> remove(target, RawRequest.decodePath(m.group(2)));
    };
  }

  private Reply add(Target target, RawRequest request, RequestContext ctx) {
    JsonNode body;
    try {
      body = request.bodyText().isBlank() ? Json.object() : Json.MAPPER.readTree(request.body());
    } catch (java.io.IOException e) {
      throw ApiException.client("InvalidRequestContentException", "Could not parse request body");
    }
    String sid = required(body, "StatementId");
    if (!STATEMENT_ID.matcher(sid).matches()) {
      throw validation("statementId", sid, "[a-zA-Z0-9-_]+");
    }
    String action = required(body, "Action");
    String principal = required(body, "Principal");
    LinkedHashMap<String, ObjectNode> statements =
        policies.computeIfAbsent(target, t -> new LinkedHashMap<>());
    if (statements.containsKey(sid)) {
      throw new ApiException(
          "ResourceConflictException",
          409,
          "The statement id ("
              + sid
              + ") provided already exists. Please provide a new statement"
              + " id, or remove the existing statement.");
    }
    ObjectNode statement = Json.object().put("Sid", sid).put("Effect", "Allow");
    if (principal.contains(".")) {
      statement.putObject("Principal").put("Service", principal);
    } else {
      String arn =
          principal.equals("*")
              ? "*"
              : principal.matches("\\d{12}") ? "arn:aws:iam::" + principal + ":root" : principal;
      statement.putObject("Principal").put("AWS", arn);
    }
    statement.put("Action", action).put("Resource", resourceArn(target));
    ObjectNode condition = Json.object();
    if (body.path("SourceAccount").isTextual()) {
      condition
          .putObject("StringEquals")
          .put("AWS:SourceAccount", body.path("SourceAccount").asText());
    }
    if (body.path("SourceArn").isTextual()) {
      condition.putObject("ArnLike").put("AWS:SourceArn", body.path("SourceArn").asText());
    }
    if (body.path("PrincipalOrgID").isTextual()) {
      condition
          .with("StringEquals")
          .put("aws:PrincipalOrgID", body.path("PrincipalOrgID").asText());
    }
    if (!condition.isEmpty()) {
      statement.set("Condition", condition);
    }
    LinkedHashMap<String, ObjectNode> after = new LinkedHashMap<>(statements);
    after.put(sid, statement);
    String text =
        render(target.account(), target.region(), target.function(), target.qualifier(), after);
    if (text.getBytes(StandardCharsets.UTF_8).length > MAX_POLICY_BYTES) {
      if (statements.isEmpty()) {
        policies.remove(target);
      }
      throw ApiException.client(
          "PolicyLengthExceededException",
          "The final policy size ("
              + text.length()
              + ") is bigger than the limit ("
              + MAX_POLICY_BYTES
              + ").");
    }
    statements.put(sid, statement);
    ObjectNode out = Json.object().put("Statement", Json.write(statement));
    return Reply.of(201, "application/json", Json.write(out));
  }

  private Reply get(Target target, RequestContext ctx) {
    LinkedHashMap<String, ObjectNode> statements = policies.get(target);
    if (statements == null || statements.isEmpty()) {
      throw notFound("The resource you requested does not exist.");
    }
    ObjectNode out =
        Json.object()
            .put(
                "Policy",
                render(
                    target.account(),
                    target.region(),
                    target.function(),
                    target.qualifier(),
                    statements))
            .put("RevisionId", Ids.requestId());
    return Reply.of(200, "application/json", Json.write(out));
  }

  private Reply remove(Target target, String sid) {
    LinkedHashMap<String, ObjectNode> statements = policies.get(target);
    if (statements == null || statements.remove(sid) == null) {
      throw notFound("Statement " + sid + " is not found in resource policy.");
    }
    return new Reply(204, Map.of(), new byte[0]);
  }

  private Target target(String functionName, String qualifierOrNull, RequestContext ctx) {
    String account = ctx.account();
    String region = ctx.region();
    String name = functionName;
    String qualifier = qualifierOrNull == null ? "" : qualifierOrNull;
    Matcher arn = FUNCTION_ARN.matcher(functionName);
    if (arn.matches()) {
      if (!arn.group(1).equals(region) || !arn.group(2).equals(account)) {
        throw notFound("Function not found: " + functionName);
      }
      name = arn.group(3);
      if (arn.group(4) != null) {
        if (!qualifier.isEmpty() && !qualifier.equals(arn.group(4))) {
          throw ApiException.client(
              "InvalidParameterValueException",
              "The derived qualifier from the function name does not match the specified"
                  + " qualifier.");
        }
        qualifier = arn.group(4);
      }
    } else if (!name.matches("[a-zA-Z0-9-_]{1,64}")) {
      throw validation("functionName", functionName, "a function name or ARN");
    }
    Set<String> qualifiers = functions.get(account + "/" + region + "/" + name);
    if (qualifiers == null) {
      qualifiers = functions.get("*/*/" + name);
    }
    if (qualifiers == null) {
      throw notFound(
          "Function not found: arn:aws:lambda:" + region + ":" + account + ":function:" + name);
    }
    if (!qualifier.isEmpty() && !qualifiers.contains(qualifier)) {
      throw notFound(
          "Function not found: arn:aws:lambda:"
              + region
              + ":"
              + account
              + ":function:"
              + name
              + ":"
              + qualifier);
    }
    return new Target(account, region, name, qualifier);
  }

  private static String resourceArn(Target t) {
    return "arn:aws:lambda:"
        + t.region()
        + ":"
        + t.account()
        + ":function:"
        + t.function()
        + (t.qualifier().isEmpty() ? "" : ":" + t.qualifier());
  }

  private static String render(
      String account,
      String region,
      String function,
      String qualifier,
      Map<String, ObjectNode> statements) {
    ObjectNode policy = Json.object().put("Version", "2012-10-17").put("Id", "default");
    ArrayNode list = policy.putArray("Statement");
    statements.values().forEach(list::add);
    return Json.write(policy);
  }

  private static String required(JsonNode body, String member) {
    JsonNode value = body.path(member);
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw ApiException.validation(
          "1 validation error detected: Value null at '"
              + Character.toLowerCase(member.charAt(0))
              + member.substring(1)
              + "' failed to satisfy constraint: Member must not be null");
    }
    return value.asText();
  }

  private static ApiException validation(String member, String value, String pattern) {
    return ApiException.validation(
        "1 validation error detected: Value '"
            + value
            + "' at '"
            + member
            + "' failed to satisfy constraint: Member must satisfy regular expression pattern: "
            + pattern);
  }

  private static ApiException notFound(String message) {
    return new ApiException("ResourceNotFoundException", 404, message);
  }

  /** A REST-JSON error: the code in {@code x-amzn-ErrorType}, the message in the body. */
  public static Reply error(ApiException error, String requestId) {
    ObjectNode body =
        Json.object()
            .put("Type", error.senderFault() ? "User" : "Service")
            .put("message", error.getMessage());
    return Reply.of(error.status(), "application/json", Json.write(body))
        .withHeader("x-amzn-RequestId", requestId)
        .withHeader("x-amzn-ErrorType", error.code());
  }
}
