package dev.mrkpolicyguard.startup;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The Lambda context a handler gets when Lambda did not call it: while priming ({@link #priming})
 * and in a local run ({@link #local}). Version {@code $LATEST}, no identity, no client context.
 *
 * @param requestId the request ID
 * @param logName the log group's and log stream's name
 * @param functionName the function's name
 * @param invokedFunctionArn the invoked function's ARN
 * @param memoryLimitInMB the memory limit
 * @param remainingTimeInMillis the time left, asked each time
 * @param log where the logger's lines go
 */
public record StandInContext(
    String requestId,
    String logName,
    String functionName,
    String invokedFunctionArn,
    int memoryLimitInMB,
    IntSupplier remainingTimeInMillis,
    Consumer<String> log)
    implements Context {
  public StandInContext {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(logName, "logName");
    Objects.requireNonNull(functionName, "functionName");
    Objects.requireNonNull(invokedFunctionArn, "invokedFunctionArn");
    Objects.requireNonNull(remainingTimeInMillis, "remainingTimeInMillis");
    Objects.requireNonNull(log, "log");
  }

  /** While priming: a fixed request ID, a minute left from now, and a logger that keeps nothing. */
  public static StandInContext priming() {
    long deadline = System.currentTimeMillis() + 60_000;
    return new StandInContext(
        "00000000-0000-4000-8000-000000000000",
        "priming",
        "priming",
        "arn:aws:lambda:" + Priming.region() + ":111122223333:function:priming",
        1024,
        () -> (int) Math.max(0, deadline - System.currentTimeMillis()),
        line -> {});
  }

  /** In a local run: a fresh request ID, always 900 s left, and the log on standard error. */
  public static StandInContext local() {
    return new StandInContext(
        UUID.randomUUID().toString(),
        "local",
        "mrk-policy-guard-local",
        "arn:aws:lambda:local:000000000000:function:mrk-policy-guard-local",
        512,
        () -> 900_000,
        line -> System.err.println(line));
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return logName;
  }

  @Override
  public String getLogStreamName() {
    return logName;
  }

  @Override
  public String getFunctionName() {
    return functionName;
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return invokedFunctionArn;
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
    return remainingTimeInMillis.getAsInt();
  }

  @Override
  public int getMemoryLimitInMB() {
    return memoryLimitInMB;
  }

  @Override
  public LambdaLogger getLogger() {
    return new LambdaLogger() {
      @Override
      public void log(String message) {
        log.accept(message);
      }

      @Override
      public void log(byte[] message) {
        log.accept(new String(message, StandardCharsets.UTF_8));
      }
    };
  }
}
