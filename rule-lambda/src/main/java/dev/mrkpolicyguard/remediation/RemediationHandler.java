package dev.mrkpolicyguard.remediation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.aws.BaselineSource;
import dev.mrkpolicyguard.aws.ClientFactory;
import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.aws.SdkRemediation;
import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.report.MetricLine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The remediation Lambda's entry point, invoked by the SSM Automation documents: reads {@code
 * {"KeyId", "DryRun", "Mode", "BackupUri", "Force"}}, runs {@link Remediator} and returns its
 * result as compact JSON ({@link RemediationResult#toJson()}). Writes one JSON log line per run.
 * Clients are built once per container.
 */
public final class RemediationHandler implements RequestStreamHandler {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Supplier<BaselineSource.Lookup> baseline;
  private final RemediationSettings settings;
  private final PrintStream log;
  private final Remediator remediator;

  /** The Lambda constructor: AWS_REGION, BACKUP_BUCKET, BASELINE_PARAMETER_NAME. */
  public RemediationHandler() {
    this(RemediationSettings.fromEnvironment(System.getenv()));
  }

  private RemediationHandler(RemediationSettings settings) {
    this(SdkClientFactory.forAws(settings.region(), null), settings, System.out);
    dev.mrkpolicyguard.startup.Priming.register();
  }

  /** A handler with the given clients (tests point them at the local stand-in). */
  RemediationHandler(ClientFactory clients, RemediationSettings settings, PrintStream log) {
    this(new SdkRemediation(clients, settings.region()), settings, log);
  }

  private RemediationHandler(
      SdkRemediation adapters, RemediationSettings settings, PrintStream log) {
    this(
        adapters.remediator(settings),
        adapters.baseline(settings.baselineParameterName()),
        settings,
        log);
  }

  /**
   * A handler over a {@code remediator} and the {@code baseline} it works within: fakes of the
   * ports in unit tests.
   */
  RemediationHandler(
      Remediator remediator,
      Supplier<BaselineSource.Lookup> baseline,
      RemediationSettings settings,
      PrintStream log) {
    this.remediator = Objects.requireNonNull(remediator, "remediator");
    this.baseline = Objects.requireNonNull(baseline, "baseline");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.log = Objects.requireNonNull(log, "log");
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    JsonNode json;
    try {
      json = MAPPER.readTree(input);
    } catch (IOException e) {
      json = null;
    }
    RemediationRequest.Parsed parsed = RemediationRequest.parse(json, settings.region());
    RemediationResult result =
        parsed instanceof RemediationRequest.Parsed.Valid valid
            ? run(valid.request())
            : RemediationResult.refused(
                "invalid input: " + ((RemediationRequest.Parsed.Invalid) parsed).problem());
    log(context, parsed, result);
    output.write(result.toJson().getBytes(StandardCharsets.UTF_8));
  }

  /** Runs one request; every outcome, including AWS errors, is a result. */
  RemediationResult run(RemediationRequest request) {
    if (!request.dryRun() && settings.backupBucket() == null) {
      return RemediationResult.refused(
          "BACKUP_BUCKET is not set: the function backs up every policy before overwriting it");
    }
    BaselineSource.Lookup loaded = baseline.get();
    if (loaded instanceof BaselineSource.Lookup.Problem problem) {
      return RemediationResult.refused(problem.reason() + "; nothing was written");
    }
    Baseline found = ((BaselineSource.Lookup.Found) loaded).baseline();
    return request.mode() == Mode.RESTORE
        ? remediator.restore(request, found)
        : remediator.align(request, found);
  }

  /**
   * Makes the run's log line an Embedded Metric Format record too: namespace MrkPolicyGuard,
   * dimension Component=Remediation (the same whatever rule or document called it), counts
   * Remediations, RemediationsApplied and RemediationFailures (REFUSED or FAILED), which the
   * stack's alarms watch.
   */
  static void metrics(ObjectNode line, Outcome outcome) {
    MetricLine.on(line, "Remediation", Instant.now(), List.of())
        .add("Remediations", 1, "Count")
        .add("RemediationsApplied", outcome == Outcome.APPLIED ? 1 : 0, "Count")
        .add("RemediationFailures", outcome.succeeded() ? 0 : 1, "Count");
  }

  private void log(Context context, RemediationRequest.Parsed parsed, RemediationResult result) {
    ObjectNode line = MAPPER.createObjectNode();
    line.put("level", result.outcome() == Outcome.FAILED ? "ERROR" : "INFO");
    line.put("requestId", context == null ? null : context.getAwsRequestId());
    if (parsed instanceof RemediationRequest.Parsed.Valid valid) {
      line.put("keyId", valid.request().keyId());
      line.put("region", valid.request().region());
      line.put("mode", valid.request().mode().name());
      line.put("dryRun", valid.request().dryRun());
    }
    line.put("outcome", result.outcome().name());
    line.put("reason", result.reason());
    line.put("backupUri", result.backupUri());
    metrics(line, result.outcome());
    log.println(line);
  }
}
