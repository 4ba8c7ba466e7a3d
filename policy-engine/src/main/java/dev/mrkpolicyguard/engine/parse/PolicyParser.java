package dev.mrkpolicyguard.engine.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mrkpolicyguard.engine.policy.Condition;
import dev.mrkpolicyguard.engine.policy.ConditionOperator;
import dev.mrkpolicyguard.engine.policy.ConditionValues;
import dev.mrkpolicyguard.engine.policy.Effect;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import dev.mrkpolicyguard.engine.policy.OperatorKind;
import dev.mrkpolicyguard.engine.policy.PatternSpec;
import dev.mrkpolicyguard.engine.policy.PrincipalAtom;
import dev.mrkpolicyguard.engine.policy.PrincipalSpec;
import dev.mrkpolicyguard.engine.policy.Statement;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a KMS key policy document into a {@link KeyPolicy}, accepting the IAM policy grammar as
 * KMS does and reporting every problem with a JSON pointer. It never throws on bad input.
 *
 * <p>Sources: IAM User Guide "IAM JSON policy element reference"; KMS Developer Guide "Key policies
 * in AWS KMS" (size limit 32 KB, allowed characters, Sid may contain spaces); KMS API Reference
 * PutKeyPolicy (policy pattern {@code [\u0009\u000A\u000D\u0020-\u00FF]+}).
 */
