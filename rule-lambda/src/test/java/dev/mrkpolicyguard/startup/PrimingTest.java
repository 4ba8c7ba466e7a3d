package dev.mrkpolicyguard.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.aws.SdkPriming;
import dev.mrkpolicyguard.engine.compare.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PrimingTest {
  @Test
  void prime_bundledPair_comparesItWithTheEngine() {
    Priming.Report report = Priming.prime();

    // The bundled replica grants a partner account Decrypt that the primary does not.
    assertEquals(Verdict.REPLICA_BROADER, report.verdict());
    assertEquals(List.of(), report.problems());
  }

  @Test
  void prime_everyServiceOnTheClasspath_marshalsEachRequestTheFunctionsMake() {
    List<String> requests = Priming.prime().requests();

    for (String expected :
        List.of(
            "kms.us-east-1.amazonaws.com TrentService.DescribeKey",
            "kms.us-east-1.amazonaws.com TrentService.GetKeyPolicy",
            "kms.us-east-1.amazonaws.com TrentService.ListKeys",
            "kms.us-east-1.amazonaws.com TrentService.PutKeyPolicy",
            "config.us-east-1.amazonaws.com StarlingDoveService.PutEvaluations",
            "config.us-east-1.amazonaws.com StarlingDoveService.GetResourceConfigHistory",
            "config.us-east-1.amazonaws.com StarlingDoveService.StartConfigRulesEvaluation",
            "ssm.us-east-1.amazonaws.com AmazonSSM.GetParameter",
            "sqs.us-east-1.amazonaws.com AmazonSQS.SendMessage")) {
      assertTrue(requests.contains(expected), expected + " not in " + requests);
    }
    assertTrue(
        requests.stream().anyMatch(r -> r.startsWith("priming.s3.") && r.contains("PUT /")),
        "no S3 PutObject in " + requests);
    assertTrue(requests.stream().anyMatch(r -> r.startsWith("sts.")), "no STS call in " + requests);
  }

  @Test
  void prime_run_leavesNoThreadBehind() {
    Priming.prime(); // the first run may start JVM-wide threads that live anyway
    Set<String> before = liveThreads();

    Priming.prime();

    assertEquals(before, liveThreads());
  }

  @Test
  void primingClasses_fields_holdNoStateBetweenRuns() {
    // Nothing made while priming can reach the snapshot through a field: no client, no
    // credentials, no connection, no random source. Only constants, the registered instance and
    // the registered handler's path (a reference to a static method).
    for (Class<?> type : List.of(Priming.class, SdkPriming.class)) {
      for (Field field : type.getDeclaredFields()) {
        assertTrue(
            Modifier.isStatic(field.getModifiers()) && Modifier.isFinal(field.getModifiers()),
            type.getSimpleName() + "." + field.getName() + " is mutable state");
      }
    }
    // The loopback stand-in lives for one priming: no static state either.
    for (Field field : LoopbackAws.class.getDeclaredFields()) {
      assertTrue(
          !Modifier.isStatic(field.getModifiers()) || Modifier.isFinal(field.getModifiers()),
          "LoopbackAws." + field.getName() + " is mutable state");
    }
    Set<Class<?>> kept =
        Arrays.stream(Priming.class.getDeclaredFields())
            .map(Field::getType)
            .collect(Collectors.toSet());
    assertEquals(
        Set.of(
            int.class,
            long.class,
            String.class,
            Priming.class,
            java.util.concurrent.atomic.AtomicBoolean.class,
            java.util.concurrent.atomic.AtomicReference.class),
        kept);
  }

  @Test
  void beforeCheckpoint_registeredInstance_primesAndLogsOneJsonLine() {
    Priming.register();
    Priming.register();
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      Priming.instance().beforeCheckpoint(null);
    } finally {
      System.setOut(original);
    }

    String log = captured.toString(StandardCharsets.UTF_8);
    assertEquals(1, log.lines().count(), log);
    assertTrue(log.contains("\"message\":\"SnapStart priming\""), log);
    assertTrue(log.contains("\"verdict\":\"REPLICA_BROADER\""), log);
    assertTrue(log.contains("\"problems\":0"), log);
  }

  @Test
  void register_noPropertyGiven_keepsAliveAConnectionForEveryWorker() {
    Priming.register();

    String kept = System.getProperty("http.maxConnections");
    assertTrue(Integer.parseInt(kept) >= 12, "http.maxConnections=" + kept);
  }

  private static Set<String> liveThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(t -> t.getName() + "#" + t.getId())
        .collect(Collectors.toSet());
  }
}
