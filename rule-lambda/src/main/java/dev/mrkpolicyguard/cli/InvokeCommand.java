package dev.mrkpolicyguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.aws.AwsErrors;
import dev.mrkpolicyguard.cli.common.Arguments;
import dev.mrkpolicyguard.cli.common.CommandLine;
import dev.mrkpolicyguard.cli.common.InputFile;
import dev.mrkpolicyguard.cli.common.TerminalText;
import dev.mrkpolicyguard.cli.common.UsageException;
import dev.mrkpolicyguard.core.KeyNotEvaluatedException;
import dev.mrkpolicyguard.core.Region;
import dev.mrkpolicyguard.hook.FailureMode;
import dev.mrkpolicyguard.hook.HookHandler;
import dev.mrkpolicyguard.report.SafeJson;
import dev.mrkpolicyguard.rule.ConfigRuleHandler;
import dev.mrkpolicyguard.rule.RuleConfigurationException;
import dev.mrkpolicyguard.startup.StandInContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;

/**
 * {@code invoke}: runs the Config rule handler on an event file exactly as Lambda would (a fake
 * Context), and prints the evaluations it posted as a JSON array. Log and metrics lines go to
 * stderr so stdout stays JSON.
 */
final class InvokeCommand {
  /** Its section of the jar's help. */
  static final String USAGE_TEXT =
      """
        invoke    run the AWS Config rule handler on an event, as Lambda would, and print
                  the evaluations it posted (JSON array); log lines go to stderr
                  --event FILE [--endpoint-url URL] [--region REGION]
                  --handler hook: the CloudFormation hook on a hook request; prints its
                  response (HOOK_FAILURE_MODE, BASELINE_PARAMETER_NAME from the environment)
                  credentials: the default AWS chain (e.g. AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)
                  exit 0 done, 1 an AWS call failed, 2 bad input, usage or rule configuration,
                  4 some keys could not be evaluated, or their evaluations were refused or not
                  confirmed (PutEvaluations timed out; listed)
                  --handler trigger [--queue-url URL]: run the near-real-time trigger on an
                  EventBridge event (examples/events/cloudtrail-*.json) and print what it started
                  and deferred per Region and rule (JSON); deferrals go to --queue-url, else are
                  only reported; exit 4 when something failed (listed), 1 when a deferral was lost
      """;

  /** Exit code: some keys were left without a decision, or Config refused their evaluations. */
  static final int PARTIAL = 4;

  private static final Arguments.Spec OPTIONS =
      Arguments.Spec.of("invoke")
          .value("event", "FILE")
          .value("endpoint-url", "URL")
          .value("region", "REGION")
          .value("handler", "rule|hook|trigger")
          .value("queue-url", "URL");
  private static final ObjectMapper MAPPER = SafeJson.indented();

  /** Runs {@code invoke} with the arguments after the command name; returns the exit code. */
  int run(String[] args, PrintStream out, PrintStream err) {
    return CommandLine.run(args, OPTIONS, USAGE_TEXT, out, err, this::run);
  }

