package dev.mrkpolicyguard.engine.region;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.mrkpolicyguard.engine.policy.Condition;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import dev.mrkpolicyguard.engine.policy.PatternSpec;
import dev.mrkpolicyguard.engine.policy.PrincipalAtom;
import dev.mrkpolicyguard.engine.policy.PrincipalSpec;
import dev.mrkpolicyguard.engine.policy.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a key policy written for a key in one Region into its meaning for the related key in
 * another Region. A multi-Region key's related keys differ only in the Region field of their ARNs
 * (KMS Developer Guide, "Multi-Region key identifiers"), and Regional services call KMS from their
 * own Region, so these are mapped wherever they appear (principals, resources, condition values):
 *
 * <ul>
 *   <li>the Region field of any ARN that names the source Region ({@code
 *       arn:aws:logs:us-east-1:...}, the key's own ARN);
 *   <li>Regional service names {@code <service>.<region>.amazonaws.com[.cn]} that name the source
 *       Region ({@code ec2.us-east-1.amazonaws.com}, {@code logs.us-east-1.amazonaws.com}).
 * </ul>
 *
 * <p>Left alone: values naming any other Region, and the values of condition keys that name a
 * Region on purpose ({@code kms:ReplicaRegion}, {@code kms:PrimaryRegion}, {@code
 * aws:RequestedRegion}); such a condition means the same text in every Region.
 */
public final class RegionMapper {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Condition keys whose values name Regions deliberately; never rewritten. */
  public static final Set<String> REGION_VALUED_KEYS =
      Set.of("kms:replicaregion", "kms:primaryregion");

  /**
   * Keys whose values name the key's own Region or role, rewritten by exact value: {@code
   * aws:RequestedRegion} (always the key's Region) and {@code kms:MultiRegionKeyType} (the key's
   * role), so that a statement about the primary's own Region or role says the same of the replica.
   */
  private static final Set<String> OWN_VALUE_KEYS =
      Set.of("aws:requestedregion", "kms:multiregionkeytype");

  private String ownValue(String key, String value) {
    if (key.equals("aws:requestedregion")) {
      return value.equals(from) ? to : value.equals(to) ? from : value;
    }
    return value.equals("PRIMARY") ? "REPLICA" : value.equals("REPLICA") ? "PRIMARY" : value;
  }

  private final String from;
  private final String to;
  private final Pattern arnRegion;
  private final Pattern serviceRegion;

  /** A mapper from Region {@code from} to Region {@code to}. */
  public RegionMapper(String from, String to) {
    this.from = Objects.requireNonNull(from, "from");
    this.to = Objects.requireNonNull(to, "to");
    String either = "(" + Pattern.quote(from) + "|" + Pattern.quote(to) + ")";
    this.arnRegion = Pattern.compile("(arn:[A-Za-z0-9*?-]+:[A-Za-z0-9*?-]+:)" + either + "(?=:)");
    this.serviceRegion =
        Pattern.compile(
            "(?<![A-Za-z0-9-])([a-z0-9*?-]+\\.)"
                + either
                + "(\\.amazonaws\\.com(?:\\.cn)?)(?![A-Za-z0-9-])");
  }

  /** Maps every Region-bearing value of {@code policy}. */
  public KeyPolicy map(KeyPolicy policy) {
    if (from.equals(to)) {
      return policy;
    }
    List<Statement> statements = new ArrayList<>();
    for (Statement s : policy.statements()) {
      statements.add(
          new Statement(
              s.index(),
              s.sid(),
              s.effect(),
              principal(s.principal()),
              s.action(),
              patterns(s.resource()),
              conditions(s.conditions())));
    }
    return new KeyPolicy(policy.version(), policy.id(), statements);
  }

  /**
   * Maps the Region-bearing values of a policy document, keeping everything else as written
   * (element order, Sids, formatting of values): the text a replica should carry to match its
   * primary. Returns the document unchanged when it is not a JSON object.
   */
  public String mapDocument(String json) {
    try {
      JsonNode root = MAPPER.readTree(json);
      if (root == null || !root.isObject()) {
        return json;
      }
      JsonNode statements = root.get("Statement");
      if (statements != null && statements.isArray()) {
        for (JsonNode statement : statements) {
          mapStatement(statement);
        }
      } else if (statements != null && statements.isObject()) {
        mapStatement(statements);
      }
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      return json;
    }
  }

  private void mapStatement(JsonNode statement) {
    if (!(statement instanceof ObjectNode object)) {
      return;
    }
    for (String element : List.of("Principal", "NotPrincipal", "Resource", "NotResource")) {
      if (object.has(element)) {
        object.set(element, mapStrings(object.get(element)));
      }
    }
    JsonNode condition = object.get("Condition");
    if (condition instanceof ObjectNode operators) {
      for (Iterator<Map.Entry<String, JsonNode>> ops = operators.fields(); ops.hasNext(); ) {
        JsonNode keys = ops.next().getValue();
        if (keys instanceof ObjectNode keyValues) {
          List<String> names = new ArrayList<>();
          keyValues.fieldNames().forEachRemaining(names::add);
          for (String name : names) {
            String key = name.toLowerCase(Locale.ROOT);
            if (OWN_VALUE_KEYS.contains(key)) {
              keyValues.set(name, mapOwn(key, keyValues.get(name)));
            } else if (!REGION_VALUED_KEYS.contains(key)) {
              keyValues.set(name, mapStrings(keyValues.get(name)));
            }
          }
        }
      }
    }
  }

  private JsonNode mapOwn(String key, JsonNode node) {
    if (node.isTextual()) {
      return TextNode.valueOf(ownValue(key, node.textValue()));
    }
    if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, mapOwn(key, array.get(i)));
      }
    }
    return node;
  }

  private JsonNode mapStrings(JsonNode node) {
    if (node.isTextual()) {
      return TextNode.valueOf(mapValue(node.textValue()));
    }
    if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, mapStrings(array.get(i)));
      }
      return array;
    }
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        object.set(name, mapStrings(object.get(name)));
      }
      return object;
    }
    return node;
  }

  /** Maps one value. */
  public String mapValue(String value) {
    String mapped = replace(arnRegion, value);
    return replace(serviceRegion, mapped);
  }

  private String replace(Pattern pattern, String value) {
    Matcher m = pattern.matcher(value);
    if (!m.find()) {
      return value;
    }
    m.reset();
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      // The two Regions trade places, as requests do between the two keys.
      String region = m.group(2).equals(from) ? to : from;
      String tail = m.groupCount() >= 3 && m.group(3) != null ? m.group(3) : "";
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + region + tail));
    }
    m.appendTail(out);
    return out.toString();
  }

  private PrincipalSpec principal(PrincipalSpec spec) {
    List<PrincipalAtom> atoms = new ArrayList<>();
    for (PrincipalAtom atom : spec.atoms()) {
      atoms.add(
          atom instanceof PrincipalAtom.Service service
              ? new PrincipalAtom.Service(mapValue(service.name()))
              : atom);
    }
    return new PrincipalSpec(spec.negated(), atoms);
  }

  private PatternSpec patterns(PatternSpec spec) {
    if (spec == null) {
      return null;
    }
    return new PatternSpec(spec.negated(), spec.patterns().stream().map(this::mapValue).toList());
  }

  private List<Condition> conditions(List<Condition> conditions) {
    List<Condition> out = new ArrayList<>();
    for (Condition c : conditions) {
      String key = c.key().toLowerCase(Locale.ROOT);
      if (OWN_VALUE_KEYS.contains(key)) {
        out.add(
            new Condition(
                c.operator(), c.key(), c.values().stream().map(v -> ownValue(key, v)).toList()));
      } else if (REGION_VALUED_KEYS.contains(key)) {
        out.add(c);
      } else {
        out.add(
            new Condition(c.operator(), c.key(), c.values().stream().map(this::mapValue).toList()));
      }
    }
    return out;
  }
}
