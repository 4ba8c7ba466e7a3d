package dev.mrkpolicyguard.remediation;

import static dev.mrkpolicyguard.remediation.RemediationFixture.AUTOMATION_ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/** The SSM document MrkPolicyGuard-RestoreReplicaKeyPolicy, run by the interpreter. */
class RestoreDocumentIT {
  private final RemediationFixture fixture = new RemediationFixture();

  @AfterEach
  void stop() {
    fixture.close();
  }

  /** A drifted replica aligned by the align document; returns the backup URI of its old policy. */
  private String alignedBackup(KeyMetadata replica) {
    AutomationInterpreter.Execution aligned =
        fixture
            .alignDocument(fixture.handler())
            .run(
                Map.of(
                    "KeyId",
                    replica.keyId(),
                    "AutomationAssumeRole",
                    AUTOMATION_ROLE,
                    "DryRun",
                    "false"));
    return RemediationFixture.parse(aligned.outputs().get("Remediate.Payload"))
        .get("backupUri")
        .asText();
  }

  private AutomationInterpreter.Execution restore(KeyMetadata replica, String backupUri) {
    return fixture
        .restoreDocument(fixture.handler())
        .run(
            Map.of(
                "KeyId",
                replica.keyId(),
                "BackupUri",
                backupUri,
                "AutomationAssumeRole",
                AUTOMATION_ROLE));
  }

  private AutomationInterpreter.Execution forcedRestore(KeyMetadata replica, String backupUri) {
    return fixture
        .restoreDocument(fixture.handler())
        .run(
            Map.of(
                "KeyId",
                replica.keyId(),
                "BackupUri",
                backupUri,
                "AutomationAssumeRole",
                AUTOMATION_ROLE,
                "Force",
                "true"));
  }

  private KeyMetadata driftedReplica() {
    KeyMetadata primary = fixture.primary(RemediationFixture.defaultPolicy());
    return fixture.replica(primary, RemediationFixture.partnerDecryptPolicy());
  }

  @Test
  void run_backupGrantingWhatTheAlignRevoked_failsRefusedAndWritesNothing() {
    KeyMetadata replica = driftedReplica();
    String backupUri = alignedBackup(replica);
    long writes = fixture.putKeyPolicyCalls();

    AutomationInterpreter.Execution execution = restore(replica, backupUri);

    assertFalse(execution.succeeded());
    assertTrue(execution.failureMessage().contains("\"outcome\":\"REFUSED\""));
    assertTrue(
        execution
            .failureMessage()
            .contains(
                " grants access the current policy does not (grants: arn:aws:iam::444455556666"));
    assertEquals(writes, fixture.putKeyPolicyCalls());
  }

  @Test
  void run_backupOfThisKeyForced_putsBackExactlyTheBackedUpPolicy() {
    KeyMetadata replica = driftedReplica();
    String backupUri = alignedBackup(replica);

    AutomationInterpreter.Execution execution = forcedRestore(replica, backupUri);

    assertTrue(execution.succeeded(), execution.toString());
    JsonNode payload = RemediationFixture.parse(execution.outputs().get("Restore.Payload"));
    assertEquals("APPLIED", payload.get("outcome").asText());
    assertEquals(RemediationFixture.partnerDecryptPolicy(), fixture.policyOf(replica));
    assertEquals("NON_COMPLIANT", fixture.ruleVerdict(replica));
  }

  @Test
  void run_restoreTwice_secondIsNoChange() {
    KeyMetadata replica = driftedReplica();
    String backupUri = alignedBackup(replica);
    forcedRestore(replica, backupUri);
    long writes = fixture.putKeyPolicyCalls();

    AutomationInterpreter.Execution again = restore(replica, backupUri);

    assertTrue(again.succeeded(), again.toString());
    assertTrue(again.outputs().get("Restore.Payload").contains("\"outcome\":\"NO_CHANGE\""));
    assertEquals(writes, fixture.putKeyPolicyCalls());
  }

  @Test
  void run_backupOfAnotherKey_failsWithRefused() {
    KeyMetadata replica = driftedReplica();
    String backupUri = alignedBackup(replica);
    KeyMetadata other = driftedReplica();
    long writes = fixture.putKeyPolicyCalls();

    AutomationInterpreter.Execution execution = restore(other, backupUri);

    assertFalse(execution.succeeded());
    assertTrue(execution.failureMessage().contains("\"outcome\":\"REFUSED\""));
    assertTrue(execution.failureMessage().contains("belongs to " + replica.arn()));
    assertEquals(writes, fixture.putKeyPolicyCalls());
  }

  @Test
  void run_alteredBackup_failsWithRefused() {
    KeyMetadata replica = driftedReplica();
    String backupUri = alignedBackup(replica);
    String key = backupUri.substring(("s3://" + RemediationFixture.BUCKET + "/").length());
    var s3 = fixture.s3(RemediationFixture.ROOT_KEY, null);
    String altered =
        s3.getObjectAsBytes(r -> r.bucket(RemediationFixture.BUCKET).key(key))
            .asUtf8String()
            .replace("444455556666", "777788889999");
    s3.putObject(
        r -> r.bucket(RemediationFixture.BUCKET).key(key),
        software.amazon.awssdk.core.sync.RequestBody.fromString(altered));

    AutomationInterpreter.Execution execution = restore(replica, backupUri);

    assertFalse(execution.succeeded());
    assertTrue(execution.failureMessage().contains("does not match its SHA-256"));
    assertTrue(
        RemediationFixture.sameJson(RemediationFixture.defaultPolicy(), fixture.policyOf(replica)));
  }
}
