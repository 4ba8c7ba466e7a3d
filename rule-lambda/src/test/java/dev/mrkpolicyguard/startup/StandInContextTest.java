package dev.mrkpolicyguard.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StandInContextTest {
  @Test
  void priming_fixedRequestIdAndAMinuteLeft() {
    StandInContext context = StandInContext.priming();
    assertEquals("00000000-0000-4000-8000-000000000000", context.getAwsRequestId());
    assertEquals("priming", context.getFunctionName());
    assertEquals("priming", context.getLogGroupName());
    assertEquals(1024, context.getMemoryLimitInMB());
    assertTrue(context.getInvokedFunctionArn().endsWith(":111122223333:function:priming"));
    int left = context.getRemainingTimeInMillis();
    assertTrue(left > 50_000 && left <= 60_000, String.valueOf(left));
  }

  @Test
  void local_freshRequestIdAndFixedTimeLeft() {
    StandInContext context = StandInContext.local();
    assertNotEquals(StandInContext.local().getAwsRequestId(), context.getAwsRequestId());
    assertEquals("mrk-policy-guard-local", context.getFunctionName());
    assertEquals("local", context.getLogStreamName());
    assertEquals(
        "arn:aws:lambda:local:000000000000:function:mrk-policy-guard-local",
        context.getInvokedFunctionArn());
    assertEquals(512, context.getMemoryLimitInMB());
    assertEquals(900_000, context.getRemainingTimeInMillis());
    assertEquals("$LATEST", context.getFunctionVersion());
  }

  @Test
  void local_logger_writesToTheCurrentStandardError() {
    StandInContext context = StandInContext.local();
    PrintStream before = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      context.getLogger().log("one");
      context.getLogger().log("two".getBytes(StandardCharsets.UTF_8));
    } finally {
      System.setErr(before);
    }
    assertEquals("one\ntwo\n", captured.toString(StandardCharsets.UTF_8).replace("\r", ""));
  }
}
