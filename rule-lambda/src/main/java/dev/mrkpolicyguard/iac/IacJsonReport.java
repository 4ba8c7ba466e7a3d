package dev.mrkpolicyguard.iac;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.engine.compare.Difference;
import dev.mrkpolicyguard.engine.rule.Finding;
import dev.mrkpolicyguard.report.DifferenceJson;
import dev.mrkpolicyguard.report.SafeJson;

/**
 * {@code check-iac --format json}: every resource with its outcome, findings and all their
 * witnesses (the shape of {@code compare}'s differences), and a summary. Documented in
 * docs/prevention.md.
 */
public final class IacJsonReport {
  private static final ObjectMapper MAPPER = SafeJson.indented();

  private IacJsonReport() {}

  /** Renders {@code report}. */
  public static String render(IacReport report) {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode inputs = root.putArray("inputs");
    report.inputs().forEach(inputs::add);
    ObjectNode summary = root.putObject("summary");
    summary.put("resources", report.checked().size());
    summary.put("compliant", report.compliant());
    summary.put("nonCompliant", report.nonCompliant());
    summary.put("notJudged", report.notJudged());
    ArrayNode resources = root.putArray("resources");
    for (IacReport.Checked c : report.checked()) {
      resource(resources.addObject(), c);
    }
    root.put("exitCode", report.exitCode());
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  private static void resource(ObjectNode node, IacReport.Checked c) {
    IacResource r = c.resource();
    node.put("file", r.location().file());
    if (r.location().line() > 0) {
      node.put("line", r.location().line());
    }
    node.put("name", r.name());
    node.put("type", r.type());
    node.put("role", r.replica() ? "REPLICA" : "PRIMARY");
    node.put("region", r.region());
    if (c.outcome() instanceof IacReport.Outcome.NotJudged n) {
      node.put("status", "NOT_JUDGED");
      node.put("code", n.code().name());
      node.put("reason", n.reason());
      return;
    }
    IacReport.Outcome.Judged j = (IacReport.Outcome.Judged) c.outcome();
    if (j.primary() != null) {
      node.put("primary", j.primary());
    }
    node.put("status", j.evaluation().compliance().name());
    node.put("annotation", j.evaluation().annotation());
    ArrayNode notes = node.putArray("notes");
    j.notes().forEach(notes::add);
    ArrayNode findings = node.putArray("findings");
    for (Finding f : j.evaluation().findings()) {
      ObjectNode finding = findings.addObject();
      finding.put("code", f.code().name());
      finding.put("summary", f.summary());
      finding.put("fix", IacWords.fix(f.code(), r.region()));
      ArrayNode differences = finding.putArray("differences");
      for (Difference d : f.differences()) {
        DifferenceJson.write(
            differences.addObject(), d, true, DifferenceJson.Values.SCALAR_WHEN_SINGLE);
      }
    }
  }
}
