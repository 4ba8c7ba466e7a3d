package dev.mrkpolicyguard.iac;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.engine.rule.Finding;
import dev.mrkpolicyguard.engine.rule.FindingCode;
import dev.mrkpolicyguard.report.SafeJson;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code check-iac --format sarif}: a SARIF 2.1.0 log (OASIS SARIF v2.1.0) with one run, whose
 * rules are our finding codes and not-judged codes, and one result per finding or unjudged
 * resource, located at the file and line of the resource. GitHub code scanning reads it as is.
 */
public final class SarifReport {
  static final String SCHEMA =
      "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
  private static final ObjectMapper MAPPER = SafeJson.indented();

  private SarifReport() {}

  /** Every rule id, in a fixed order: the finding codes, then the not-judged codes. */
  static List<String> ruleIds() {
    List<String> ids = new ArrayList<>();
    for (FindingCode code : FindingCode.values()) {
      ids.add(code.name());
    }
    for (IacCode code : IacCode.values()) {
      if (!ids.contains(code.name())) {
        ids.add(code.name());
      }
    }
    return ids;
  }

  /** Renders {@code report}; {@code version} is the tool's version. */
  public static String render(IacReport report, String version) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("$schema", SCHEMA);
    root.put("version", "2.1.0");
    ObjectNode run = root.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "mrk-policy-guard");
    driver.put("semanticVersion", version);
    List<String> ids = ruleIds();
    ArrayNode rules = driver.putArray("rules");
    for (String id : ids) {
      ObjectNode rule = rules.addObject();
      rule.put("id", id);
      rule.putObject("shortDescription").put("text", IacWords.title(id));
      rule.putObject("defaultConfiguration").put("level", level(id));
      rule.putObject("help").put("text", "See docs/findings.md, " + id + ".");
    }
    ArrayNode results = run.putArray("results");
    for (IacReport.Checked c : report.checked()) {
      if (c.outcome() instanceof IacReport.Outcome.NotJudged n) {
        result(results, ids, n.code().name(), c.resource(), n.reason());
      } else {
        IacReport.Outcome.Judged j = (IacReport.Outcome.Judged) c.outcome();
        for (Finding f : j.evaluation().findings()) {
          String message = IacWords.message(f, c.resource().region());
          result(results, ids, f.code().name(), c.resource(), message);
        }
      }
    }
    run.put("columnKind", "unicodeCodePoints");
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  private static void result(
      ArrayNode results, List<String> ids, String id, IacResource r, String text) {
    ObjectNode result = results.addObject();
    result.put("ruleId", id);
    result.put("ruleIndex", ids.indexOf(id));
    result.put("level", level(id));
    result.putObject("message").put("text", r.name() + " (" + r.type() + "): " + text);
    ObjectNode location = result.putArray("locations").addObject();
    ObjectNode physical = location.putObject("physicalLocation");
    physical.putObject("artifactLocation").put("uri", uri(r.location().file()));
    if (r.location().line() > 0) {
      physical.putObject("region").put("startLine", r.location().line());
    }
    location.putArray("logicalLocations").addObject().put("name", r.name()).put("kind", "resource");
    result.putObject("partialFingerprints").put("mrkPolicyGuard/v1", fingerprint(id, r));
  }

  /** Drift and baseline breaches are errors; what cannot be judged is a warning. */
  static String level(String id) {
    return switch (id) {
      case "REPLICA_GRANTS_MORE",
          "REPLICA_GRANTS_LESS",
          "BASELINE_CEILING_EXCEEDED",
          "BASELINE_FLOOR_MISSING",
          "POLICY_MALFORMED" ->
          "error";
      default -> "warning";
    };
  }

  /** A relative path as a URI reference: forward slashes, reserved characters escaped. */
  static String uri(String file) {
    String path = file.replace('\\', '/');
    try {
      return new URI(null, null, path, null).toASCIIString();
    } catch (URISyntaxException e) {
      return path;
    }
  }

  /** Stable across runs and line moves: the rule and the resource's file and name. */
  private static String fingerprint(String id, IacResource r) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha.digest((id + "|" + r.id()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
