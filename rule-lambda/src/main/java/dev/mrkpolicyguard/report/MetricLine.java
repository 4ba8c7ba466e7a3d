package dev.mrkpolicyguard.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Makes a JSON log line an Embedded Metric Format record (CloudWatch User Guide, "Embedded metric
 * format specification"): namespace {@value #NAMESPACE}, the dimension {@code Component} always
 * (fixed per function, so that an alarm finds the metrics whatever name Config gave a rule), and
 * the named values as metrics. One writer for the rule, the trigger and remediation.
 */
public final class MetricLine {
  /** The namespace of every metric the functions publish. */
  public static final String NAMESPACE = "MrkPolicyGuard";

  private final ObjectNode line;
  private final ArrayNode metrics;

  private MetricLine(ObjectNode line, ArrayNode metrics) {
    this.line = line;
    this.metrics = metrics;
  }

  /**
   * Starts the metrics of {@code line} at {@code now} for {@code component}; each of {@code
   * perDimension} (a field already in the line, {@code ConfigRuleName} say) adds a second dimension
   * set {@code Component, FIELD}.
   */
  public static MetricLine on(
      ObjectNode line, String component, Instant now, List<String> perDimension) {
    ObjectNode aws = line.putObject("_aws");
    aws.put("Timestamp", now.toEpochMilli());
    ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
    directive.put("Namespace", NAMESPACE);
    ArrayNode dimensions = directive.putArray("Dimensions");
    dimensions.addArray().add("Component");
    for (String dimension : perDimension) {
      dimensions.addArray().add("Component").add(dimension);
    }
    line.put("Component", component);
    return new MetricLine(line, directive.putArray("Metrics"));
  }

  /** Adds {@code name} with {@code value} in {@code unit} (Count, Milliseconds). */
  public MetricLine add(String name, long value, String unit) {
    metrics.addObject().put("Name", name).put("Unit", unit);
    line.put(name, value);
    return this;
  }

  /** Adds each count. */
  public MetricLine counts(Map<String, ? extends Number> counts) {
    counts.forEach((name, value) -> add(name, value.longValue(), "Count"));
    return this;
  }

  /** Adds the invocation's duration and its AWS calls per operation ({@code ApiCalls.OP}). */
  public MetricLine run(long durationMs, Map<String, Long> apiCalls) {
    add("DurationMs", durationMs, "Milliseconds");
    apiCalls.forEach((operation, count) -> add("ApiCalls." + operation, count, "Count"));
    return this;
  }
}
