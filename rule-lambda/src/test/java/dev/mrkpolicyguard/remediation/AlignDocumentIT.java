package dev.mrkpolicyguard.remediation;

import static dev.mrkpolicyguard.remediation.RemediationFixture.AUTOMATION_ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mrkpolicyguard.aws.S3BackupStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * The SSM document MrkPolicyGuard-AlignReplicaKeyPolicy, run by the interpreter against the
 * stand-in, with the remediation handler as its Lambda function, checked by the Config rule.
 */
class AlignDocumentIT {
  private final RemediationFixture fixture = new RemediationFixture();

  @AfterEach
  void stop() {
    fixture.close();
  }

  private AutomationInterpreter.Execution align(KeyMetadata replica, String dryRun) {
    return fixture
        .alignDocument(fixture.handler())
        .run(
            Map.of(
                "KeyId",
                replica.keyId(),
                "AutomationAssumeRole",
                AUTOMATION_ROLE,
                "DryRun",
                dryRun));
  }

  private static JsonNode payload(AutomationInterpreter.Execution execution) {
    return RemediationFixture.parse(execution.outputs().get("Remediate.Payload"));
  }

  private KeyMetadata driftedReplica() {
    KeyMetadata primary = fixture.primary(RemediationFixture.defaultPolicy());
    return fixture.replica(primary, RemediationFixture.partnerDecryptPolicy());
  }

  @Test
  void run_driftedReplica_appliesAndTheRuleTurnsCompliant() {
    KeyMetadata replica = driftedReplica();
    assertEquals("NON_COMPLIANT", fixture.ruleVerdict(replica));

    AutomationInterpreter.Execution execution = align(replica, "false");

    assertTrue(execution.succeeded(), execution.toString());
    JsonNode payload = payload(execution);
    assertEquals("APPLIED", payload.get("outcome").asText());
    assertEquals("REPLICA_BROADER", payload.get("verdictBefore").asText());
    assertEquals("EQUIVALENT", payload.get("verdictAfter").asText());
    assertEquals("COMPLIANT", fixture.ruleVerdict(replica));
    assertEquals(fixture.policyOf(replica), execution.outputs().get("ReadPolicyAfter.Policy"));
  }

  @Test
  void run_applied_backsUpThePreviousPolicyWithItsDigest() {
    KeyMetadata replica = driftedReplica();

    JsonNode payload = payload(align(replica, "false"));

    String uri = payload.get("backupUri").asText();
    assertTrue(
        uri.startsWith(
            "s3://mrk-policy-guard-backups/111122223333/eu-west-1/" + replica.keyId() + "/"),
        uri);
    PolicyBackup backup =
        ((BackupStore.Fetched.Found)
                new S3BackupStore(fixture.s3(RemediationFixture.ROOT_KEY, null), null).load(uri))
            .backup();
    assertEquals(RemediationFixture.partnerDecryptPolicy(), backup.policy());
    assertEquals(replica.arn(), backup.keyArn());
    assertEquals(
        PolicyBackup.sha256(backup.policy()), payload.get("previousPolicySha256").asText());
  }

  @Test
  void run_dryRunByDefault_showsTheDiffAndWritesNothing() {
    KeyMetadata replica = driftedReplica();

    AutomationInterpreter.Execution execution =
        fixture
            .alignDocument(fixture.handler())
            .run(Map.of("KeyId", replica.arn(), "AutomationAssumeRole", AUTOMATION_ROLE));

    assertTrue(execution.succeeded(), execution.toString());
    JsonNode payload = payload(execution);
    assertEquals("DRY_RUN", payload.get("outcome").asText());
    assertTrue(payload.at("/diff/changes/0").asText().startsWith("revokes: "), payload.toString());
    assertTrue(payload.at("/diff/changes/0").asText().contains("444455556666"));
    assertTrue(
        RemediationFixture.sameJson(
            RemediationFixture.defaultPolicy(), payload.at("/diff/targetPolicy").asText()));
    assertEquals(0, fixture.putKeyPolicyCalls());
    assertEquals(0, fixture.server.calls().count("s3", "PutObject"));
    assertEquals(RemediationFixture.partnerDecryptPolicy(), fixture.policyOf(replica));
  }

  @Test
  void run_alignedReplica_noChangeAndNoWrite() {
    KeyMetadata primary = fixture.primary(RemediationFixture.defaultPolicy());
    KeyMetadata replica = fixture.replica(primary, RemediationFixture.defaultPolicy());

    AutomationInterpreter.Execution execution = align(replica, "false");

    assertTrue(execution.succeeded(), execution.toString());
    assertEquals("NO_CHANGE", payload(execution).get("outcome").asText());
    assertEquals(0, fixture.putKeyPolicyCalls());
    assertEquals(0, fixture.server.calls().count("s3", "PutObject"));
  }

