package dev.mrkpolicyguard.rule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.core.ReadFailure;
import dev.mrkpolicyguard.engine.compare.Difference;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.rule.Finding;
import dev.mrkpolicyguard.engine.rule.KeyEvaluation;
import dev.mrkpolicyguard.report.DifferenceJson;
import dev.mrkpolicyguard.report.MetricLine;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The invocation's output lines: one structured JSON line per evaluated key (with the findings'
 * witness requests) and one CloudWatch Embedded Metric Format line per invocation. Lines carry the
 * Lambda request id as correlation id; nothing about credentials is ever written.
 */
final class RunLog {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final PrintStream out;
  private final String requestId;
  private final String ruleName;

  RunLog(PrintStream out, String requestId, String ruleName) {
    this.out = out;
    this.requestId = requestId;
    this.ruleName = ruleName;
  }

  /** One key's decision, and whether it was posted (false: unchanged, deferred or refused). */
  void key(KeyEvaluation evaluation, boolean posted) {
    ObjectNode line = line("INFO", "key evaluated");
    keyFields(line, evaluation.keyArn());
    line.put("compliance", evaluation.compliance().name());
    ArrayNode codes = line.putArray("findings");
    evaluation.findings().forEach(f -> codes.add(f.code().name()));
    line.put("annotation", evaluation.annotation());
    line.put("posted", posted);
    ArrayNode details = line.putArray("details");
    for (Finding finding : evaluation.findings()) {
      ObjectNode detail = details.addObject();
      detail.put("code", finding.code().name());
      detail.put("summary", finding.summary());
      differences(detail.putArray("differences"), finding.differences());
    }
    print(line);
  }

  /**
   * A key that could not be evaluated this run (a read failed in a way to retry); nothing is posted
   * for it, so its previous evaluation stays in Config.
   */
  void keyNotEvaluated(String keyArn, ReadFailure failure) {
    ObjectNode line = line("ERROR", "key not evaluated; its previous evaluation stands");
    keyFields(line, keyArn);
    line.put("evaluated", false);
    line.put("operation", failure.operation());
    line.put("error", failure.code());
    line.put("errorMessage", failure.message());
    print(line);
  }

  /**
   * A key the periodic run did not decide before its deadline; nothing is posted for it, so its
   * previous evaluation stays in Config, and the next run takes it early if it has no record yet.
   */
  void keyPastDeadline(String keyArn, Instant deadline) {
    ObjectNode line =
        line(
            "ERROR", "key not evaluated before the run's deadline; its previous evaluation stands");
    keyFields(line, keyArn);
    line.put("evaluated", false);
    line.put("deadline", deadline.toString());
    print(line);
  }

  /**
   * Evaluations sent whose PutEvaluations attempt timed out: not sent again, since Config may have
   * stored them and would store them twice.
   */
  void unconfirmed(List<String> resourceIds) {
    ObjectNode line =
        line(
            "ERROR",
            "PutEvaluations timed out; not sent again, as AWS Config may have stored it; the next"
                + " run posts what it did not record");
    ArrayNode ids = line.putArray("resourceIds");
    resourceIds.forEach(ids::add);
    print(line);
  }

  /** A configuration item that cannot be about the rule's account and Region: nothing posted. */
  void itemRejected(String resourceType, String resourceId, String arn, List<String> problems) {
    ObjectNode line = line("ERROR", "configuration item rejected; nothing posted for it");
    line.put("resourceType", resourceType);
    line.put("resourceId", resourceId);
    line.put("keyArn", arn);
    ArrayNode why = line.putArray("problems");
    problems.forEach(why::add);
    print(line);
  }

  /**
   * Config refused to show the rule's current record (GetComplianceDetailsByConfigRule): this run
   * posts every key instead of only what changed, and retires no vanished key.
   */
  void complianceReadRefused(String errorCode) {
    ObjectNode line =
        line(
            "WARN",
            "AWS Config refused GetComplianceDetailsByConfigRule for this rule; this run posts"
                + " every key instead of only what changed");
    line.put("operation", "GetComplianceDetailsByConfigRule");
    line.put("error", errorCode);
    print(line);
  }

  /** Evaluations Config refused after every retry. */
  void refused(List<String> resourceIds) {
    ObjectNode line = line("ERROR", "evaluations refused by AWS Config");
    ArrayNode ids = line.putArray("resourceIds");
    resourceIds.forEach(ids::add);
    print(line);
  }

  /** The Embedded Metric Format line of the invocation. */
  void metrics(RunStats stats, Map<String, Long> apiCalls, long durationMs, Instant now) {
    ObjectNode line = MAPPER.createObjectNode();
    line.put("ConfigRuleName", ruleName == null ? "unknown" : ruleName);
    line.put("requestId", requestId);
    // Component=Rule is fixed, so that an alarm finds the metrics whatever name Config gave the
    // rule (a pack's copy is NAME-conformance-pack-ID); the second set keeps them per rule.
    MetricLine.on(line, "Rule", now, List.of("ConfigRuleName"))
        .counts(stats.counts())
        .run(durationMs, apiCalls);
    print(line);
  }

  private ObjectNode line(String level, String message) {
    ObjectNode line = MAPPER.createObjectNode();
    line.put("level", level);
    line.put("message", message);
    line.put("requestId", requestId);
    line.put("configRuleName", ruleName);
    return line;
  }

  private static void keyFields(ObjectNode line, String keyArn) {
    line.put("keyArn", keyArn);
    line.put("region", KeyContext.parse(keyArn).map(KeyContext::region).orElse(null));
  }

  private static void differences(ArrayNode out, List<Difference> differences) {
    for (Difference d : differences) {
      DifferenceJson.write(out.addObject(), d, true, DifferenceJson.Values.ALWAYS_ARRAYS);
    }
  }

  private void print(ObjectNode line) {
    String text;
    try {
      text = MAPPER.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a log line", e);
    }
    synchronized (out) {
      out.println(text);
    }
  }
}
