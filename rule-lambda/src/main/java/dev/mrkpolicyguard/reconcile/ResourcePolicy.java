package dev.mrkpolicyguard.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Lambda resource-based policy as GetPolicy returns it: its size in bytes (what Lambda's 20 KB
 * quota counts) and, per statement, its id, whether it lets {@code config.amazonaws.com} invoke the
 * function, the {@code AWS:SourceAccount} it is limited to, and its own size.
 */
public record ResourcePolicy(int bytes, List<Statement> statements) {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final String CONFIG = "config.amazonaws.com";

  /**
   * The text of a policy with no statement yet: {@code
   * {"Version":...,"Id":"default","Statement":[]}}.
   */
  static final int EMPTY_BYTES =
      "{\"Version\":\"2012-10-17\",\"Id\":\"default\",\"Statement\":[]}".length();

  public ResourcePolicy {
    statements = List.copyOf(statements);
  }

  /**
   * One statement.
   *
   * @param configInvoke whether it allows {@code lambda:InvokeFunction} to the Config service
   *     principal
   * @param sourceAccount its {@code AWS:SourceAccount} condition value, or empty
   * @param bytes the length of its JSON text
   */
  public record Statement(
      String sid, boolean configInvoke, Optional<String> sourceAccount, int bytes) {}

  /** The policy of an alias that has none. */
  public static ResourcePolicy none() {
    return new ResourcePolicy(0, List.of());
  }

  /**
   * Reads {@code text}, the Policy member of GetPolicy's answer.
   *
   * @throws IllegalArgumentException when it is not a JSON policy object
   */
  public static ResourcePolicy parse(String text) {
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException("the alias's resource policy is not JSON", e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the alias's resource policy is not a JSON object");
    }
    JsonNode list = root.path("Statement");
    List<Statement> statements = new ArrayList<>();
    for (JsonNode s : list.isArray() ? list : List.of(list)) {
      if (!s.isObject()) {
        continue;
      }
      statements.add(
          new Statement(
              s.path("Sid").asText(""),
              "Allow".equals(s.path("Effect").asText())
                  && contains(s.at("/Principal/Service"), CONFIG)
                  && (contains(s.path("Action"), "lambda:InvokeFunction")
                      || contains(s.path("Action"), "lambda:*")),
              sourceAccount(s.path("Condition")),
              s.toString().getBytes(StandardCharsets.UTF_8).length));
    }
    return new ResourcePolicy(text.getBytes(StandardCharsets.UTF_8).length, statements);
  }

  private static boolean contains(JsonNode node, String value) {
    if (node.isTextual()) {
      return node.asText().equals(value);
    }
    if (node.isArray()) {
      for (JsonNode v : node) {
        if (v.isTextual() && v.asText().equals(value)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The single value of {@code StringEquals AWS:SourceAccount} (key case-insensitive). */
  private static Optional<String> sourceAccount(JsonNode condition) {
    JsonNode equals = condition.path("StringEquals");
    for (Iterator<Map.Entry<String, JsonNode>> it = equals.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equalsIgnoreCase("aws:SourceAccount") && field.getValue().isTextual()) {
        return Optional.of(field.getValue().asText());
      }
    }
    return Optional.empty();
  }
}
