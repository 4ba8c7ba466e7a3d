package dev.mrkpolicyguard.explain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One CloudTrail record as read from a file or from LookupEvents, with the shape differences of its
 * sources normalised once, here: field names are matched case-insensitively (Athena's CloudTrail
 * table spells them in lower case) and objects written as JSON strings (CloudTrail Lake's and
 * Athena's {@code requestParameters}) are read as objects (CloudTrail User Guide, "CloudTrail
 * record contents").
 */
public final class TrailRecord {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final JsonNode root;

  /** A record from its JSON object. */
  public TrailRecord(JsonNode root) {
    Objects.requireNonNull(root, "root");
    if (!root.isObject()) {
      throw new IllegalArgumentException("a CloudTrail record is a JSON object");
    }
    this.root = root;
  }

  /** A top-level text field, e.g. {@code eventName}. */
  public Optional<String> text(String field) {
    return text(root, field);
  }

  /** A top-level object field, e.g. {@code userIdentity}, or a missing node. */
  public JsonNode object(String field) {
    return object(root, field);
  }

  /** The {@code ARN} of each entry of {@code resources}, in order. */
  public List<String> resourceArns() {
    List<String> out = new ArrayList<>();
    JsonNode resources = field(root, "resources");
    if (resources.isTextual()) {
      resources = parsed(resources);
    }
    for (JsonNode resource : resources) {
      text(resource, "ARN").ifPresent(out::add);
    }
    return out;
  }

  /** A text field of {@code node}: a string, or a number or boolean as its JSON text. */
  static Optional<String> text(JsonNode node, String field) {
    JsonNode value = field(node, field);
    if (value.isTextual() || value.isNumber() || value.isBoolean()) {
      String text = value.asText();
      return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }
    return Optional.empty();
  }

  /** An object field of {@code node}, also when it is written as a JSON string; else missing. */
  static JsonNode object(JsonNode node, String field) {
    JsonNode value = field(node, field);
    if (value.isTextual()) {
      value = parsed(value);
    }
    return value.isObject() ? value : MissingNode.getInstance();
  }

  /** A field by name, exactly or else ignoring case; a missing node when absent or null. */
  static JsonNode field(JsonNode node, String field) {
    if (node == null || !node.isObject()) {
      return MissingNode.getInstance();
    }
    JsonNode value = node.get(field);
    if (value == null) {
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (name.equalsIgnoreCase(field)) {
          value = node.get(name);
          break;
        }
      }
    }
    return value == null || value.isNull() ? MissingNode.getInstance() : value;
  }

  private static JsonNode parsed(JsonNode text) {
    String value = text.asText().trim();
    if (!value.startsWith("{") && !value.startsWith("[")) {
      return MissingNode.getInstance();
    }
    try {
      return MAPPER.readTree(value);
    } catch (JsonProcessingException e) {
      return MissingNode.getInstance();
    }
  }
}
