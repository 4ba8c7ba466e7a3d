package dev.mrkpolicyguard.iac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Resolves the intrinsic functions of one CloudFormation template that have a value before
 * deployment (CloudFormation user guide, "Intrinsic function reference" and "Pseudo parameters
 * reference"): {@code Ref} to a parameter (its {@code --parameter} value, else its {@code Default})
 * or a pseudo parameter, {@code Fn::Sub}, {@code Fn::Join}, {@code Fn::Select}, {@code Fn::Split},
 * {@code Fn::FindInMap}, {@code Fn::If} over the template's {@code Conditions}, and {@code
 * AWS::NoValue}. Everything else ({@code Fn::GetAtt}, {@code Ref} to a resource, {@code
 * Fn::ImportValue}, dynamic references, SSM parameter types) is unknown until deployment, and the
 * resolution says which one.
 */
final class Intrinsics {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Marks a value that {@code AWS::NoValue} removes. */
  private static final JsonNode NO_VALUE = MissingNode.getInstance();

  private final JsonNode template;
  private final String region;
  private final String accountId;
  private final Map<String, String> overrides;
  private final Map<String, Boolean> conditions = new HashMap<>();
  private String problem;

  /**
   * @param template the whole template (Parameters, Mappings, Conditions)
   * @param region the Region the stack is deployed in
   * @param accountId the account ({@code AWS::AccountId})
   * @param overrides {@code --parameter} values by parameter name
   */
  Intrinsics(JsonNode template, String region, String accountId, Map<String, String> overrides) {
    this.template = Objects.requireNonNull(template, "template");
    this.region = Objects.requireNonNull(region, "region");
    this.accountId = Objects.requireNonNull(accountId, "accountId");
    this.overrides = Map.copyOf(overrides);
  }

  /** A resolved value, or what has no value before deployment. */
  sealed interface Resolved {
    record Value(JsonNode node) implements Resolved {}

    record Unknown(String reason) implements Resolved {}
  }

  /** Resolves every intrinsic in {@code node}. */
  Resolved resolve(JsonNode node) {
    problem = null;
    JsonNode value = value(node);
    if (problem != null) {
      return new Resolved.Unknown(problem);
    }
    return new Resolved.Value(value == NO_VALUE ? NODES.nullNode() : value);
  }

  /** The partition of a Region: {@code aws-cn} for China, {@code aws-us-gov} for GovCloud. */
  static String partition(String region) {
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  }

