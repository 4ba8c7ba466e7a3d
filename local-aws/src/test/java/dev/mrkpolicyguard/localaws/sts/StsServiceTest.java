package dev.mrkpolicyguard.localaws.sts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.localaws.TestClients;
import dev.mrkpolicyguard.localaws.fault.FaultRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

class StsServiceTest {
  private static final String ROLE = "arn:aws:iam::444455556666:role/audit/MrkAuditor";
  private static final List<String> CALLERS = new ArrayList<>();
  private static LocalAwsServer server;
  private static StsClient sts;

  @BeforeAll
  static void start() {
    server =
        LocalAwsServer.builder()
            .lockoutCheck(
                (policy, caller, key) -> {
                  CALLERS.add(caller);
                  return true;
                })
            .accessKeyPrincipal("AKIDADMIN", "arn:aws:iam::111122223333:user/admin")
            .build()
            .start();
    sts = TestClients.sts(server);
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.reset();
    CALLERS.clear();
  }

  private static AwsSessionCredentials assume() {
    AssumeRoleResponse response = sts.assumeRole(r -> r.roleArn(ROLE).roleSessionName("rule"));
    var c = response.credentials();
    return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
  }

  @Test
  void getCallerIdentity_defaultKey_isRootOfDefaultAccount() {
    GetCallerIdentityResponse me = sts.getCallerIdentity();
    assertEquals("111122223333", me.account());
    assertEquals("arn:aws:iam::111122223333:root", me.arn());
    assertEquals("111122223333", me.userId());
  }

  @Test
  void getCallerIdentity_explicitPrincipalKey_reportsThatPrincipal() {
    StsClient admin =
        TestClients.sts(
            server,
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDADMIN", "x"));
    assertEquals("arn:aws:iam::111122223333:user/admin", admin.getCallerIdentity().arn());
  }

  @Test
  void assumeRole_validRole_returnsSessionCredentialsAndAssumedRoleUser() {
    AssumeRoleResponse response = sts.assumeRole(r -> r.roleArn(ROLE).roleSessionName("rule"));
    assertTrue(response.credentials().accessKeyId().startsWith("ASIA"));
    assertTrue(response.credentials().expiration().isAfter(java.time.Instant.now()));
    assertEquals(
        "arn:aws:sts::444455556666:assumed-role/MrkAuditor/rule", response.assumedRoleUser().arn());
    assertTrue(response.assumedRoleUser().assumedRoleId().endsWith(":rule"));
  }

  @Test
  void getCallerIdentity_assumedRoleKey_reportsAssumedRoleInRoleAccount() {
    StsClient session = TestClients.sts(server, assume());
    GetCallerIdentityResponse me = session.getCallerIdentity();
    assertEquals("444455556666", me.account());
    assertEquals("arn:aws:sts::444455556666:assumed-role/MrkAuditor/rule", me.arn());
  }

  @Test
  void assumeRole_thenKmsCall_actsInRoleAccountAsAssumedRole() {
    KmsClient kms = TestClients.kms(server, "us-east-1", assume());
    var key =
        kms.createKey(
                r ->
                    r.policy(
                        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\"}]}"))
            .keyMetadata();
    assertEquals("444455556666", key.awsAccountId());
    assertEquals(List.of("arn:aws:sts::444455556666:assumed-role/MrkAuditor/rule"), CALLERS);
  }

  @Test
  void assumeRole_malformedRoleArn_throwsValidationErrorAsXml() {
    StsException e =
        assertThrows(
            StsException.class,
            () -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::1:user/x").roleSessionName("s")));
    assertEquals("ValidationError", e.awsErrorDetails().errorCode());
    assertEquals(400, e.statusCode());
  }

  @Test
  void assumeRole_throttled_throwsThrottlingAsXml() {
    server.faults().add(FaultRule.throttle("sts", "AssumeRole", 1.0));
    StsException e =
        assertThrows(
            StsException.class, () -> sts.assumeRole(r -> r.roleArn(ROLE).roleSessionName("s")));
    assertEquals("Throttling", e.awsErrorDetails().errorCode());
    assertTrue(e.isThrottlingException());
  }
}
