package dev.mrkpolicyguard.remediation;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mrkpolicyguard.rule.RuleRunner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Runs our SSM Automation documents (schema 0.3) step by step, the way Automation would, so that
 * the tests exercise the real YAML: parameters with allowedValues/allowedPattern and defaults,
 * {@code {{ }}} interpolation of parameters and step outputs, the four actions the documents use
 * ({@code aws:executeAwsApi}, {@code aws:assertAwsResourceProperty}, {@code
 * aws:invokeLambdaFunction}, {@code aws:branch}), output selectors ({@code $.A.B}), {@code
 * onFailure}, {@code isEnd} and {@code nextStep}. AWS APIs go to the stand-in through the real SDK
 * (with the assumed role's credentials); the Lambda step calls the handler in-process. Anything
 * else in a document, an unknown action, field or API, throws: a document the interpreter does not
 * understand fails its test.
 */
final class AutomationInterpreter {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.:]+)\\s*}}");
  private static final Set<String> TOP_LEVEL =
      Set.of("schemaVersion", "description", "assumeRole", "parameters", "mainSteps", "outputs");
  private static final Set<String> PARAMETER_FIELDS =
      Set.of("type", "description", "allowedPattern", "allowedValues", "default");
  private static final Set<String> STEP_FIELDS =
      Set.of(
          "name",
          "action",
          "description",
          "onFailure",
          "inputs",
          "outputs",
          "nextStep",
          "isEnd",
          "maxAttempts",
          "timeoutSeconds");

  /** How the document's AWS calls are made: a KMS client per assumed role (the automation's). */
  interface Aws {
    /** A KMS client in the automation's Region acting as {@code roleArn}. */
    KmsClient kms(String roleArn);
  }

  /** The end of one execution. */
  record Execution(
      String status,
      String failedStep,
      String failureMessage,
      List<String> steps,
      Map<String, String> outputs) {
    boolean succeeded() {
      return status.equals("Success");
    }
  }

  /** A step failure: the execution stops (onFailure Abort) with this message. */
  private static final class StepFailed extends Exception {
    private static final long serialVersionUID = 1L;

    StepFailed(String message) {
      super(message);
    }
  }

  private final JsonNode document;
  private final Aws aws;
  private final Map<String, RequestStreamHandler> functions;

  AutomationInterpreter(Path documentFile, Aws aws, Map<String, RequestStreamHandler> functions) {
    try {
      this.document = YAML.readTree(Files.readAllBytes(documentFile));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.aws = aws;
    this.functions = Map.copyOf(functions);
    requireOnly(document, TOP_LEVEL, "document");
    if (!"0.3".equals(document.path("schemaVersion").asText())) {
      throw new IllegalArgumentException("schemaVersion must be \"0.3\"");
    }
  }

  /** The document's parameters section, as written. */
  JsonNode parameters() {
    return document.get("parameters");
  }

  /** Starts an execution with {@code given} parameter values and runs it to its end. */
  Execution run(Map<String, String> given) {
    Map<String, String> values = resolveParameters(given);
    String role = interpolate(document.path("assumeRole").asText(), values);
    KmsClient kms = aws.kms(role);
    List<JsonNode> steps = new ArrayList<>();
    document.get("mainSteps").forEach(steps::add);
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < steps.size(); i++) {
      requireOnly(steps.get(i), STEP_FIELDS, "step " + i);
      if (index.put(steps.get(i).get("name").asText(), i) != null) {
        throw new IllegalArgumentException("duplicate step name " + steps.get(i).get("name"));
      }
    }
    List<String> executed = new ArrayList<>();
    int at = 0;
    while (at < steps.size()) {
      JsonNode step = steps.get(at);
      String name = step.get("name").asText();
      executed.add(name);
      String next;
      try {
        next = executeWithRetries(step, values, kms);
      } catch (StepFailed e) {
        String onFailure = step.path("onFailure").asText("Abort");
        if (onFailure.equals("Abort")) {
          return new Execution("Failed", name, e.getMessage(), executed, outputs(values));
        }
        if (onFailure.equals("Continue")) {
          next = null;
        } else if (onFailure.startsWith("step:")) {
          next = onFailure.substring(5);
        } else {
          throw new IllegalArgumentException("unknown onFailure '" + onFailure + "' in " + name);
        }
      }
      if (next == null && step.path("isEnd").asBoolean(false)) {
        return new Execution("Success", null, null, executed, outputs(values));
      }
      if (next == null) {
        next = step.has("nextStep") ? step.get("nextStep").asText() : null;
      }
      if (next == null) {
        at++;
      } else {
        Integer target = index.get(next);
        if (target == null) {
          throw new IllegalArgumentException("step " + name + " goes to unknown step " + next);
        }
        at = target;
      }
    }
    return new Execution("Success", null, null, executed, outputs(values));
  }

  // ---- parameters ----

  private Map<String, String> resolveParameters(Map<String, String> given) {
    JsonNode declared = document.get("parameters");
    for (String name : given.keySet()) {
      if (!declared.has(name)) {
        throw new IllegalArgumentException("unknown parameter " + name);
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = declared.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      JsonNode spec = p.getValue();
      requireOnly(spec, PARAMETER_FIELDS, "parameter " + p.getKey());
      if (!"String".equals(spec.path("type").asText())) {
        throw new IllegalArgumentException("only String parameters are interpreted: " + p.getKey());
      }
      String value = given.get(p.getKey());
      if (value == null && spec.has("default")) {
        value = spec.get("default").asText();
      }
      if (value == null) {
        throw new IllegalArgumentException("parameter " + p.getKey() + " is required");
      }
      if (spec.has("allowedValues")) {
        List<String> allowed = new ArrayList<>();
        spec.get("allowedValues").forEach(v -> allowed.add(v.asText()));
        if (!allowed.contains(value)) {
          throw new IllegalArgumentException(
              "parameter " + p.getKey() + " '" + value + "' is not one of " + allowed);
        }
      }
      if (spec.has("allowedPattern")
          && !Pattern.compile(spec.get("allowedPattern").asText()).matcher(value).find()) {
        throw new IllegalArgumentException(
            "parameter " + p.getKey() + " '" + value + "' does not match its allowedPattern");
      }
      values.put(p.getKey(), value);
    }
    return values;
  }

  // ---- steps ----

  /** Runs one step; returns the step to go to next, or null for the default. */
  /** Runs a step up to its maxAttempts times (default 1), as Automation does, until it succeeds. */
  private String executeWithRetries(JsonNode step, Map<String, String> values, KmsClient kms)
      throws StepFailed {
    int attempts = step.path("maxAttempts").asInt(1);
    if (attempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1 in " + step.get("name"));
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return execute(step, values, kms);
      } catch (StepFailed e) {
        if (attempt >= attempts) {
          throw e;
        }
      }
    }
  }

  private String execute(JsonNode step, Map<String, String> values, KmsClient kms)
      throws StepFailed {
    String action = step.get("action").asText();
    JsonNode inputs = interpolateTree(step.get("inputs"), values);
    String name = step.get("name").asText();
    switch (action) {
      case "aws:executeAwsApi" -> {
        JsonNode response = callApi(inputs, Set.of("Service", "Api"), kms);
        for (JsonNode output : step.path("outputs")) {
          requireOnly(output, Set.of("Name", "Selector", "Type"), "output of " + name);
          if (!"String".equals(output.get("Type").asText())) {
            throw new IllegalArgumentException("only String outputs are interpreted");
          }
          JsonNode selected = select(response, output.get("Selector").asText());
          values.put(name + "." + output.get("Name").asText(), selected.asText());
        }
        return null;
      }
      case "aws:assertAwsResourceProperty" -> {
        noOutputs(step);
        JsonNode response =
            callApi(inputs, Set.of("Service", "Api", "PropertySelector", "DesiredValues"), kms);
        String actual = select(response, inputs.get("PropertySelector").asText()).asText();
        List<String> desired = new ArrayList<>();
        inputs.get("DesiredValues").forEach(v -> desired.add(v.asText()));
        if (!desired.contains(actual)) {
          throw new StepFailed(
              "The property "
                  + inputs.get("PropertySelector").asText()
                  + " is '"
                  + actual
                  + "', not one of the desired values "
                  + desired);
        }
        return null;
      }
      case "aws:invokeLambdaFunction" -> {
        noOutputs(step);
        requireOnly(inputs, Set.of("FunctionName", "InvocationType", "InputPayload"), name);
        if (!"RequestResponse".equals(inputs.path("InvocationType").asText("RequestResponse"))) {
          throw new IllegalArgumentException("only RequestResponse invocations are interpreted");
        }
        values.put(name + ".Payload", invoke(inputs.get("FunctionName").asText(), inputs));
        values.put(name + ".StatusCode", "200");
        return null;
      }
      case "aws:branch" -> {
        noOutputs(step);
        requireOnly(inputs, Set.of("Choices", "Default"), name);
        for (JsonNode choice : inputs.get("Choices")) {
          if (choice(choice, true)) {
            return choice.get("NextStep").asText();
          }
        }
        return inputs.has("Default") ? inputs.get("Default").asText() : null;
      }
      default -> throw new IllegalArgumentException("action not interpreted: " + action);
    }
  }

  private static void noOutputs(JsonNode step) {
    if (step.has("outputs")) {
      throw new IllegalArgumentException("outputs are not interpreted for " + step.get("action"));
    }
  }

  /** Evaluates a choice (top level: with NextStep) of aws:branch. */
  private static boolean choice(JsonNode choice, boolean topLevel) {
    Set<String> fields =
        topLevel
            ? Set.of("NextStep", "Variable", "Contains", "StringEquals", "Or", "And", "Not")
            : Set.of("Variable", "Contains", "StringEquals", "Or", "And", "Not");
    requireOnly(choice, fields, "branch choice");
    if (choice.has("Or")) {
      for (JsonNode c : choice.get("Or")) {
        if (choice(c, false)) {
          return true;
        }
      }
      return false;
    }
    if (choice.has("And")) {
      for (JsonNode c : choice.get("And")) {
        if (!choice(c, false)) {
          return false;
        }
      }
      return true;
    }
    if (choice.has("Not")) {
      return !choice(choice.get("Not").get(0), false);
    }
    String variable = choice.get("Variable").asText();
    if (choice.has("Contains")) {
      return variable.contains(choice.get("Contains").asText());
    }
    if (choice.has("StringEquals")) {
      return variable.equals(choice.get("StringEquals").asText());
    }
    throw new IllegalArgumentException("branch choice without an operator: " + choice);
  }

  private String invoke(String functionName, JsonNode inputs) throws StepFailed {
    RequestStreamHandler handler = functions.get(functionName);
    if (handler == null) {
      throw new StepFailed("ResourceNotFoundException: Function not found: " + functionName);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      byte[] payload = JSON.writeValueAsBytes(inputs.get("InputPayload"));
      handler.handleRequest(
          new ByteArrayInputStream(payload), out, RuleRunner.context("automation-step"));
    } catch (IOException | RuntimeException e) {
      // Lambda answers 200 with FunctionError Unhandled and the error as the payload.
      return "{\"errorMessage\":" + TextNode.valueOf(String.valueOf(e.getMessage())) + "}";
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  // ---- AWS APIs: the few our documents call, by their boto3 names ----

  private JsonNode callApi(JsonNode inputs, Set<String> actionFields, KmsClient kms)
      throws StepFailed {
    String api = inputs.path("Service").asText() + ":" + inputs.path("Api").asText();
    Map<String, String> params = new LinkedHashMap<>();
    inputs
        .fields()
        .forEachRemaining(
            e -> {
              if (!actionFields.contains(e.getKey())) {
                params.put(e.getKey(), e.getValue().asText());
              }
            });
    Function<Map<String, String>, SdkPojo> call =
        switch (api) {
          case "kms:DescribeKey" ->
              p -> {
                requireParams(api, p, Set.of("KeyId"));
                return kms.describeKey(r -> r.keyId(p.get("KeyId")));
              };
          case "kms:GetKeyPolicy" ->
              p -> {
                requireParams(api, p, Set.of("KeyId", "PolicyName"));
                return kms.getKeyPolicy(
                    r -> r.keyId(p.get("KeyId")).policyName(p.get("PolicyName")));
              };
          default -> throw new IllegalArgumentException("API not interpreted: " + api);
        };
    try {
      return toJson(call.apply(params));
    } catch (AwsServiceException e) {
      throw new StepFailed(
          api + " failed: " + e.awsErrorDetails().errorCode() + ": " + e.getMessage());
    }
  }

  private static void requireParams(String api, Map<String, String> given, Set<String> allowed) {
    if (!allowed.containsAll(given.keySet()) || !given.containsKey("KeyId")) {
      throw new IllegalArgumentException(api + " takes " + allowed + ", got " + given.keySet());
    }
  }

  /** An SDK response as the service's JSON (member names as on the wire, as boto3 shows them). */
  static JsonNode toJson(Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value == null) {
      return f.nullNode();
    }
    if (value instanceof SdkPojo pojo) {
      ObjectNode node = f.objectNode();
      for (SdkField<?> field : pojo.sdkFields()) {
        Object member = field.getValueOrDefault(pojo);
        if (member != null) {
          node.set(field.locationName(), toJson(member));
        }
      }
      return node;
    }
    if (value instanceof Collection<?> list) {
      ArrayNode array = f.arrayNode();
      list.forEach(v -> array.add(toJson(v)));
      return array;
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode node = f.objectNode();
      map.forEach((k, v) -> node.set(String.valueOf(k), toJson(v)));
      return node;
    }
    if (value instanceof Boolean b) {
      return f.booleanNode(b);
    }
    if (value instanceof Number n) {
      return f.numberNode(n.longValue());
    }
    if (value instanceof Instant i) {
      return f.numberNode(i.getEpochSecond());
    }
    return f.textNode(value.toString());
  }

  /** A {@code $.A.B} selector (the JSONPath subset our documents use). */
  private static JsonNode select(JsonNode root, String selector) throws StepFailed {
    if (!selector.startsWith("$.")) {
      throw new IllegalArgumentException("selector must start with $.: " + selector);
    }
    JsonNode node = root;
    for (String part : selector.substring(2).split("\\.")) {
      node = node.path(part);
    }
    if (node.isMissingNode() || node.isNull()) {
      throw new StepFailed("the selector " + selector + " selects nothing in the response");
    }
    if (node.isContainerNode()) {
      throw new IllegalArgumentException("selector " + selector + " selects an object or list");
    }
    return node;
  }

  // ---- interpolation ----

  private JsonNode interpolateTree(JsonNode node, Map<String, String> values) {
    if (node == null) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (node.isTextual()) {
      return TextNode.valueOf(interpolate(node.asText(), values));
    }
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      node.fields()
          .forEachRemaining(e -> out.set(e.getKey(), interpolateTree(e.getValue(), values)));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(v -> out.add(interpolateTree(v, values)));
      return out;
    }
    return node;
  }

  private static String interpolate(String text, Map<String, String> values) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("unknown reference {{" + m.group(1) + "}}");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private Map<String, String> outputs(Map<String, String> values) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode output : document.path("outputs")) {
      String value = values.get(output.asText());
      if (value != null) {
        out.put(output.asText(), value);
      }
    }
    return out;
  }

  private static void requireOnly(JsonNode node, Set<String> allowed, String where) {
    node.fieldNames()
        .forEachRemaining(
            f -> {
              if (!allowed.contains(f)) {
                throw new IllegalArgumentException("unknown field '" + f + "' in " + where);
              }
            });
  }
}
