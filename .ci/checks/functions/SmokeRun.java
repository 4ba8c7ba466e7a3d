import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs one Lambda handler as the Java runtime does, on the classpath of one function jar only:
 * the class named in the template, its public no-argument constructor (settings from the
 * environment, endpoint from AWS_ENDPOINT_URL), then the SnapStart priming Lambda runs before
 * the snapshot (unless SMOKE_PRIME=0; SMOKE_PRIME_ROUNDS runs of the handler's own path instead of
 * the default; SMOKE_PRIME_PATH=none for a function that registers no handler path, which is
 * otherwise a failure), then one event from a file (SMOKE_EVENTS times, default 1).
 * Prints the handler's output and, on stderr, how long each event took; a class missing from the
 * jar, or a priming step that failed, ends it with the error and exit 1.
 */
public final class SmokeRun {
  public static void main(String[] args) throws Exception {
    String handlerClass = args[0];
    byte[] event = Files.readAllBytes(Path.of(args[1]));
    long constructed = System.nanoTime();
    RequestStreamHandler handler =
        (RequestStreamHandler)
            Class.forName(handlerClass).getConstructor().newInstance();
    long start = constructed;
    if (!"0".equals(System.getenv("SMOKE_PRIME"))) {
      String rounds = System.getenv("SMOKE_PRIME_ROUNDS");
      dev.mrkpolicyguard.startup.Priming.Report report =
          rounds == null
              ? dev.mrkpolicyguard.startup.Priming.prime()
              : dev.mrkpolicyguard.startup.Priming.prime(Integer.parseInt(rounds));
      if (!report.problems().isEmpty()) {
        System.err.println("priming failed: " + report.problems());
        System.exit(1);
      }
      System.err.println(
          "priming: handler's path called " + new java.util.TreeSet<>(report.handlerCalls()));
      // Each SnapStart function registers its handler's path; SMOKE_PRIME_PATH=none: one without.
      if (report.handlerCalls().isEmpty() && !"none".equals(System.getenv("SMOKE_PRIME_PATH"))) {
        System.err.println("priming failed: the handler's own path made no call");
        System.exit(1);
      }
    }
    System.err.printf("init and priming: %d ms%n", (System.nanoTime() - start) / 1_000_000);
    int events = Integer.parseInt(System.getenv().getOrDefault("SMOKE_EVENTS", "1"));
    for (int i = 1; i <= events; i++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      long t = System.nanoTime();
      handler.handleRequest(new ByteArrayInputStream(event), out, new SmokeContext());
      System.err.printf("event %d: %.1f ms%n", i, (System.nanoTime() - t) / 1e6);
      if (i == 1) {
        System.out.println(out.toString(StandardCharsets.UTF_8));
      }
    }
  }

  private static final class SmokeContext implements Context {
    private final long deadline = System.currentTimeMillis() + 60_000;

    @Override
    public String getAwsRequestId() {
      return "00000000-0000-4000-8000-000000000001";
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/smoke";
    }

    @Override
    public String getLogStreamName() {
      return "smoke";
    }

    @Override
    public String getFunctionName() {
      return "smoke";
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:eu-west-1:111122223333:function:smoke";
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
      return (int) Math.max(0, deadline - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
      return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
      return new LambdaLogger() {
        @Override
        public void log(String message) {
          System.err.print(message);
        }

        @Override
        public void log(byte[] message) {
          System.err.write(message, 0, message.length);
        }
      };
    }
  }
}
