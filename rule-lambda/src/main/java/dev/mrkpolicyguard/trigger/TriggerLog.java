package dev.mrkpolicyguard.trigger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.report.MetricLine;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The trigger's output lines: one JSON line per event, start, deferral and failure, and one
 * CloudWatch Embedded Metric Format line per invocation (namespace {@code MrkPolicyGuard},
 * dimension {@code Component} = {@code Trigger}). Lines carry the Lambda request id.
 */
final class TriggerLog {
  static final String COMPONENT = "Trigger";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final PrintStream out;
  private final String requestId;

  TriggerLog(PrintStream out, String requestId) {
    this.out = out;
    this.requestId = requestId;
  }

  void seen(TriggerReport.Seen seen) {
    ObjectNode line = line("INFO", "change seen");
    line.put("eventName", seen.eventName()).put("keyArn", seen.keyArn());
    ArrayNode regions = line.putArray("regions");
    seen.regions().forEach(regions::add);
    line.put("note", seen.note());
    print(line);
  }

  void started(TriggerReport.Started started) {
    print(
        line("INFO", "evaluation started")
            .put("region", started.region())
            .put("configRuleName", started.configRuleName()));
  }

  void deferred(TriggerReport.Deferred d) {
    print(
        line("INFO", "start deferred")
            .put("region", d.region())
            .put("configRuleName", d.configRuleName())
            .put("settleOn", d.settleOn())
            .put("dueAt", d.dueAt().toString())
            .put("attempts", d.attempts())
            .put("reason", d.reason()));
  }

  void covered(TriggerReport.Covered c) {
    print(
        line("INFO", "start not needed")
            .put("region", c.region())
            .put("configRuleName", c.configRuleName())
            .put("why", c.why()));
  }

  void withoutRule(String region, String ruleName) {
    print(
        line("WARN", "no such rule in the Region; nothing started there")
            .put("region", region)
            .put("configRuleName", ruleName));
  }

  void failed(TriggerReport.Failure f) {
    print(
        line("ERROR", f.what())
            .put("region", f.region())
            .put("keyArn", f.keyArn())
            .put("error", f.code())
            .put("errorMessage", f.message()));
  }

  /** The Embedded Metric Format line of the invocation. */
  void metrics(TriggerStats stats, Map<String, Long> apiCalls, long durationMs, Instant now) {
    ObjectNode line = MAPPER.createObjectNode();
    line.put("requestId", requestId);
    MetricLine.on(line, COMPONENT, now, List.of()).counts(stats.counts()).run(durationMs, apiCalls);
    print(line);
  }

  private ObjectNode line(String level, String message) {
    ObjectNode line = MAPPER.createObjectNode();
    line.put("level", level);
    line.put("message", message);
    line.put("requestId", requestId);
    line.put("component", COMPONENT);
    return line;
  }

  private void print(ObjectNode line) {
    synchronized (out) {
      out.println(line.toString());
    }
  }
}
