package dev.mrkpolicyguard.iac;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A template (YAML with CloudFormation's short-form tags, or JSON) as a JSON tree, with the line of
 * every object and array by JSON pointer. Short forms become their long forms as CloudFormation
 * reads them: {@code !Ref X} is {@code {"Ref": "X"}}, {@code !GetAtt A.B} is {@code {"Fn::GetAtt":
 * ["A", "B"]}}, {@code !Condition C} is {@code {"Condition": "C"}}, and every other {@code !Name v}
 * is {@code {"Fn::Name": v}} (CloudFormation user guide, "Intrinsic function reference").
 *
 * <p>Jackson's YAML parser reports each node's tag ({@code getTypeId}) and position while it
 * streams, so the tags need no custom SnakeYAML constructor and the lines come for free.
 */
final class TemplateTree {
  private static final JsonFactory JSON = new JsonFactory();
  private static final YAMLFactory YAML = new YAMLFactory();

  private final JsonNode root;
  private final Map<String, Integer> lines;

  private TemplateTree(JsonNode root, Map<String, Integer> lines) {
    this.root = root;
    this.lines = lines;
  }

  /** The document's root. */
  JsonNode root() {
    return root;
  }

  /** The line of the object or array at {@code pointer}, or 0 if none is recorded. */
  int line(String pointer) {
    return lines.getOrDefault(pointer, 0);
  }

  /** A parsed document, or what is wrong with it. */
  sealed interface Parsed {
    record Tree(TemplateTree tree) implements Parsed {}

    record Invalid(String problem) implements Parsed {}
  }

  /** Parses {@code text}: JSON when it starts with '{', YAML otherwise. */
  static Parsed parse(String text) {
    Objects.requireNonNull(text, "text");
    boolean json = text.stripLeading().startsWith("{");
    try (JsonParser parser = (json ? JSON : YAML).createParser(text)) {
      Map<String, Integer> lines = new HashMap<>();
      if (parser.nextToken() == null) {
        return new Parsed.Invalid("the file is empty");
      }
      JsonNode root = new Builder(parser, lines).value("");
      if (parser.nextToken() != null) {
        return new Parsed.Invalid("more than one document");
      }
      return new Parsed.Tree(new TemplateTree(root, lines));
    } catch (IOException e) {
      return new Parsed.Invalid(firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** Builds the tree from the parser's current token on. */
  private static final class Builder {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final JsonParser parser;
    private final Map<String, Integer> lines;

    Builder(JsonParser parser, Map<String, Integer> lines) {
      this.parser = parser;
      this.lines = lines;
    }

    JsonNode value(String pointer) throws IOException {
      Object typeId = parser.canReadTypeId() ? parser.getTypeId() : null;
      String tag = typeId instanceof String text ? text : null;
      int line = parser.currentTokenLocation().getLineNr();
      JsonNode value = plain(pointer, line);
      if (tag == null || tag.contains(":")) {
        return value;
      }
      ObjectNode longForm = NODES.objectNode();
      switch (tag) {
        case "Ref", "Condition" -> longForm.set(tag, value);
        case "GetAtt" -> longForm.set("Fn::GetAtt", getAtt(value));
        default -> longForm.set("Fn::" + tag, value);
      }
      lines.put(pointer, line);
      return longForm;
    }

    private JsonNode plain(String pointer, int line) throws IOException {
      JsonToken token = parser.currentToken();
      switch (token) {
        case START_OBJECT -> {
          lines.put(pointer, line);
          ObjectNode object = NODES.objectNode();
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            object.set(name, value(pointer + "/" + escape(name)));
          }
          return object;
        }
        case START_ARRAY -> {
          lines.put(pointer, line);
          ArrayNode array = NODES.arrayNode();
          int i = 0;
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            array.add(value(pointer + "/" + i++));
          }
          return array;
        }
        case VALUE_STRING -> {
          return NODES.textNode(parser.getText());
        }
        case VALUE_NUMBER_INT -> {
          return NODES.numberNode(parser.getBigIntegerValue());
        }
        case VALUE_NUMBER_FLOAT -> {
          return NODES.numberNode(parser.getDecimalValue());
        }
        case VALUE_TRUE, VALUE_FALSE -> {
          return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
        }
        case VALUE_NULL -> {
          return NODES.nullNode();
        }
        default -> throw new IOException("unexpected " + token + " at line " + line);
      }
    }

    /** {@code !GetAtt A.B.C} is {@code ["A", "B.C"]}: the logical ID has no dots. */
    private static JsonNode getAtt(JsonNode value) {
      if (!value.isTextual()) {
        return value;
      }
      String text = value.asText();
      int dot = text.indexOf('.');
      ArrayNode pair = NODES.arrayNode();
      pair.add(dot < 0 ? text : text.substring(0, dot));
      pair.add(dot < 0 ? "" : text.substring(dot + 1));
      return pair;
    }
  }

  /** A JSON pointer token (RFC 6901): {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
  static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
