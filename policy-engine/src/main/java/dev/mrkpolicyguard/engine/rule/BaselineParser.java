package dev.mrkpolicyguard.engine.rule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.parse.ParseResult;
import dev.mrkpolicyguard.engine.parse.PolicyParser;
import dev.mrkpolicyguard.engine.parse.PolicyProblem;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Reads a baseline document (docs/baseline.md) and reports every problem with its location. */
public final class BaselineParser {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final Set<String> FIELDS =
      Set.of("version", "floor", "ceiling", "allowedAccounts", "forbidPublicAccess");
  private static final KeyContext SAMPLE_KEY =
      new KeyContext("arn:aws:kms:us-east-1:111122223333:key/mrk-00000000000000000000000000000000");

  /** The outcome of reading a baseline. */
  public sealed interface Result {
    /** A valid baseline. */
    record Parsed(Baseline baseline) implements Result {}

    /** An invalid baseline with every problem. */
    record Invalid(List<PolicyProblem> problems) implements Result {
      public Invalid {
        problems = List.copyOf(problems);
      }

      /** All problems, separated by "; ". */
      public String describe() {
        List<String> lines = new ArrayList<>();
        problems.forEach(p -> lines.add(p.describe()));
        return String.join("; ", lines);
      }
    }
  }

  /** Parses {@code json}. */
  public Result parse(String json) {
    List<PolicyProblem> problems = new ArrayList<>();
    JsonNode root;
    try {
      root = MAPPER.readTree(json == null ? "" : json);
    } catch (JsonProcessingException e) {
      return new Result.Invalid(
          List.of(
              new PolicyProblem(
                  location(e), "baseline is not valid JSON: " + e.getOriginalMessage())));
    }
    if (root == null || !root.isObject()) {
      return new Result.Invalid(List.of(new PolicyProblem("", "a baseline is a JSON object")));
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        problems.add(
            new PolicyProblem(
                "/" + name,
                "unknown field '"
                    + name
                    + "'; known: version, floor, ceiling, allowedAccounts,"
                    + " forbidPublicAccess"));
      }
    }
    JsonNode version = root.get("version");
    if (version == null || !version.isInt() || version.intValue() != 1) {
      problems.add(new PolicyProblem("/version", "version must be 1"));
    }
    List<String> floor = statements(root, "floor", problems);
    List<String> ceiling = statements(root, "ceiling", problems);
    List<String> accounts = new ArrayList<>();
    JsonNode allowed = root.get("allowedAccounts");
    if (allowed != null) {
      if (!allowed.isArray()) {
        problems.add(new PolicyProblem("/allowedAccounts", "allowedAccounts must be an array"));
      } else {
        for (int i = 0; i < allowed.size(); i++) {
          String value = allowed.get(i).asText("");
          if (!allowed.get(i).isTextual()
              || !(value.matches("\\d{12}") || value.equals("${AccountId}"))) {
            problems.add(
                new PolicyProblem(
                    "/allowedAccounts/" + i,
                    "expected a 12-digit account id or \"${AccountId}\", got " + allowed.get(i)));
          } else {
            accounts.add(value);
          }
        }
      }
    }
    boolean forbidPublic = true;
    JsonNode forbid = root.get("forbidPublicAccess");
    if (forbid != null) {
      if (!forbid.isBoolean()) {
        problems.add(
            new PolicyProblem("/forbidPublicAccess", "forbidPublicAccess must be true or false"));
      } else {
        forbidPublic = forbid.booleanValue();
      }
    }
    if (!problems.isEmpty()) {
      return new Result.Invalid(problems);
    }
    return new Result.Parsed(new Baseline(floor, ceiling, accounts, forbidPublic));
  }

  private static List<String> statements(
      JsonNode root, String field, List<PolicyProblem> problems) {
    List<String> out = new ArrayList<>();
    JsonNode node = root.get(field);
    if (node == null) {
      return out;
    }
    if (!node.isArray()) {
      problems.add(
          new PolicyProblem("/" + field, field + " must be an array of key policy statements"));
      return out;
    }
    for (int i = 0; i < node.size(); i++) {
      out.add(node.get(i).toString());
    }
    if (out.isEmpty()) {
      return out;
    }
    String json =
        "{\"Version\":\"2012-10-17\",\"Statement\":["
            + Baseline.resolve(String.join(",", out), SAMPLE_KEY)
            + "]}";
    ParseResult result = new PolicyParser().parse(json);
    if (result instanceof ParseResult.Invalid invalid) {
      for (PolicyProblem p : invalid.problems()) {
        problems.add(
            new PolicyProblem(p.location().replaceFirst("^/Statement", "/" + field), p.message()));
      }
    }
    return out;
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }
}
