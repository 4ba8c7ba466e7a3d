package dev.mrkpolicyguard.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Evaluates a template's conditions (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition) for one
 * Region and a set of parameter values, so that a test can say where a resource exists. Parameters
 * not given take their template default.
 */
final class Conditions {
  private final CfnTemplate template;
  private final String region;
  private final Map<String, String> parameters;

  Conditions(CfnTemplate template, String region, Map<String, String> parameters) {
    this.template = template;
    this.region = region;
    this.parameters = parameters;
  }

  boolean holds(String condition) {
    JsonNode node = template.root().path("Conditions").path(condition);
    if (node.isMissingNode()) {
      throw new AssertionError(template.path().getFileName() + " has no condition " + condition);
    }
    return eval(node);
  }

  private boolean eval(JsonNode node) {
    if (node.has("Condition")) {
      return holds(node.path("Condition").asText());
    }
    if (node.has("Fn::Not")) {
      return !eval(node.path("Fn::Not").get(0));
    }
    if (node.has("Fn::And")) {
      for (JsonNode part : node.path("Fn::And")) {
        if (!eval(part)) {
          return false;
        }
      }
      return true;
    }
    if (node.has("Fn::Or")) {
      for (JsonNode part : node.path("Fn::Or")) {
        if (eval(part)) {
          return true;
        }
      }
      return false;
    }
    if (node.has("Fn::Equals")) {
      return value(node.path("Fn::Equals").get(0)).equals(value(node.path("Fn::Equals").get(1)));
    }
    throw new AssertionError("unsupported condition " + node);
  }

  private String value(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.has("Ref")) {
      String name = node.path("Ref").asText();
      if (name.equals("AWS::Region")) {
        return region;
      }
      if (parameters.containsKey(name)) {
        return parameters.get(name);
      }
      JsonNode parameter = template.root().path("Parameters").path(name);
      if (parameter.has("Default")) {
        return parameter.path("Default").asText();
      }
      throw new AssertionError("no value for " + name);
    }
    if (node.has("Fn::Join") && node.at("/Fn::Join/1").has("Ref")) {
      // Join of a list parameter: its value joined, as given or defaulted.
      return value(node.at("/Fn::Join/1")).replace(",", node.at("/Fn::Join/0").asText());
    }
    throw new AssertionError("unsupported value " + node);
  }
}
