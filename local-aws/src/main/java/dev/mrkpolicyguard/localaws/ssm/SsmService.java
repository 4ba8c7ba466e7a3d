package dev.mrkpolicyguard.localaws.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.localaws.Scope;
import dev.mrkpolicyguard.localaws.protocol.ApiException;
import dev.mrkpolicyguard.localaws.protocol.Json;
import dev.mrkpolicyguard.localaws.protocol.JsonInput;
import dev.mrkpolicyguard.localaws.protocol.JsonService;
import dev.mrkpolicyguard.localaws.protocol.RequestContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** SSM Parameter Store ({@code AmazonSSM}) over JSON 1.1: PutParameter and GetParameter. */
public final class SsmService implements JsonService {
  private static final Set<String> TYPES = Set.of("String", "StringList", "SecureString");
  private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9_.\\-/]+$");
  private static final int STANDARD_VALUE_LIMIT = 4096;

  private final Map<Scope, Map<String, List<Version>>> parameters = new LinkedHashMap<>();

  @Override
  public String name() {
    return "ssm";
  }

  @Override
  public String targetPrefix() {
    return "AmazonSSM";
  }

  @Override
  public synchronized JsonNode handle(String operation, JsonInput in, RequestContext ctx) {
    return switch (operation) {
      case "PutParameter" -> putParameter(in, ctx);
      case "GetParameter" -> getParameter(in, ctx);
      default ->
          throw ApiException.client(
              "UnknownOperationException", "local-aws does not implement SSM " + operation);
    };
  }

  public synchronized void reset() {
    parameters.clear();
  }

  private JsonNode putParameter(JsonInput in, RequestContext ctx) {
    String name = in.required("Name", 1, 2048);
    checkName(name);
    String value = in.required("Value");
    if (value.length() > STANDARD_VALUE_LIMIT) {
      throw ApiException.validation(
          "Standard parameters are limited to 4096 characters; " + name + " has " + value.length());
    }
    String type = in.enumValue("Type", TYPES).orElse(null);
    boolean overwrite = in.bool("Overwrite");
    if (overwrite && in.has("Tags")) {
      throw ApiException.validation("Tags cannot be used with Overwrite; use AddTagsToResource.");
    }
    List<Version> versions =
        parameters
            .computeIfAbsent(scope(ctx), s -> new LinkedHashMap<>())
            .computeIfAbsent(name, n -> new ArrayList<>());
    if (!versions.isEmpty() && !overwrite) {
      throw ApiException.client(
          "ParameterAlreadyExists",
          "The parameter already exists. To overwrite this value, set"
              + " the overwrite option in the request to true.");
    }
    if (versions.isEmpty() && type == null) {
      throw ApiException.validation("A parameter type is required when you create a parameter.");
    }
    String effectiveType = type != null ? type : versions.get(versions.size() - 1).type();
    versions.add(new Version(versions.size() + 1, effectiveType, value, ctx.now()));
    return Json.object().put("Version", versions.size()).put("Tier", "Standard");
  }

  private JsonNode getParameter(JsonInput in, RequestContext ctx) {
    String requested = in.required("Name", 1, 2048);
    int colon = requested.lastIndexOf(':');
    String name = colon > 0 ? requested.substring(0, colon) : requested;
    List<Version> versions = parameters.getOrDefault(scope(ctx), Map.of()).get(name);
    if (versions == null || versions.isEmpty()) {
      throw ApiException.client("ParameterNotFound", "Parameter " + name + " not found.");
    }
    Version version = versions.get(versions.size() - 1);
    if (colon > 0) {
      version = selectVersion(versions, requested.substring(colon + 1), name);
    }
    ObjectNode parameter = Json.object();
    parameter.put("Name", name).put("Type", version.type()).put("Value", version.value());
    parameter.put("Version", version.number());
    if (colon > 0) {
      parameter.put("Selector", requested.substring(colon));
    }
    parameter.put("LastModifiedDate", Json.epochSeconds(version.modified()));
    parameter.put("ARN", arn(ctx, name)).put("DataType", "text");
    return Json.object().set("Parameter", parameter);
  }

  private static Version selectVersion(List<Version> versions, String selector, String name) {
    try {
      int number = Integer.parseInt(selector);
      if (number >= 1 && number <= versions.size()) {
        return versions.get(number - 1);
      }
    } catch (NumberFormatException e) {
      throw ApiException.validation("Labels are not supported by local-aws: " + selector);
    }
    throw ApiException.client(
        "ParameterVersionNotFound",
        "Version " + selector + " of parameter " + name + " not found.");
  }

  private static void checkName(String name) {
    String plain = name.startsWith("/") ? name.substring(1) : name;
    String lower = plain.toLowerCase(Locale.ROOT);
    if (!NAME.matcher(name).matches()) {
      throw ApiException.validation(
          "Parameter name " + name + " may contain only a-z, A-Z, 0-9, and _.-/ characters.");
    }
    if (name.contains("/") && !name.startsWith("/")) {
      throw ApiException.validation(
          "Parameter name " + name + " must be fully qualified: start with /.");
    }
    if (lower.startsWith("aws") || lower.startsWith("ssm")) {
      throw ApiException.validation(
          "Parameter name " + name + ": names beginning with aws or ssm are reserved.");
    }
  }

  private static String arn(RequestContext ctx, String name) {
    String path = name.startsWith("/") ? name.substring(1) : name;
    return "arn:aws:ssm:" + ctx.region() + ":" + ctx.account() + ":parameter/" + path;
  }

  private static Scope scope(RequestContext ctx) {
    return new Scope(ctx.account(), ctx.region());
  }

  private record Version(int number, String type, String value, Instant modified) {}
}
