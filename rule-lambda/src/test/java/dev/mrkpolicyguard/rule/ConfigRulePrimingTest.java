package dev.mrkpolicyguard.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.startup.Priming;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The rule function's priming runs its own handler on the bundled events, and keeps nothing. */
class ConfigRulePrimingTest {
  @Test
  void prime_ruleHandlerRegistered_runsAChangeAndAPeriodicRunOnTheLoopback() {
    Priming.register(ConfigRuleHandler::primingPath);

    Priming.Report report = Priming.prime(1);

    assertEquals(List.of(), report.problems());
    // The change event: the replica, its policy and its primary's, the evaluation posted; the
    // periodic run: the listing and the baseline parameter besides.
    assertTrue(
        report
            .handlerCalls()
            .containsAll(
                List.of(
                    "TrentService.DescribeKey",
                    "TrentService.GetKeyPolicy",
                    "TrentService.ListKeys",
                    "AmazonSSM.GetParameter",
                    "StarlingDoveService.PutEvaluations")),
        report.handlerCalls().toString());
  }

  @Test
  void prime_ruleHandlerRegistered_leavesNoThreadOrSocketBehind() throws IOException {
    Priming.register(ConfigRuleHandler::primingPath);
    Priming.prime(1); // the first run may start JVM-wide threads that live anyway
    Set<String> threads = liveThreads();
    long sockets = openSockets();

    Priming.prime(2);

    // The periodic run's 12 workers, the loopback's dispatcher: all ended; its connections closed.
    assertEquals(threads, liveThreads());
    assertEquals(sockets, openSockets());
  }

  @Test
  void prime_containerCredentialsConfigured_neverFetchesThem() throws IOException {
    // Where a SnapStart function's chain would fetch its credentials: a socket that counts.
    try (ServerSocket credentials = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String property = "aws.containerCredentialsFullUri";
      System.setProperty(
          property, "http://127.0.0.1:" + credentials.getLocalPort() + "/credentials");
      try {
        Priming.register(ConfigRuleHandler::primingPath);
        assertEquals(List.of(), Priming.prime(1).problems());
      } finally {
        System.clearProperty(property);
      }
      credentials.setSoTimeout(200);
      assertThrows(SocketTimeoutException.class, credentials::accept);
    }
  }

  private static Set<String> liveThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(t -> t.getName() + "#" + t.getId())
        .collect(Collectors.toSet());
  }

  /** Sockets this process holds open (Linux: the descriptors that link to {@code socket:}). */
  private static long openSockets() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(
              fd -> {
                try {
                  return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException gone) {
                  return false; // closed while listed: the listing's own descriptor
                }
              })
          .count();
    }
  }
}
