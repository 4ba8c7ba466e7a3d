package dev.mrkpolicyguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.cli.common.TerminalText;
import dev.mrkpolicyguard.cli.common.UsageException;
import dev.mrkpolicyguard.report.SafeJson;
import dev.mrkpolicyguard.startup.StandInContext;
import dev.mrkpolicyguard.trigger.TriggerReport;
import dev.mrkpolicyguard.trigger.lambda.TriggerHandler;
import java.io.PrintStream;
import java.net.URI;

/**
 * {@code invoke --handler trigger}: runs the near-real-time trigger on an EventBridge event (or a
 * batch of its queue's messages) and prints what it started, deferred and found already covered,
 * per Region and rule, as JSON; its log and metrics lines go to stderr.
 */
final class TriggerInvocation {
  private static final ObjectMapper MAPPER = SafeJson.indented();

  private TriggerInvocation() {}

  static int run(JsonNode event, String file, Target target, PrintStream out, PrintStream err)
      throws UsageException {
    if (!event.has("detail-type") && !TriggerHandler.isQueueBatch(event)) {
      throw new UsageException(
          "--event '"
              + file
              + "' is neither an EventBridge event (detail-type, detail) nor a batch of queue"
              + " messages (Records); see examples/events/cloudtrail-*.json");
    }
    TriggerHandler handler =
        TriggerHandler.local(target.endpoint(), target.region(), target.queueUrl(), err);
    TriggerReport report = handler.run(event, StandInContext.local().getAwsRequestId());
    try {
      out.println(MAPPER.writeValueAsString(report.toJson(MAPPER)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a report always serialises", e);
    }
    if (target.queueUrl() == null && !report.deferred().isEmpty()) {
      err.println(
          "note: "
              + report.deferred().size()
              + " deferred starts were reported, not queued (no --queue-url); run again after"
              + " their dueAt");
    }
    for (TriggerReport.Failure f : report.failures()) {
      err.println(
          TerminalText.escape("failed: " + f.what() + ": " + f.code() + ": " + f.message()));
    }
    if (!report.retry().isEmpty()) {
      err.println(
          "error: a deferred start could not be kept in the queue; nothing was lost only if"
              + " the event is delivered again");
      return 1;
    }
    return report.failures().isEmpty() ? 0 : InvokeCommand.PARTIAL;
  }

  /** Where the trigger runs: its Region, the endpoint, and its queue (or none). */
  record Target(URI endpoint, String region, String queueUrl) {}
}