public final class PolicyParser {
  /** KMS rejects key policies larger than this many bytes. */
  public static final int MAX_POLICY_BYTES = 32_768;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          // KMS rejects a policy document with anything after its JSON object.
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final Set<String> TOP_LEVEL = Set.of("Version", "Id", "Statement");
  private static final Set<String> STATEMENT_ELEMENTS =
      Set.of(
          "Sid",
          "Effect",
          "Principal",
          "NotPrincipal",
          "Action",
          "NotAction",
          "Resource",
          "NotResource",
          "Condition");
  private static final Set<String> PRINCIPAL_TYPES =
      Set.of("AWS", "Service", "Federated", "CanonicalUser");
  private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
  private static final Pattern IAM_ARN =
      Pattern.compile("arn:(aws[a-z-]*):(iam|sts)::(\\d{12}):(.+)");
  private static final Pattern UNIQUE_ID = Pattern.compile("A[A-Z]{3}[A-Z0-9]{12,}");
  private static final Pattern ACTION = Pattern.compile("\\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+");
  private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]+");

  /** Parses {@code json}; see the class comment for what is checked. */
  public ParseResult parse(String json) {
    Problems problems = new Problems();
    if (json == null || json.isBlank()) {
      problems.add("", "the policy is empty; a key policy is a JSON object with a Statement array");
      return problems.result(null);
    }
    int bytes = json.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_POLICY_BYTES) {
      problems.add(
          "",
          "the policy is "
              + bytes
              + " bytes; KMS accepts at most "
              + MAX_POLICY_BYTES
              + " bytes (32 KB): remove statements or merge principals");
    }
    checkCharacters(json, problems);
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      problems.add(location(e), "not valid JSON: " + e.getOriginalMessage());
      return problems.result(null);
    }
    if (root == null || !root.isObject()) {
      problems.add("", "a key policy must be a JSON object with a Statement element");
      return problems.result(null);
    }
    KeyPolicy policy = policy(root, problems);
    return problems.result(policy);
  }

  private static void checkCharacters(String json, Problems problems) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xFF);
      if (!allowed) {
        problems.add(
            "line " + line + ", column " + column,
            String.format(
                "character U+%04X is not allowed in a key policy; KMS accepts tab, line feed,"
                    + " carriage return and U+0020 to U+00FF only",
                (int) c));
        return;
      }
      if (c == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
  }

  private static String location(JsonProcessingException e) {
    if (e.getLocation() == null) {
      return "";
    }
    return "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  private KeyPolicy policy(JsonNode root, Problems problems) {
    unknownElements(root, "", TOP_LEVEL, problems);
    String version = null;
    JsonNode versionNode = root.get("Version");
    if (versionNode != null) {
      if (!versionNode.isTextual()
          || !(KeyPolicy.VERSION_2012.equals(versionNode.textValue())
              || KeyPolicy.VERSION_2008.equals(versionNode.textValue()))) {
        problems.add("/Version", "Version must be \"2012-10-17\" or \"2008-10-17\"");
      } else {
        version = versionNode.textValue();
      }
    }
    String id = optionalText(root, "Id", "", problems);
    JsonNode statementNode = root.get("Statement");
    List<Statement> statements = new ArrayList<>();
    if (statementNode == null) {
      problems.add("/Statement", "a key policy needs a Statement element");
    } else if (statementNode.isObject()) {
      statement(statementNode, 0, "/Statement", problems).ifPresent(statements::add);
    } else if (statementNode.isArray()) {
      if (statementNode.isEmpty()) {
        problems.add("/Statement", "Statement must contain at least one statement");
      }
      for (int i = 0; i < statementNode.size(); i++) {
        statement(statementNode.get(i), i, "/Statement/" + i, problems).ifPresent(statements::add);
      }
    } else {
      problems.add("/Statement", "Statement must be an object or an array of objects");
    }
    return new KeyPolicy(version, id, statements);
  }

  private Optional<Statement> statement(JsonNode node, int index, String at, Problems problems) {
    if (!node.isObject()) {
      problems.add(at, "a statement must be a JSON object");
      return Optional.empty();
    }
    int before = problems.size();
    unknownElements(node, at, STATEMENT_ELEMENTS, problems);
    String sid = optionalText(node, "Sid", at, problems);
    Effect effect = effect(node, at, problems);
    PrincipalSpec principal = principalElement(node, at, problems);
    PatternSpec action = patternElement(node, at, "Action", "NotAction", problems, true);
    PatternSpec resource = patternElement(node, at, "Resource", "NotResource", problems, false);
    List<Condition> conditions = conditions(node.get("Condition"), at + "/Condition", problems);
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new Statement(index, sid, effect, principal, action, resource, conditions));
  }

  private static Effect effect(JsonNode node, String at, Problems problems) {
    JsonNode effect = node.get("Effect");
    if (effect == null) {
      problems.add(at + "/Effect", "every statement needs an Effect of \"Allow\" or \"Deny\"");
      return null;
    }
    if (effect.isTextual() && effect.textValue().equals("Allow")) {
      return Effect.ALLOW;
    }
    if (effect.isTextual() && effect.textValue().equals("Deny")) {
      return Effect.DENY;
    }
    problems.add(at + "/Effect", "Effect must be \"Allow\" or \"Deny\" (case-sensitive)");
    return null;
  }

  private PrincipalSpec principalElement(JsonNode node, String at, Problems problems) {
    JsonNode principal = node.get("Principal");
    JsonNode notPrincipal = node.get("NotPrincipal");
    if (principal != null && notPrincipal != null) {
      problems.add(at, "a statement cannot have both Principal and NotPrincipal");
      return null;
    }
    if (principal == null && notPrincipal == null) {
      problems.add(
          at + "/Principal", "every key policy statement needs a Principal (or NotPrincipal)");
      return null;
    }
    boolean negated = principal == null;
    JsonNode value = negated ? notPrincipal : principal;
    String where = at + (negated ? "/NotPrincipal" : "/Principal");
    List<PrincipalAtom> atoms = new ArrayList<>();
    if (value.isTextual()) {
      if (!value.textValue().equals("*")) {
        problems.add(
            where, "a Principal written as a string must be \"*\"; name others as {\"AWS\": ...}");
      } else {
        atoms.add(new PrincipalAtom.Anyone());
      }
    } else if (value.isObject()) {
      if (value.isEmpty()) {
        problems.add(where, "the Principal element names no principal");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String type = field.getKey();
        String typeAt = where + "/" + escape(type);
        if (!PRINCIPAL_TYPES.contains(type)) {
          problems.add(
              typeAt,
              "unknown principal type '"
                  + type
                  + "'; use AWS, Service, Federated or CanonicalUser (case-sensitive)");
          continue;
        }
        List<String> values = strings(field.getValue(), typeAt, problems);
        for (int i = 0; i < values.size(); i++) {
          String valueAt = field.getValue().isArray() ? typeAt + "/" + i : typeAt;
          principalAtom(type, values.get(i), valueAt, problems).ifPresent(atoms::add);
        }
      }
    } else {
      problems.add(where, "Principal must be \"*\" or an object such as {\"AWS\": \"...\"}");
    }
    return new PrincipalSpec(negated, atoms);
  }

  private static Optional<PrincipalAtom> principalAtom(
      String type, String value, String at, Problems problems) {
    switch (type) {
      case "AWS":
        return awsPrincipal(value, at, problems);
      case "Service":
        if (value.equals("*")) {
          // Every service principal, and nothing else (IAM User Guide, "Principal").
          return Optional.of(new PrincipalAtom.Service(PrincipalAtom.Service.ANY));
        }
        if (!value.matches("[a-z0-9.-]+\\.amazonaws\\.com(\\.cn)?")) {
          problems.add(
              at, "'" + value + "' is not a service principal (e.g. logs.us-east-1.amazonaws.com)");
          return Optional.empty();
        }
        return Optional.of(new PrincipalAtom.Service(value));
      case "Federated":
        return nonEmpty(value, at, problems).map(PrincipalAtom.Federated::new);
      default:
        return nonEmpty(value, at, problems).map(PrincipalAtom.CanonicalUser::new);
    }
  }

  private static Optional<String> nonEmpty(String value, String at, Problems problems) {
    if (value.isEmpty()) {
      problems.add(at, "a principal cannot be empty");
      return Optional.empty();
    }
    return Optional.of(value);
  }

  private static Optional<PrincipalAtom> awsPrincipal(String value, String at, Problems problems) {
    if (value.equals("*")) {
      return Optional.of(new PrincipalAtom.Anyone());
    }
    if (ACCOUNT_ID.matcher(value).matches()) {
      return Optional.of(new PrincipalAtom.Account(value));
    }
    if (UNIQUE_ID.matcher(value).matches()) {
      return Optional.of(new PrincipalAtom.UniqueId(value));
    }
    if (value.indexOf('*') >= 0 || value.indexOf('?') >= 0) {
      problems.add(
          at,
          "'"
              + value
              + "': a principal ARN cannot contain wildcards; use \"*\" with a condition on"
              + " aws:PrincipalArn instead");
      return Optional.empty();
    }
    Matcher arn = IAM_ARN.matcher(value);
    if (!arn.matches()) {
      problems.add(
          at,
          "'"
              + value
              + "' is not an AWS principal: use \"*\", a 12-digit account id, or an IAM or STS"
              + " principal ARN");
      return Optional.empty();
    }
    String service = arn.group(2);
    String account = arn.group(3);
    String resource = arn.group(4);
    if (service.equals("iam") && resource.equals("root")) {
      return Optional.of(new PrincipalAtom.Account(account));
    }
    Optional<PrincipalAtom> atom =
        service.equals("iam")
            ? iamResource(value, account, resource)
            : stsResource(value, account, resource);
    if (atom.isEmpty()) {
      problems.add(
          at,
          "'"
              + value
              + "' names no role, user, assumed-role session or federated user (expected e.g."
              + " arn:aws:iam::111122223333:role/Name)");
    }
    return atom;
  }

  private static Optional<PrincipalAtom> iamResource(String arn, String account, String resource) {
    PrincipalAtom.IamKind kind;
    String path;
    if (resource.startsWith("role/")) {
      kind = PrincipalAtom.IamKind.ROLE;
      path = resource.substring("role/".length());
    } else if (resource.startsWith("user/")) {
      kind = PrincipalAtom.IamKind.USER;
      path = resource.substring("user/".length());
    } else {
      return Optional.empty();
    }
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (!NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return Optional.of(new PrincipalAtom.Iam(arn, kind, account, name));
  }

  private static Optional<PrincipalAtom> stsResource(String arn, String account, String resource) {
    if (resource.startsWith("assumed-role/")) {
      String[] parts = resource.substring("assumed-role/".length()).split("/", -1);
      if (parts.length == 2 && NAME.matcher(parts[0]).matches() && !parts[1].isEmpty()) {
        return Optional.of(
            new PrincipalAtom.Iam(
                arn, PrincipalAtom.IamKind.ASSUMED_ROLE_SESSION, account, parts[0]));
      }
      return Optional.empty();
    }
    if (resource.startsWith("federated-user/")) {
      String name = resource.substring("federated-user/".length());
      if (NAME.matcher(name).matches()) {
        return Optional.of(
            new PrincipalAtom.Iam(arn, PrincipalAtom.IamKind.FEDERATED_USER, account, name));
      }
    }
    return Optional.empty();
  }

  private static PatternSpec patternElement(
      JsonNode node, String at, String name, String notName, Problems problems, boolean action) {
    JsonNode positive = node.get(name);
    JsonNode negative = node.get(notName);
    if (positive != null && negative != null) {
      problems.add(at, "a statement cannot have both " + name + " and " + notName);
      return null;
    }
    if (positive == null && negative == null) {
      return null;
    }
    boolean negated = positive == null;
    String where = at + "/" + (negated ? notName : name);
    JsonNode value = negated ? negative : positive;
    List<String> patterns = strings(value, where, problems);
    for (int i = 0; i < patterns.size(); i++) {
      String pattern = patterns.get(i);
      String valueAt = value.isArray() ? where + "/" + i : where;
      if (action && !ACTION.matcher(pattern).matches()) {
        problems.add(
            valueAt,
            "'" + pattern + "' is not an action; write service:Action, e.g. kms:Decrypt or kms:*");
      } else if (!action && pattern.isEmpty()) {
        problems.add(valueAt, "a resource cannot be empty; use \"*\" for this key");
      }
    }
    return new PatternSpec(negated, patterns);
  }

  private static List<Condition> conditions(JsonNode block, String at, Problems problems) {
    List<Condition> conditions = new ArrayList<>();
    if (block == null) {
      return conditions;
    }
    if (!block.isObject()) {
      problems.add(at, "Condition must be an object of operators, e.g. {\"StringEquals\": {...}}");
      return conditions;
    }
    for (Iterator<Map.Entry<String, JsonNode>> ops = block.fields(); ops.hasNext(); ) {
      Map.Entry<String, JsonNode> op = ops.next();
      String opAt = at + "/" + escape(op.getKey());
      Optional<ConditionOperator> operator = ConditionOperator.parse(op.getKey());
      if (operator.isEmpty()) {
        problems.add(opAt, "unknown condition operator '" + op.getKey() + "'");
        continue;
      }
      if (!op.getValue().isObject() || op.getValue().isEmpty()) {
        problems.add(opAt, "an operator takes an object of condition keys and values");
        continue;
      }
      for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext(); ) {
        Map.Entry<String, JsonNode> key = keys.next();
        String keyAt = opAt + "/" + escape(key.getKey());
        if (!key.getKey().matches("[A-Za-z0-9-]+:.+")) {
          problems.add(
              keyAt, "'" + key.getKey() + "' is not a condition key (e.g. kms:ViaService)");
          continue;
        }
        List<String> values = conditionValues(key.getValue(), keyAt, problems);
        checkValues(operator.get(), values, keyAt, problems);
        conditions.add(new Condition(operator.get(), key.getKey(), values));
      }
    }
    return conditions;
  }

  private static List<String> conditionValues(JsonNode node, String at, Problems problems) {
    List<String> values = new ArrayList<>();
    if (node.isArray()) {
      if (node.isEmpty()) {
        problems.add(at, "a condition needs at least one value");
      }
      for (int i = 0; i < node.size(); i++) {
        scalar(node.get(i), at + "/" + i, problems).ifPresent(values::add);
      }
    } else {
      scalar(node, at, problems).ifPresent(values::add);
    }
    return values;
  }

  private static Optional<String> scalar(JsonNode node, String at, Problems problems) {
    if (node.isTextual()) {
      return Optional.of(node.textValue());
    }
    if (node.isBoolean() || node.isNumber()) {
      return Optional.of(node.asText());
    }
    problems.add(at, "a condition value must be a string, number or boolean");
    return Optional.empty();
  }

  private static void checkValues(
      ConditionOperator operator, List<String> values, String at, Problems problems) {
    for (String value : values) {
      if (value.contains("${")) {
        continue;
      }
      Optional<String> problem =
          switch (operator.kind().family()) {
            case NUMERIC -> number(value);
            case DATE ->
                ConditionValues.parseDate(value).isPresent()
                    ? Optional.empty()
                    : Optional.of("'" + value + "' is not a date (ISO 8601 or epoch seconds)");
            case IP ->
                ConditionValues.parseCidr(value).isPresent()
                    ? Optional.empty()
                    : Optional.of("'" + value + "' is not an IP address or CIDR block");
            case PRESENCE ->
                value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")
                    ? Optional.empty()
                    : Optional.of("Null takes true or false, not '" + value + "'");
            case STRING ->
                operator.kind() == OperatorKind.BOOL
                        && !(value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false"))
                    ? Optional.of("Bool takes true or false, not '" + value + "'")
                    : Optional.empty();
          };
      problem.ifPresent(message -> problems.add(at, message));
    }
  }

  private static Optional<String> number(String value) {
    try {
      new BigDecimal(value);
    } catch (NumberFormatException e) {
      return Optional.of("'" + value + "' is not a number");
    }
    return ConditionValues.parseNumber(value).isPresent()
        ? Optional.empty()
        : Optional.of(
            "'"
                + value
                + "' is beyond any value a request carries (at most "
                + ConditionValues.MAX_DIGITS
                + " integer and "
                + ConditionValues.MAX_DIGITS
                + " decimal digits)");
  }

  private static List<String> strings(JsonNode node, String at, Problems problems) {
    List<String> out = new ArrayList<>();
    if (node.isTextual()) {
      out.add(node.textValue());
    } else if (node.isArray() && !node.isEmpty()) {
      for (int i = 0; i < node.size(); i++) {
        if (node.get(i).isTextual()) {
          out.add(node.get(i).textValue());
        } else {
          problems.add(at + "/" + i, "expected a string");
        }
      }
    } else {
      problems.add(at, "expected a string or a non-empty array of strings");
    }
    return out;
  }

  private static String optionalText(JsonNode node, String name, String at, Problems problems) {
    JsonNode value = node.get(name);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      problems.add(at + "/" + name, name + " must be a string");
      return null;
    }
    return value.textValue();
  }

  private static void unknownElements(
      JsonNode node, String at, Set<String> known, Problems problems) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        String hint =
            known.stream()
                .filter(k -> k.equalsIgnoreCase(name))
                .findFirst()
                .map(k -> " (element names are case-sensitive: did you mean '" + k + "'?)")
                .orElse("");
        problems.add(at + "/" + escape(name), "unknown element '" + name + "'" + hint);
      }
    }
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  /** Collects problems in document order. */
  private static final class Problems {
    private final List<PolicyProblem> list = new ArrayList<>();

    void add(String location, String message) {
      list.add(new PolicyProblem(location, message));
    }

    int size() {
      return list.size();
    }

    ParseResult result(KeyPolicy policy) {
      if (!list.isEmpty() || policy == null) {
        return new ParseResult.Invalid(
            list.isEmpty() ? List.of(new PolicyProblem("", "not a key policy")) : list);
      }
      return new ParseResult.Parsed(policy);
    }
  }
}
