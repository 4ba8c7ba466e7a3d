package dev.mrkpolicyguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mrkpolicyguard.cli.common.Arguments;
import dev.mrkpolicyguard.cli.common.CommandLine;
import dev.mrkpolicyguard.cli.common.InputFile;
import dev.mrkpolicyguard.cli.common.TerminalText;
import dev.mrkpolicyguard.cli.common.UsageException;
import dev.mrkpolicyguard.rule.ConfigRuleHandler;
import dev.mrkpolicyguard.rule.RuleConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import software.amazon.awssdk.core.exception.SdkException;

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
                  credentials: the default AWS chain (e.g. AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)
                  exit 0 done, 1 an AWS call failed, 2 bad input, usage or rule configuration
      """;

  private static final Arguments.Spec OPTIONS =
      Arguments.Spec.of("invoke")
          .value("event", "FILE")
          .value("endpoint-url", "URL")
          .value("region", "REGION");
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Runs {@code invoke} with the arguments after the command name; returns the exit code. */
  int run(String[] args, PrintStream out, PrintStream err) {
    return CommandLine.run(args, OPTIONS, USAGE_TEXT, out, err, this::run);
  }

  private int run(Arguments args, PrintStream out, PrintStream err) throws UsageException {
    byte[] event = read(args.require("event"));
    try {
      MAPPER.readTree(event);
    } catch (IOException e) {
      throw new UsageException("--event '" + args.require("event") + "' is not JSON");
    }
    String region = args.get("region").orElse(System.getenv("AWS_REGION"));
    if (region == null || region.isEmpty()) {
      throw new UsageException("no Region: give --region or set AWS_REGION");
    }
    if (!region.matches("([a-z]+-){2,3}\\d+")) {
      throw new UsageException("--region '" + region + "' is not a Region name");
    }
    URI endpoint = args.endpointUrl();
    ConfigRuleHandler handler = ConfigRuleHandler.local(endpoint, region, err);
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try {
      handler.handleRequest(new ByteArrayInputStream(event), output, new LocalContext());
      JsonNode posted = MAPPER.readTree(output.toByteArray()).get("posted");
      out.println(MAPPER.writeValueAsString(posted));
      return 0;
    } catch (RuleConfigurationException e) {
      throw new UsageException(e.getMessage());
    } catch (SdkException e) {
      err.println(
          "error: the invocation failed calling AWS: " + TerminalText.escape(e.getMessage()));
      return 1;
    } catch (IOException e) {
      err.println(
          "error: cannot read the handler's output: " + TerminalText.escape(e.getMessage()));
      return 1;
    }
  }

  private static byte[] read(String file) throws UsageException {
    return InputFile.read("--event", file, InputFile.Kind.EVENT);
  }
}
