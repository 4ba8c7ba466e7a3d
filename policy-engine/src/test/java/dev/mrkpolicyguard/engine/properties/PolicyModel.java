package dev.mrkpolicyguard.engine.properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.engine.parse.ParseResult;
import dev.mrkpolicyguard.engine.parse.PolicyParser;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small, test-only model of a key policy from which JSON documents are rendered. Keeping the
 * model separate from the JSON lets the properties apply meaning-preserving rewrites (statement
 * order, Sids, splitting and merging) on the model and purely syntactic variations (scalar or
 * array, {@code "*"} or {@code {"AWS":"*"}}, account id or root ARN, letter case of actions and
 * condition keys) while rendering.
 */
final class PolicyModel {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final PolicyParser PARSER = new PolicyParser();

  private PolicyModel() {}

  /** A principal: {@code AWS} (account id, IAM ARN or {@code *}) or {@code Service}. */
  record Principal(String type, String value) {
    static Principal aws(String value) {
      return new Principal("AWS", value);
    }

    static Principal service(String value) {
      return new Principal("Service", value);
    }

    boolean isStar() {
      return type.equals("AWS") && value.equals("*");
    }

    boolean isAccount() {
      return type.equals("AWS") && value.matches("\\d{12}");
    }

    @Override
    public String toString() {
      return type + ":" + value;
    }
  }

  /** One operator/key pair of a condition block. */
  record Cond(String op, String key, List<String> values) {
    Cond {
      values = List.copyOf(values);
    }

    String slot() {
      return op.toLowerCase(Locale.ROOT) + "|" + key.toLowerCase(Locale.ROOT);
    }
  }

  /** One statement; Resource is always {@code "*"}. */
  record Stmt(
      String sid,
      boolean allow,
      List<Principal> principals,
      boolean notAction,
      List<String> actions,
      List<Cond> conds) {
    Stmt {
      principals = List.copyOf(principals);
      actions = List.copyOf(actions);
      conds = List.copyOf(conds);
    }

    Stmt withSid(String newSid) {
      return new Stmt(newSid, allow, principals, notAction, actions, conds);
    }

    Stmt withPrincipals(List<Principal> newPrincipals) {
      return new Stmt(sid, allow, newPrincipals, notAction, actions, conds);
    }

    Stmt withActions(boolean newNotAction, List<String> newActions) {
      return new Stmt(sid, allow, principals, newNotAction, newActions, conds);
    }

    Stmt withConds(List<Cond> newConds) {
      return new Stmt(sid, allow, principals, notAction, actions, newConds);
    }

    Stmt withAllow(boolean newAllow) {
      return new Stmt(sid, newAllow, principals, notAction, actions, conds);
    }
  }

  /** A whole policy. Its string form is its canonical JSON, so jqwik reports readable samples. */
  record Policy(List<Stmt> statements) {
    Policy {
      statements = List.copyOf(statements);
    }

    String json() {
      return render(this, Style.CANONICAL);
    }

    KeyPolicy parsed() {
      return parse(json());
    }

    @Override
    public String toString() {
      return json();
    }
  }

  /**
   * How to spell a policy: {@code choices} drive the syntactic choices when {@code varyShapes};
   * with {@code changeCase} actions and condition-key names get the letter case they choose.
   */
  record Style(Choices choices, boolean varyShapes, boolean changeCase) {
    static final Style CANONICAL = new Style(Choices.NONE, false, false);
  }

  static KeyPolicy parse(String json) {
    ParseResult result = PARSER.parse(json);
    if (result instanceof ParseResult.Parsed parsed) {
      return parsed.policy();
    }
    throw new AssertionError(
        "generated policy does not parse: "
            + ((ParseResult.Invalid) result).describe()
            + "\n"
            + json);
  }

  static String render(Policy policy, Style style) {
    Choices.Cursor choices = style.choices().cursor();
    ObjectNode root = JSON.createObjectNode();
    root.put("Version", "2012-10-17");
    root.put("Id", "key-policy-under-test");
    ArrayNode statements = root.putArray("Statement");
    for (Stmt s : policy.statements()) {
      ObjectNode node = statements.addObject();
      if (s.sid() != null) {
        node.put("Sid", s.sid());
      }
      node.put("Effect", s.allow() ? "Allow" : "Deny");
      node.set("Principal", principal(s.principals(), style, choices));
      node.set(
          s.notAction() ? "NotAction" : "Action",
          list(
              s.actions().stream().map(a -> style.changeCase() ? recase(a, choices) : a).toList(),
              style,
              choices));
      node.set("Resource", list(List.of("*"), style, choices));
      if (!s.conds().isEmpty()) {
        ObjectNode block = node.putObject("Condition");
        for (Cond c : s.conds()) {
          ObjectNode op =
              block.has(c.op()) ? (ObjectNode) block.get(c.op()) : block.putObject(c.op());
          String key = style.changeCase() ? recase(c.key(), choices) : c.key();
          op.set(key, conditionValues(c, style, choices));
        }
      }
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode principal(
      List<Principal> principals, Style style, Choices.Cursor choices) {
    if (principals.size() == 1
        && principals.get(0).isStar()
        && (!style.varyShapes() || choices.nextBoolean())) {
      return JSON.getNodeFactory().textNode("*");
    }
    Map<String, List<String>> byType = new LinkedHashMap<>();
    for (Principal p : principals) {
      String value = p.value();
      if (p.isAccount() && style.varyShapes() && choices.nextBoolean()) {
        value = "arn:aws:iam::" + value + ":root";
      }
      byType.computeIfAbsent(p.type(), t -> new ArrayList<>()).add(value);
    }
    ObjectNode node = JSON.createObjectNode();
    byType.forEach((type, values) -> node.set(type, list(values, style, choices)));
    return node;
  }

  private static JsonNode list(List<String> values, Style style, Choices.Cursor choices) {
    if (values.size() == 1 && (!style.varyShapes() || choices.nextBoolean())) {
      return JSON.getNodeFactory().textNode(values.get(0));
    }
    ArrayNode array = JSON.createArrayNode();
    values.forEach(array::add);
    return array;
  }

  private static JsonNode conditionValues(Cond c, Style style, Choices.Cursor choices) {
    boolean bool = c.op().toLowerCase(Locale.ROOT).startsWith("bool");
    if (bool && style.varyShapes() && choices.nextBoolean() && c.values().size() == 1) {
      return JSON.getNodeFactory().booleanNode(Boolean.parseBoolean(c.values().get(0)));
    }
    return list(c.values(), style, choices);
  }

  /** The same name in the letter case the choices pick. */
  static String recase(String name, Choices.Cursor choices) {
    return switch (choices.nextInt(3)) {
      case 0 -> name.toUpperCase(Locale.ROOT);
      case 1 -> name.toLowerCase(Locale.ROOT);
      default -> {
        StringBuilder out = new StringBuilder();
        for (char ch : name.toCharArray()) {
          out.append(choices.nextBoolean() ? Character.toUpperCase(ch) : Character.toLowerCase(ch));
        }
        yield out.toString();
      }
    };
  }
}
