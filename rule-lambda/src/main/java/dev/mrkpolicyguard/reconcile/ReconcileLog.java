package dev.mrkpolicyguard.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.report.MetricLine;
import dev.mrkpolicyguard.report.SafeJson;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The reconcile's one JSON line per run: what it added, removed and left out, and the Embedded
 * Metric Format metrics (namespace {@code MrkPolicyGuard}, dimension {@code Component} = {@value
 * #COMPONENT}): {@code PermissionsAdded}, {@code PermissionsRemoved}, {@code AccountsLeftOut}
 * (alarmed), {@code PackFailedAccounts} (alarmed), {@code Errors} (alarmed). Text from AWS answers
 * is written with {@link SafeJson}'s escapes.
 */
public final class ReconcileLog {
  public static final String COMPONENT = "Reconcile";
  private static final ObjectMapper MAPPER = SafeJson.configure(new ObjectMapper());

  private ReconcileLog() {}

  /** The run's line. */
  public static ObjectNode line(
      ReconcileReport report,
      String requestId,
      String aliasArn,
      Map<String, Long> apiCalls,
      long durationMs,
      Instant now) {
    boolean failed = !report.failures().isEmpty();
    boolean short_ =
        !report.leftOut().isEmpty()
            || !report.blocked().isEmpty()
            || !report.packFailedAccounts().isEmpty();
    ObjectNode line = MAPPER.createObjectNode();
    line.put("level", failed ? "ERROR" : short_ ? "WARN" : "INFO");
    line.put(
        "message",
        failed
            ? "reconcile failed in part; the next run tries again"
            : !report.leftOut().isEmpty()
                ? "the alias's resource policy is full (20 KB): these accounts' Config cannot"
                    + " invoke the rule; use the per-account layout for them"
                : !report.packFailedAccounts().isEmpty()
                    ? "the organization pack failed in these member accounts; with their"
                        + " permission in place, put the pack again (packRePut) from the"
                        + " management account or the delegated administrator"
                    : "reconciled the rule alias's resource policy with the organisation");
    line.put("requestId", requestId);
    line.put("aliasArn", aliasArn);
    line.put("activeAccounts", report.activeAccounts());
    strings(line.putArray("added"), report.added());
    strings(line.putArray("removed"), report.removed());
    strings(line.putArray("leftOut"), report.leftOut());
    strings(line.putArray("blocked"), report.blocked());
    strings(line.putArray("failures"), report.failures());
    line.put("policyBytes", report.policyBytes());
    strings(line.putArray("packFailedAccounts"), report.packFailedAccounts());
    if (!report.packRePut().isEmpty()) {
      line.put("packRePut", report.packRePut());
    }
    MetricLine.on(line, COMPONENT, now, List.of())
        .add("PermissionsAdded", report.added().size(), "Count")
        .add("PermissionsRemoved", report.removed().size(), "Count")
        .add("AccountsLeftOut", report.leftOut().size(), "Count")
        .add("PackFailedAccounts", report.packFailedAccounts().size(), "Count")
        .add("Errors", report.failures().size(), "Count")
        .run(durationMs, apiCalls);
    return line;
  }

  /** Prints {@code line} as one line. */
  public static void print(PrintStream out, ObjectNode line) {
    try {
      out.println(MAPPER.writeValueAsString(line));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the reconcile's log line", e);
    }
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
