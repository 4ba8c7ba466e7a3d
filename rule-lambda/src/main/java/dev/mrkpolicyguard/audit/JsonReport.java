package dev.mrkpolicyguard.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.engine.compare.Difference;
import dev.mrkpolicyguard.engine.rule.Finding;
import dev.mrkpolicyguard.report.DifferenceJson;
import dev.mrkpolicyguard.report.SafeJson;

/**
 * The JSON form of an audit (fields in docs/audit.md): every key's evaluation with its findings and
 * their witnesses, differences shaped as in {@code compare --format json}.
 */
final class JsonReport {
  /** The version of this report's shape; fields are only ever added within a version. */
  static final int REPORT_VERSION = 1;

  private static final ObjectMapper MAPPER = SafeJson.indented();

  private JsonReport() {}

  static String render(AuditReport report) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("reportVersion", REPORT_VERSION);
    ObjectNode snapshot = root.putObject("snapshot");
    snapshot.put("account", report.snapshot().account());
    report.snapshot().regions().forEach(snapshot.putArray("regions")::add);
    snapshot.put("capturedAt", report.snapshot().capturedAt());
    summary(root.putObject("summary"), report.summary());
    root.put("exitCode", report.exitCode());
    ArrayNode keys = root.putArray("keys");
    for (AuditedKey k : report.keys()) {
      key(keys.addObject(), k);
    }
    ArrayNode unreadable = root.putArray("unreadable");
    for (AuditReport.Unjudged u : report.unjudged()) {
      ObjectNode entry = unreadable.addObject();
      entry.put("keyArn", u.subject().startsWith("arn:") ? u.subject() : null);
      entry.put("region", u.region()).put("reason", u.reason());
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the audit as JSON", e);
    }
  }

  private static void summary(ObjectNode node, AuditReport.Summary s) {
    node.put("keys", s.keys());
    node.put("multiRegion", s.multiRegion());
    node.put("primaries", s.primaries());
    node.put("replicas", s.replicas());
    node.put("compliant", s.compliant());
    node.put("nonCompliant", s.nonCompliant());
    node.put("deferred", s.deferred());
    node.put("notApplicable", s.notApplicable());
    node.put("notEvaluated", s.notEvaluated());
    node.put("unreadable", s.unreadable());
  }

  private static void key(ObjectNode node, AuditedKey k) {
    SnapshotKey key = k.key();
    node.put("keyArn", key.arn());
    node.put("keyId", key.keyId());
    node.put("region", key.region());
    node.put("role", key.roleName());
    node.put("primaryArn", key.primaryArn());
    if (key.described()) {
      node.put("awsManaged", key.awsManaged());
    } else {
      node.putNull("awsManaged");
      node.putObject("describeError")
          .put("code", key.describeFailure().code())
          .put("message", key.describeFailure().message());
    }
    node.put("keyState", key.keyState());
    key.aliases().forEach(node.putArray("aliases")::add);
    node.put("compliance", k.verdict());
    node.put("annotation", k.evaluation() == null ? null : k.evaluation().annotation());
    if (k.evaluation() == null) {
      node.put("notEvaluated", k.notEvaluated());
    }
    ArrayNode findings = node.putArray("findings");
    for (Finding f : k.findings()) {
      ObjectNode finding = findings.addObject();
      finding.put("code", f.code().name());
      finding.put("summary", f.summary());
      ArrayNode differences = finding.putArray("differences");
      f.differences().forEach(d -> difference(differences.addObject(), d));
    }
  }

  private static void difference(ObjectNode node, Difference d) {
    DifferenceJson.write(node, d, true, DifferenceJson.Values.SCALAR_WHEN_SINGLE);
  }
}
