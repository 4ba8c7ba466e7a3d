package dev.mrkpolicyguard.localaws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mrkpolicyguard.localaws.fault.FaultRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

class CallLogTest {
  private static LocalAwsServer server;

  @BeforeAll
  static void start() {
    server = LocalAwsServer.builder().build().start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.reset();
  }

  @Test
  void count_callsInTwoRegions_areCountedPerRegion() {
    KmsClient east = TestClients.kms(server, "us-east-1");
    KmsClient west = TestClients.kms(server, "eu-west-1");
    String keyId = east.createKey(r -> r.multiRegion(true)).keyMetadata().keyId();
    east.replicateKey(r -> r.keyId(keyId).replicaRegion("eu-west-1"));
    east.getKeyPolicy(r -> r.keyId(keyId));
    west.getKeyPolicy(r -> r.keyId(keyId));
    west.getKeyPolicy(r -> r.keyId(keyId));
    assertEquals(1, server.calls().count("kms", "GetKeyPolicy", "us-east-1"));
    assertEquals(2, server.calls().count("kms", "GetKeyPolicy", "eu-west-1"));
    assertEquals(3, server.calls().count("kms", "GetKeyPolicy"));
    assertEquals(5, server.calls().total());
  }

  @Test
  void count_failedAndFaultedCalls_areCounted() {
    KmsClient kms = TestClients.kms(server, "us-east-1");
    assertThrows(NotFoundException.class, () -> kms.describeKey(r -> r.keyId("nope")));
    server.faults().add(FaultRule.throttle("kms", "DescribeKey", 1.0));
    assertThrows(KmsException.class, () -> kms.describeKey(r -> r.keyId("nope")));
    assertEquals(2, server.calls().count("kms", "DescribeKey", "us-east-1"));
  }

  @Test
  void snapshot_twoServicesCalled_mapsEachCallSiteToItsCount() {
    TestClients.sts(server).getCallerIdentity();
    TestClients.kms(server, "eu-west-1").listKeys();
    assertEquals(
        Map.of(
            new CallLog.Call("kms", "ListKeys", "eu-west-1"), 1L,
            new CallLog.Call("sts", "GetCallerIdentity", "us-east-1"), 1L),
        server.calls().snapshot());
  }

  @Test
  void reset_afterCalls_zeroesTotal() {
    TestClients.sts(server).getCallerIdentity();
    server.reset();
    assertEquals(0, server.calls().total());
  }

  @Test
  void count_concurrentCallsFromEightThreads_countsEveryCall() throws Exception {
    KmsClient kms = TestClients.kms(server, "us-east-1");
    String keyId = kms.createKey(r -> r.multiRegion(true)).keyMetadata().keyId();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        runs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 25; i++) {
                    kms.getKeyPolicy(r -> r.keyId(keyId));
                  }
                }));
      }
      for (Future<?> run : runs) {
        run.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(200, server.calls().count("kms", "GetKeyPolicy", "us-east-1"));
  }
}
