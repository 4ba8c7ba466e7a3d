package dev.mrkpolicyguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mrkpolicyguard.hook.FailureMode;
import dev.mrkpolicyguard.hook.HookHandler;
import dev.mrkpolicyguard.rule.ConfigRuleHandler;
import dev.mrkpolicyguard.rule.RuleConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code invoke}: runs the Config rule handler on an event file exactly as Lambda would (a fake
 * Context), and prints the evaluations it posted as a JSON array. Log and metrics lines go to
 * stderr so stdout stays JSON.
 */
final class InvokeCommand {
  private static final Set<String> OPTIONS = Set.of("event", "endpoint-url", "region", "handler");
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  int run(Arguments args, PrintStream out, PrintStream err) throws UsageException {
    args.allowOnly(OPTIONS);
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
    String which = args.get("handler").orElse("rule");
    if (which.equals("hook")) {
      return hook(event, endpoint, region, out, err);
    }
    if (!which.equals("rule")) {
      throw new UsageException("--handler must be rule or hook, not '" + which + "'");
    }
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
      err.println("error: the invocation failed calling AWS: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("error: cannot read the handler's output: " + e.getMessage());
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
      handler.handleRequest(new ByteArrayInputStream(event), output, new LocalContext());
      out.println(MAPPER.writeValueAsString(MAPPER.readTree(output.toByteArray())));
      return 0;
    } catch (IOException e) {
      err.println("error: cannot read the hook's output: " + e.getMessage());
      return 1;
    }
  }

  private static byte[] read(String file) throws UsageException {
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new UsageException("--event: no such file '" + file + "'");
    } catch (IOException e) {
      throw new UsageException("--event: cannot read '" + file + "': " + e.getMessage());
    }
  }
}
