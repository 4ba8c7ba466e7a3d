package dev.mrkpolicyguard.cli;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mrkpolicyguard.rule.ConfigRuleHandler;
import dev.mrkpolicyguard.rule.RuleConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code invoke}: runs the Config rule handler on an event file exactly as Lambda would (a fake
 * Context), and prints the evaluations it posted as a JSON array. Log and metrics lines go to
 * stderr so stdout stays JSON.
 */
final class InvokeCommand {
  private static final Set<String> OPTIONS = Set.of("event", "endpoint-url", "region");
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
    URI endpoint = endpoint(args);
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

  private static byte[] read(String file) throws UsageException {
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new UsageException("--event: no such file '" + file + "'");
    } catch (IOException e) {
      throw new UsageException("--event: cannot read '" + file + "': " + e.getMessage());
    }
  }

  private static URI endpoint(Arguments args) throws UsageException {
    String text = args.get("endpoint-url").orElse(null);
    if (text == null) {
      return null;
    }
    try {
      URI uri = new URI(text);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new URISyntaxException(text, "expected http(s)://HOST[:PORT]");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new UsageException("--endpoint-url '" + text + "' is not an http(s)://HOST[:PORT] URL");
    }
  }

  /** The Context a local run gives the handler: a fresh request id, nothing else of note. */
  private static final class LocalContext implements Context {
    private final String requestId = UUID.randomUUID().toString();

    @Override
    public String getAwsRequestId() {
      return requestId;
    }

    @Override
    public String getLogGroupName() {
      return "local";
    }

    @Override
    public String getLogStreamName() {
      return "local";
    }

    @Override
    public String getFunctionName() {
      return "mrk-policy-guard-local";
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:local:000000000000:function:mrk-policy-guard-local";
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return 900_000;
    }

    @Override
    public int getMemoryLimitInMB() {
      return 512;
    }

    @Override
    public LambdaLogger getLogger() {
      return new LambdaLogger() {
        @Override
        public void log(String message) {
          System.err.println(message);
        }

        @Override
        public void log(byte[] message) {
          System.err.println(new String(message, StandardCharsets.UTF_8));
        }
      };
    }
  }
}