  private int run(Arguments args, PrintStream out, PrintStream err) throws UsageException {
    byte[] event = read(args.require("event"));
    JsonNode tree;
    try {
      tree = MAPPER.readTree(event);
    } catch (IOException e) {
      throw new UsageException("--event '" + args.require("event") + "' is not JSON");
    }
    if (tree == null || !tree.isObject()) {
      throw new UsageException(
          "--event '"
              + args.require("event")
              + "' is not an AWS Config rule event (a JSON object): it holds "
              + holds(tree));
    }
    String region = args.get("region").orElse(System.getenv("AWS_REGION"));
    if (region == null || region.isEmpty()) {
      throw new UsageException("no Region: give --region or set AWS_REGION");
    }
    if (!Region.isName(region)) {
      throw new UsageException(Region.notARegion("region", region));
    }
    URI endpoint = args.endpointUrl();
    String which = args.get("handler").orElse("rule");
    if (which.equals("hook")) {
      return hook(event, endpoint, region, out, err);
    }
    if (which.equals("trigger")) {
      return TriggerInvocation.run(
          tree,
          args.require("event"),
          new TriggerInvocation.Target(endpoint, region, args.get("queue-url").orElse(null)),
          out,
          err);
    }
    if (!which.equals("rule")) {
      throw new UsageException("--handler '" + which + "' is not rule, hook or trigger");
    }
    if (args.has("queue-url")) {
      throw new UsageException("--queue-url is for --handler trigger (its deferral queue)");
    }
    ConfigRuleHandler handler = ConfigRuleHandler.local(endpoint, region, err);
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try {
      handler.handleRequest(new ByteArrayInputStream(event), output, StandInContext.local());
      JsonNode result = MAPPER.readTree(output.toByteArray());
      out.println(MAPPER.writeValueAsString(result.get("posted")));
      return partial(result, err) ? PARTIAL : 0;
    } catch (RuleConfigurationException e) {
      throw new UsageException(e.getMessage());
    } catch (KeyNotEvaluatedException e) {
      err.println(
          "error: the invocation failed calling AWS: " + TerminalText.escape(e.getMessage()));
      return 1;
    } catch (RuntimeException e) {
      if (!AwsErrors.isAwsFailure(e)) {
        throw e;
      }
      err.println(
          "error: the invocation failed calling AWS: " + TerminalText.escape(e.getMessage()));
      return 1;
    } catch (IOException e) {
      err.println(
          "error: cannot read the handler's output: " + TerminalText.escape(e.getMessage()));
      return 1;
    }
  }

  /**
   * Runs the CloudFormation hook handler and prints its response; {@code HOOK_FAILURE_MODE} and
   * {@code BASELINE_PARAMETER_NAME} are read from the environment, as in Lambda.
   */
  private static int hook(
      byte[] event, URI endpoint, String region, PrintStream out, PrintStream err) {
    HookHandler handler =
        HookHandler.local(
            endpoint,
            region,
            FailureMode.of(System.getenv("HOOK_FAILURE_MODE")),
            System.getenv("BASELINE_PARAMETER_NAME"),
            err);
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try {
      handler.handleRequest(new ByteArrayInputStream(event), output, StandInContext.local());
      out.println(MAPPER.writeValueAsString(MAPPER.readTree(output.toByteArray())));
      return 0;
    } catch (IOException e) {
      err.println("error: cannot read the hook's output: " + TerminalText.escape(e.getMessage()));
      return 1;
    }
  }

  /**
   * Lists on {@code err} the keys the run left without a decision, and the evaluations Config
   * refused; returns whether there were any.
   */
  private static boolean partial(JsonNode result, PrintStream err) {
    JsonNode notEvaluated = result.path("notEvaluated");
    JsonNode refused = result.path("refused");
    for (JsonNode key : notEvaluated) {
      err.println(
          TerminalText.escape(
              "not evaluated: " + key.path("keyArn").asText() + ": " + key.path("error").asText()));
    }
    if (!notEvaluated.isEmpty()) {
      err.println(
          "error: "
              + notEvaluated.size()
              + " of "
              + result.path("keys").asInt()
              + " keys could not be evaluated (listed above); AWS Config keeps their previous"
              + " evaluations");
    }
    if (!refused.isEmpty()) {
      err.println(
          "error: AWS Config refused the evaluations of "
              + refused.size()
              + " keys after retries: "
              + TerminalText.escape(joined(refused)));
    }
    JsonNode unconfirmed = result.path("unconfirmed");
    if (!unconfirmed.isEmpty()) {
      err.println(
          "error: PutEvaluations timed out for "
              + unconfirmed.size()
              + " keys (not sent again; AWS Config may have stored them): "
              + TerminalText.escape(joined(unconfirmed)));
    }
    return !notEvaluated.isEmpty() || !refused.isEmpty() || !unconfirmed.isEmpty();
  }

  private static String joined(JsonNode ids) {
    StringBuilder out = new StringBuilder();
    ids.forEach(id -> out.append(out.length() == 0 ? "" : ", ").append(id.asText()));
    return out.toString();
  }

  private static String holds(JsonNode tree) {
    if (tree == null || tree.isMissingNode()) {
      return "nothing";
    }
    return tree.isNull()
        ? "JSON null"
        : "a JSON " + tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static byte[] read(String file) throws UsageException {
    return InputFile.read("--event", file, InputFile.Kind.EVENT);
  }
}