  private JsonNode value(JsonNode node) {
    if (problem != null) {
      return NODES.nullNode();
    }
    if (node.isTextual()) {
      return dynamicReference(node.asText()) ? unknown(dynamicText(node.asText())) : node;
    }
    if (node.isArray()) {
      ArrayNode out = NODES.arrayNode();
      for (JsonNode item : node) {
        JsonNode v = value(item);
        if (v != NO_VALUE) {
          out.add(v);
        }
      }
      return out;
    }
    if (!node.isObject()) {
      return node;
    }
    if (node.size() == 1) {
      String name = node.fieldNames().next();
      if (name.equals("Ref") || name.startsWith("Fn::")) {
        return function(name, node.get(name));
      }
    }
    ObjectNode out = NODES.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode v = value(field.getValue());
      if (v != NO_VALUE) {
        out.set(field.getKey(), v);
      }
    }
    return out;
  }

  private JsonNode function(String name, JsonNode args) {
    return switch (name) {
      case "Ref" -> ref(args);
      case "Fn::Sub" -> sub(args);
      case "Fn::Join" -> join(args);
      case "Fn::Select" -> select(args);
      case "Fn::Split" -> split(args);
      case "Fn::FindInMap" -> findInMap(args);
      case "Fn::If" -> ifThen(args);
      default -> unknown(shown(name, args) + " has no value before deployment");
    };
  }

  private JsonNode ref(JsonNode args) {
    if (!args.isTextual()) {
      return unknown("Ref takes a name, not " + args);
    }
    String name = args.asText();
    if (name.equals("AWS::NoValue")) {
      return NO_VALUE;
    }
    String pseudo = pseudo(name);
    if (pseudo != null) {
      return NODES.textNode(pseudo);
    }
    JsonNode parameter = template.path("Parameters").path(name);
    if (parameter.isMissingNode()) {
      return template.path("Resources").has(name)
          ? unknown("Ref " + name + " is a resource's physical ID, known only once it is created")
          : unknown("Ref " + name + " names no parameter or resource of the template");
    }
    return parameter(name, parameter);
  }

  private String pseudo(String name) {
    return switch (name) {
      case "AWS::Region" -> region;
      case "AWS::AccountId" -> accountId;
      case "AWS::Partition" -> partition(region);
      case "AWS::URLSuffix" -> region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
      default -> null;
    };
  }

  private JsonNode parameter(String name, JsonNode parameter) {
    String type = parameter.path("Type").asText("String");
    String text = overrides.get(name);
    if (text == null && type.startsWith("AWS::SSM::Parameter::Value")) {
      return unknown(
          "parameter "
              + name
              + " is read from SSM at deployment; give its value with --parameter "
              + name
              + "=VALUE");
    }
    if (text == null) {
      JsonNode fallback = parameter.get("Default");
      if (fallback == null || fallback.isNull()) {
        return unknown(
            "parameter " + name + " has no Default; give it with --parameter " + name + "=VALUE");
      }
      text = fallback.isArray() ? joined(fallback, ",") : fallback.asText();
    }
    if (type.equals("CommaDelimitedList") || type.startsWith("List<")) {
      ArrayNode list = NODES.arrayNode();
      for (String part : text.split(",", -1)) {
        list.add(part.strip());
      }
      return list;
    }
    return NODES.textNode(text);
  }

  private JsonNode sub(JsonNode args) {
    JsonNode format = args;
    Map<String, JsonNode> variables = new HashMap<>();
    if (args.isArray()) {
      if (args.size() != 2 || !args.get(1).isObject()) {
        return unknown("Fn::Sub takes a string, or [string, {variables}]");
      }
      format = args.get(0);
      for (Iterator<Map.Entry<String, JsonNode>> it = args.get(1).fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> v = it.next();
        variables.put(v.getKey(), v.getValue());
      }
    }
    if (!format.isTextual()) {
      return unknown("Fn::Sub takes a string as its format");
    }
    String text = format.asText();
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      int start = text.indexOf("${", i);
      int end = start < 0 ? -1 : text.indexOf('}', start);
      if (start < 0 || end < 0) {
        out.append(text, i, text.length());
        break;
      }
      out.append(text, i, start);
      String variable = text.substring(start + 2, end);
      if (variable.startsWith("!")) {
        out.append("${").append(variable.substring(1)).append('}');
      } else {
        JsonNode given = variables.get(variable);
        JsonNode v =
            given != null
                ? value(given)
                : variable.contains(".") && !variable.startsWith("AWS::")
                    ? unknown("${" + variable + "} is a resource attribute, known once created")
                    : ref(NODES.textNode(variable));
        if (problem != null) {
          return NODES.nullNode();
        }
        if (!v.isValueNode()) {
          return unknown("${" + variable + "} in Fn::Sub is not a single string");
        }
        out.append(v.asText());
      }
      i = end + 1;
    }
    String result = out.toString();
    return dynamicReference(result) ? unknown(dynamicText(result)) : NODES.textNode(result);
  }

  private JsonNode join(JsonNode args) {
    if (!args.isArray() || args.size() != 2 || !args.get(0).isTextual()) {
      return unknown("Fn::Join takes [delimiter, [values]]");
    }
    JsonNode list = value(args.get(1));
    if (problem != null) {
      return NODES.nullNode();
    }
    if (!list.isArray()) {
      return unknown("Fn::Join's second argument is not a list");
    }
    return NODES.textNode(joined(list, args.get(0).asText()));
  }

  private JsonNode select(JsonNode args) {
    if (!args.isArray() || args.size() != 2) {
      return unknown("Fn::Select takes [index, [values]]");
    }
    JsonNode index = value(args.get(0));
    JsonNode list = value(args.get(1));
    if (problem != null) {
      return NODES.nullNode();
    }
    int i;
    try {
      i = Integer.parseInt(index.asText());
    } catch (NumberFormatException e) {
      return unknown("Fn::Select's index '" + index.asText() + "' is not a number");
    }
    if (!list.isArray() || i < 0 || i >= list.size()) {
      return unknown("Fn::Select's index " + i + " is outside its list");
    }
    return list.get(i);
  }

  private JsonNode split(JsonNode args) {
    if (!args.isArray() || args.size() != 2 || !args.get(0).isTextual()) {
      return unknown("Fn::Split takes [delimiter, string]");
    }
    JsonNode source = value(args.get(1));
    if (problem != null) {
      return NODES.nullNode();
    }
    ArrayNode out = NODES.arrayNode();
    String delimiter = args.get(0).asText();
    String text = source.asText();
    int i = 0;
    for (int at = text.indexOf(delimiter); at >= 0 && !delimiter.isEmpty(); ) {
      out.add(text.substring(i, at));
      i = at + delimiter.length();
      at = text.indexOf(delimiter, i);
    }
    out.add(text.substring(i));
    return out;
  }

  private JsonNode findInMap(JsonNode args) {
    if (!args.isArray() || args.size() < 3) {
      return unknown("Fn::FindInMap takes [map, top-level key, second-level key]");
    }
    JsonNode map = value(args.get(0));
    JsonNode top = value(args.get(1));
    JsonNode second = value(args.get(2));
    if (problem != null) {
      return NODES.nullNode();
    }
    JsonNode found =
        template.path("Mappings").path(map.asText()).path(top.asText()).path(second.asText());
    return found.isMissingNode()
        ? unknown(
            "Fn::FindInMap finds no "
                + map.asText()
                + "/"
                + top.asText()
                + "/"
                + second.asText()
                + " in Mappings")
        : value(found);
  }

  private JsonNode ifThen(JsonNode args) {
    if (!args.isArray() || args.size() != 3 || !args.get(0).isTextual()) {
      return unknown("Fn::If takes [condition, value if true, value if false]");
    }
    Boolean holds = condition(args.get(0).asText(), List.of());
    if (holds == null) {
      return NODES.nullNode();
    }
    return value(args.get(holds ? 1 : 2));
  }

  /** The value of the named condition, or {@code null} with {@link #problem} set. */
  private Boolean condition(String name, List<String> seen) {
    Boolean known = conditions.get(name);
    if (known != null) {
      return known;
    }
    JsonNode definition = template.path("Conditions").path(name);
    if (definition.isMissingNode() || seen.contains(name)) {
      unknown(
          "condition " + name + (seen.contains(name) ? " refers to itself" : " is not defined"));
      return null;
    }
    List<String> path = new ArrayList<>(seen);
    path.add(name);
    Boolean value = conditionValue(definition, path);
    if (value != null) {
      conditions.put(name, value);
    }
    return value;
  }

  private Boolean conditionValue(JsonNode node, List<String> seen) {
    if (node.isObject() && node.size() == 1) {
      String name = node.fieldNames().next();
      JsonNode args = node.get(name);
      switch (name) {
        case "Condition":
          return condition(args.asText(), seen);
        case "Fn::Equals":
          if (args.isArray() && args.size() == 2) {
            JsonNode a = value(args.get(0));
            JsonNode b = value(args.get(1));
            return problem == null ? a.asText().equals(b.asText()) : null;
          }
          break;
        case "Fn::Not":
          if (args.isArray() && args.size() == 1) {
            Boolean inner = conditionValue(args.get(0), seen);
            return inner == null ? null : !inner;
          }
          break;
        case "Fn::And", "Fn::Or":
          if (args.isArray()) {
            boolean and = name.equals("Fn::And");
            boolean result = and;
            for (JsonNode item : args) {
              Boolean v = conditionValue(item, seen);
              if (v == null) {
                return null;
              }
              result = and ? result && v : result || v;
            }
            return result;
          }
          break;
        default:
          break;
      }
    }
    unknown("a condition that cannot be evaluated: " + node);
    return null;
  }

  /** A function as the template writes it, e.g. {@code Fn::GetAtt Role.Arn}. */
  private static String shown(String name, JsonNode args) {
    if (name.equals("Fn::GetAtt") && args.isArray()) {
      return name + " " + joined(args, ".") + " (known once the stack creates it)";
    }
    String text = args.isTextual() ? args.asText() : args.toString();
    return name + " " + (text.length() > 80 ? text.substring(0, 80) + "..." : text);
  }

  private static String joined(JsonNode list, String delimiter) {
    StringBuilder out = new StringBuilder();
    boolean first = true;
    for (JsonNode item : list) {
      if (!first) {
        out.append(delimiter);
      }
      first = false;
      out.append(item.asText());
    }
    return out.toString();
  }

  /** Dynamic references ({@code {{resolve:ssm:...}}}) are resolved by CloudFormation on deploy. */
  private static boolean dynamicReference(String text) {
    return text.contains("{{resolve:");
  }

  private static String dynamicText(String text) {
    int at = text.indexOf("{{resolve:");
    int end = text.indexOf("}}", at);
    String ref = end < 0 ? text.substring(at) : text.substring(at, end + 2);
    return "the dynamic reference " + ref + " is resolved only at deployment";
  }

  private JsonNode unknown(String reason) {
    if (problem == null) {
      problem = reason;
    }
    return NODES.nullNode();
  }
}