  @Test
  void run_primaryBreaksTheBaseline_failsWithRefusedAndWritesNothing() {
    String publicDecrypt =
        RemediationFixture.defaultPolicyWith(
            "{\"Sid\":\"Public\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":"
                + "\"kms:Decrypt\",\"Resource\":\"*\"}");
    KeyMetadata primary = fixture.primary(publicDecrypt);
    KeyMetadata replica = fixture.replica(primary, RemediationFixture.defaultPolicy());

    AutomationInterpreter.Execution execution = align(replica, "false");

    assertFalse(execution.succeeded());
    assertEquals("FailWithOutcome", execution.failedStep());
    assertTrue(
        execution.failureMessage().contains("\"outcome\":\"REFUSED\""), execution.failureMessage());
    assertTrue(execution.failureMessage().contains("needs attention"), execution.failureMessage());
    assertEquals(0, fixture.putKeyPolicyCalls());
    assertTrue(
        RemediationFixture.sameJson(RemediationFixture.defaultPolicy(), fixture.policyOf(replica)));
  }

  @Test
  void run_targetWouldLockOutTheFunction_failsAndTheOldPolicyStays() {
    String adminOnly = RemediationFixture.onlyRolesPolicy(RemediationFixture.ADMIN_ROLE);
    String adminAndFunction =
        RemediationFixture.onlyRolesPolicy(
            RemediationFixture.ADMIN_ROLE, RemediationFixture.FUNCTION_ROLE);
    KeyMetadata primary = fixture.primary(adminOnly, RemediationFixture.ADMIN_KEY);
    KeyMetadata replica = fixture.replica(primary, adminAndFunction, RemediationFixture.ADMIN_KEY);

    AutomationInterpreter.Execution execution = align(replica, "false");

    assertFalse(execution.succeeded());
    String message = execution.failureMessage();
    assertTrue(message.contains("\"outcome\":\"FAILED\""), message);
    assertTrue(message.contains("MalformedPolicyDocumentException"), message);
    assertTrue(message.contains("the previous policy stays in force"), message);
    assertEquals(adminAndFunction, fixture.policyOf(replica));
  }

  @Test
  void run_primaryKey_stopsBeforeTheFunctionRuns() {
    KeyMetadata primary =
        fixture.kms(RemediationFixture.HOME).createKey(r -> r.multiRegion(true)).keyMetadata();

    AutomationInterpreter.Execution execution = align(primary, "false");

    assertEquals("AssertReplica", execution.failedStep());
    assertEquals(List.of("AssertReplica"), execution.steps());
    assertTrue(execution.failureMessage().contains("PRIMARY"), execution.failureMessage());
  }

  @Test
  void run_throttlingOnEveryOperation_stillAppliesCorrectly() {
    KeyMetadata replica = driftedReplica();
    fixture.server.faults().add("*:*:throttle=0.4");

    AutomationInterpreter.Execution execution = align(replica, "false");

    fixture.server.faults().clear();
    assertTrue(execution.succeeded(), execution.toString());
    assertEquals("APPLIED", payload(execution).get("outcome").asText());
    assertTrue(
        RemediationFixture.sameJson(RemediationFixture.defaultPolicy(), fixture.policyOf(replica)));
    assertEquals("COMPLIANT", fixture.ruleVerdict(replica));
  }

  @Test
  void run_parametersOutsideTheirPatterns_areRejectedBeforeAnyStep() {
    AutomationInterpreter document = fixture.alignDocument(fixture.handler());

    assertThrows(
        IllegalArgumentException.class,
        () ->
            document.run(
                Map.of(
                    "KeyId",
                    "1234abcd-12ab-34cd-56ef-1234567890ab",
                    "AutomationAssumeRole",
                    AUTOMATION_ROLE)));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            document.run(
                Map.of(
                    "KeyId", "mrk-1234abcd12ab34cd56ef1234567890ab",
                    "AutomationAssumeRole", AUTOMATION_ROLE,
                    "DryRun", "yes")));
  }

  @Test
  void run_functionCrashes_failsThroughTheDefaultBranch() {
    KeyMetadata replica = driftedReplica();
    com.amazonaws.services.lambda.runtime.RequestStreamHandler crashing =
        (in, out, context) -> {
          throw new IllegalStateException("out of memory");
        };

    AutomationInterpreter.Execution execution =
        fixture
            .alignDocument(crashing)
            .run(
                Map.of(
                    "KeyId",
                    replica.keyId(),
                    "AutomationAssumeRole",
                    AUTOMATION_ROLE,
                    "DryRun",
                    "false"));

    assertEquals("FailWithOutcome", execution.failedStep());
    assertTrue(execution.failureMessage().contains("out of memory"), execution.failureMessage());
  }
}
