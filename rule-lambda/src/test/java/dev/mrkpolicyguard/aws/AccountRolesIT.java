package dev.mrkpolicyguard.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.core.KmsRead;
import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.localaws.fault.FaultRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Opening accounts through the stand-in's STS AssumeRole, over real HTTP. */
class AccountRolesIT {
  private static final String ROLE = "arn:aws:iam::444455556666:role/mrk-policy-guard-audit";

  private final LocalAwsServer server = LocalAwsServer.builder().build().start();
  private final AccountRoles roles =
      new AccountRoles(
          SdkClientFactory.forAws(
              "us-east-1",
              server.endpoint(),
              StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x"))),
          "mrk-policy-guard-audit");

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void open_roleAssumed_readsThatAccountWithTheRolesSession() {
    var opened = roles.open("aws", "444455556666");

    var reader = assertInstanceOf(AccountRoles.Opened.Reader.class, opened);
    var caller = assertInstanceOf(AccountReads.Caller.Known.class, reader.caller().get());
    assertEquals("444455556666", caller.account());
    assertInstanceOf(KmsRead.Answered.class, reader.keys().listKeys("us-east-1"));
  }

  @Test
  void open_assumeRoleDenied_refusedWithTheCodeTheRoleAndTheFix() {
    server.faults().add(FaultRule.errorFor("sts", "AssumeRole", ROLE, "AccessDenied"));

    var refused =
        assertInstanceOf(AccountRoles.Opened.Refused.class, roles.open("aws", "444455556666"));

    assertTrue(
        refused.reason().startsWith("cannot assume " + ROLE + " (sts:AssumeRole AccessDenied)"),
        refused.reason());
    assertTrue(refused.reason().contains("cloudformation/audit-role.yaml"), refused.reason());
  }
}
