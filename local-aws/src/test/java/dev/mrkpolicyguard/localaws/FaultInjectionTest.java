package dev.mrkpolicyguard.localaws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.localaws.fault.FaultRule;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.services.config.model.ConfigException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class FaultInjectionTest {
  private static final String POLICY =
      "{\"Version\":\"2012-10-17\",\"Id\":\"ID\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\","
          + "\"Resource\":\"*\"}]}";
  private static LocalAwsServer server;
  private static KmsClient kms;

  @BeforeAll
  static void start() {
    server = LocalAwsServer.builder().faultSeed(11).build().start();
    kms = TestClients.kms(server, "us-east-1");
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
  void faults_kmsThrottle_answersThrottlingExceptionWith400() {
    String keyId = kms.createKey(r -> r.multiRegion(true)).keyMetadata().keyId();
    server.faults().add(FaultRule.throttle("kms", "GetKeyPolicy", 1.0));
    KmsException e = assertThrows(KmsException.class, () -> kms.getKeyPolicy(r -> r.keyId(keyId)));
    assertEquals("ThrottlingException", e.awsErrorDetails().errorCode());
    assertEquals(400, e.statusCode());
    assertTrue(e.isThrottlingException());
  }

  @Test
  void faults_keyedAccessDenied_deniesOnlyThatKey() {
    String denied = kms.createKey(r -> r.multiRegion(true)).keyMetadata().keyId();
    String allowed = kms.createKey(r -> r.multiRegion(true)).keyMetadata().keyId();
    server.faults().add(FaultRule.errorFor("kms", "GetKeyPolicy", denied, "AccessDeniedException"));
    KmsException e = assertThrows(KmsException.class, () -> kms.getKeyPolicy(r -> r.keyId(denied)));
    assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
    assertTrue(kms.getKeyPolicy(r -> r.keyId(allowed)).policy().contains("kms:*"));
  }

  @Test
  void faults_configHttp503_answersServiceUnavailable() {
    server.faults().add(FaultRule.serverError("config", "*", 503, 1.0));
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                TestClients.config(server, "us-east-1")
                    .startConfigRulesEvaluation(r -> r.configRuleNames("x")));
    assertEquals(503, e.statusCode());
    assertEquals("ServiceUnavailable", e.awsErrorDetails().errorCode());
  }

  @Test
  void faults_s3Throttle_answersSlowDown503() {
    server.faults().add("s3:*:throttle=1");
    S3Exception e =
        assertThrows(
            S3Exception.class,
            () -> TestClients.s3(server, "us-east-1").createBucket(r -> r.bucket("b-1")));
    assertEquals("SlowDown", e.awsErrorDetails().errorCode());
    assertEquals(503, e.statusCode());
  }

  @Test
  void faults_fixedLatency_delaysCallByAtLeastThatLong() {
    server.faults().add(FaultRule.latency("kms", "ListKeys", Duration.ofMillis(150)));
    long start = System.nanoTime();
    kms.listKeys();
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 150);
  }

  @Test
  void reset_afterThrottleFault_servesCallsAgain() {
    server.faults().add(FaultRule.throttle("kms", "*", 1.0));
    server.reset();
    assertEquals(0, kms.listKeys().keys().size());
  }

  @Test
  void reset_builderConfiguredFault_staysInForce() {
    try (LocalAwsServer faulty =
        LocalAwsServer.builder()
            .fault(FaultRule.parse("kms:ListKeys:throttle=1"))
            .build()
            .start()) {
      faulty.reset();
      KmsClient client = TestClients.kms(faulty, "us-east-1");
      KmsException e = assertThrows(KmsException.class, client::listKeys);
      assertEquals("ThrottlingException", e.awsErrorDetails().errorCode());
    }
  }

  @Test
  void faults_serverErrorAfterTheOperation_keepsItsEffectAndAnswersTheError() {
    String keyId = kms.createKey(r -> r.multiRegion(true)).keyMetadata().keyId();
    server.faults().add(FaultRule.parse("kms:PutKeyPolicy:http500=1,when=after"));
    String policy = POLICY.replace("ID", "changed");

    KmsException e =
        assertThrows(
            KmsException.class, () -> kms.putKeyPolicy(r -> r.keyId(keyId).policy(policy)));

    assertEquals(500, e.statusCode());
    assertEquals("InternalFailure", e.awsErrorDetails().errorCode());
    assertEquals(policy, server.kms().policy("111122223333", "us-east-1", keyId).orElseThrow());
  }

  @Test
  void faults_latencyAfterTheOperation_appliesItBeforeTheLateAnswer() {
    String keyId = kms.createKey(r -> r.multiRegion(true)).keyMetadata().keyId();
    server
        .faults()
        .add(FaultRule.latency("kms", "PutKeyPolicy", Duration.ofSeconds(3)).afterOperation());
    String policy = POLICY.replace("ID", "late");

    assertThrows(
        ApiCallAttemptTimeoutException.class,
        () ->
            kms.putKeyPolicy(
                r ->
                    r.keyId(keyId)
                        .policy(policy)
                        .overrideConfiguration(
                            o -> o.apiCallAttemptTimeout(Duration.ofMillis(300)))));

    assertEquals(policy, server.kms().policy("111122223333", "us-east-1", keyId).orElseThrow());
  }
}
