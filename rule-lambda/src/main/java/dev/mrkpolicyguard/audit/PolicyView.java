package dev.mrkpolicyguard.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A key policy pretty-printed as escaped HTML, one block per statement, so that the statements
 * deciding a witness can be highlighted.
 */
final class PolicyView {
  /** A highlight on one statement: which witness it decides, and how. */
  record Mark(String label, boolean allows) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectWriter PRETTY =
      MAPPER.writer(
          new DefaultPrettyPrinter()
              .withSeparators(
                  Separators.createDefaultInstance()
                      .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
              .withArrayIndenter(new DefaultIndenter("  ", "\n"))
              .withObjectIndenter(new DefaultIndenter("  ", "\n")));

  private PolicyView() {}

  /**
   * The policy {@code json} as a {@code <pre>} block; {@code marks} by zero-based statement index.
   * Text that is not a JSON object is shown as written.
   */
  static String render(String json, Map<Integer, List<Mark>> marks) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      return "<pre class=\"policy\">" + Html.escape(json) + "</pre>";
    }
    StringBuilder out = new StringBuilder("<pre class=\"policy\">{\n");
    List<String> names = new ArrayList<>();
    root.fieldNames().forEachRemaining(names::add);
    for (int f = 0; f < names.size(); f++) {
      String name = names.get(f);
      String comma = f < names.size() - 1 ? "," : "";
      JsonNode value = root.get(name);
      out.append("  ").append(Html.escape(quote(name))).append(": ");
      if (name.equals("Statement")) {
        statements(out, value, marks);
      } else {
        out.append(Html.escape(indent(pretty(value), "  ").strip()));
      }
      out.append(comma).append('\n');
    }
    return out.append("}</pre>").toString();
  }

  private static void statements(
      StringBuilder out, JsonNode value, Map<Integer, List<Mark>> marks) {
    List<JsonNode> statements = new ArrayList<>();
    if (value.isArray()) {
      value.elements().forEachRemaining(statements::add);
    } else {
      statements.add(value);
    }
    if (value.isArray()) {
      out.append("[\n");
    }
    for (int i = 0; i < statements.size(); i++) {
      List<Mark> mine = marks.getOrDefault(i, List.of());
      String comma = value.isArray() && i < statements.size() - 1 ? "," : "";
      String text = indent(pretty(statements.get(i)), value.isArray() ? "    " : "  ");
      if (!value.isArray()) {
        text = text.strip();
      }
      if (mine.isEmpty()) {
        out.append(Html.escape(text)).append(comma).append('\n');
        continue;
      }
      boolean allows = mine.stream().anyMatch(Mark::allows);
      out.append("<span class=\"stmt ").append(allows ? "allows" : "denies").append("\">");
      out.append("<span class=\"marks\">");
      for (Mark m : mine) {
        out.append("<span class=\"mark ").append(m.allows() ? "allows" : "denies").append("\">");
        out.append(Html.escape(m.label())).append(m.allows() ? " allowed here" : " denied here");
        out.append("</span>");
      }
      out.append("</span>\n").append(Html.escape(text)).append(comma).append("</span>\n");
    }
    if (value.isArray()) {
      out.append("  ]");
    } else {
      out.setLength(out.length() - 1);
    }
  }

  private static String pretty(JsonNode node) {
    try {
      return PRETTY.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print a parsed JSON node", e);
    }
  }

  private static String quote(String name) {
    try {
      return MAPPER.writeValueAsString(name);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot quote a field name", e);
    }
  }

  private static String indent(String text, String prefix) {
    StringBuilder out = new StringBuilder();
    for (Iterator<String> lines = text.lines().iterator(); lines.hasNext(); ) {
      out.append(prefix).append(lines.next()).append(lines.hasNext() ? "\n" : "");
    }
    return out.toString();
  }
}
