package dev.mrkpolicyguard.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The trigger's EventBridge rule pattern from the stack, and the part of EventBridge's matching it
 * uses (EventBridge user guide, "Event patterns" and "Comparison operators"): every field of the
 * pattern must match; a list matches when any event value equals a literal or satisfies a {@code
 * prefix} or {@code exists} operator; arrays in the event, of values or of objects, are flattened.
 */
public final class EventPattern {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final JsonNode pattern;

  private EventPattern(JsonNode pattern) {
    this.pattern = pattern;
  }

  /** The stack's TriggerEventRule pattern as deployed in {@code account} and {@code region}. */
  public static EventPattern ofStack(String account, String region) {
    JsonNode raw =
        CfnTemplate.load(LambdaWiringTest.STACK_FILE)
            .properties("TriggerEventRule")
            .path("EventPattern");
    return new EventPattern(
        resolve(
            raw,
            Map.of(
                "${AWS::Partition}",
                "aws",
                "${AWS::Region}",
                region,
                "${AWS::AccountId}",
                account)));
  }

  JsonNode json() {
    return pattern;
  }

  /** Whether EventBridge would deliver {@code event} to the rule. */
  public boolean matches(JsonNode event) {
    return matches(pattern, event, new ArrayList<>());
  }

  private static boolean matches(JsonNode pattern, JsonNode event, List<String> path) {
    for (Iterator<Map.Entry<String, JsonNode>> it = pattern.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      List<String> here = new ArrayList<>(path);
      here.add(field.getKey());
      boolean ok =
          field.getValue().isObject()
              ? matches(field.getValue(), event, here)
              : anyMatches(field.getValue(), values(event, here));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean anyMatches(JsonNode matchers, List<JsonNode> values) {
    for (JsonNode matcher : matchers) {
      if (matcher.isObject() && matcher.has("exists")) {
        if (matcher.path("exists").asBoolean() != !values.isEmpty()) {
          continue;
        }
        return true;
      }
      for (JsonNode value : values) {
        if (matcher.isObject() && matcher.has("prefix")) {
          if (value.isTextual() && value.asText().startsWith(matcher.path("prefix").asText())) {
            return true;
          }
        } else if (matcher.equals(value)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The leaf values at {@code path}, arrays flattened at every step; null values count as none. */
  private static List<JsonNode> values(JsonNode event, List<String> path) {
    List<JsonNode> current = List.of(event);
    for (String name : path) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode node : current) {
        for (JsonNode element : node.isArray() ? node : List.of(node)) {
          JsonNode child = element.get(name);
          if (child != null && !child.isNull()) {
            next.add(child);
          }
        }
      }
      current = next;
    }
    List<JsonNode> leaves = new ArrayList<>();
    for (JsonNode node : current) {
      if (node.isArray()) {
        node.forEach(leaves::add);
      } else {
        leaves.add(node);
      }
    }
    return leaves;
  }

  private static JsonNode resolve(JsonNode node, Map<String, String> values) {
    if (node.isObject() && node.has("Fn::Sub") && node.size() == 1) {
      String text = node.path("Fn::Sub").asText();
      for (Map.Entry<String, String> v : values.entrySet()) {
        text = text.replace(v.getKey(), v.getValue());
      }
      return MAPPER.getNodeFactory().textNode(text);
    }
    if (node.isObject()) {
      ObjectNode out = MAPPER.createObjectNode();
      node.fields().forEachRemaining(f -> out.set(f.getKey(), resolve(f.getValue(), values)));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = MAPPER.createArrayNode();
      node.forEach(e -> out.add(resolve(e, values)));
      return out;
    }
    return node;
  }
}
