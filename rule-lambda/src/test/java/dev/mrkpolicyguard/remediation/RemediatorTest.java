package dev.mrkpolicyguard.remediation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.core.AwsCallFailed;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.rule.Baseline;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Remediation's backup, re-read, write and verify sequence over fakes of its ports. */
class RemediatorTest {
  private static final String ACCOUNT = "111122223333";
  private static final String KEY = "mrk-1234abcd12ab34cd56ef1234567890ab";
  private static final String REPLICA = "arn:aws:kms:eu-west-1:" + ACCOUNT + ":key/" + KEY;
  private static final String PRIMARY = "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/" + KEY;
  private static final String DEFAULT =
      """
      {"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow",
       "Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}""";
  private static final String PARTNER_DECRYPT =
      """
      {"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow",
       "Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
       {"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},
       "Action":"kms:Decrypt","Resource":"*"}]}""";

  private final Keys keys = new Keys();
  private final Backups backups = new Backups();
  private final Remediator remediator =
      new Remediator(
          keys, backups, Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC));

  private RemediationResult align() {
    return remediator.align(
        new RemediationRequest(KEY, "eu-west-1", false, Mode.ALIGN_TO_PRIMARY, null),
        Baseline.DEFAULT);
  }

  @Test
  void align_driftedReplica_backsUpWritesAndVerifies() {
    RemediationResult result = align();

    assertEquals(Outcome.APPLIED, result.outcome(), result.reason());
    assertEquals("backup-1", result.backupUri());
    assertEquals(PARTNER_DECRYPT, backups.saved.get(0).policy());
    assertTrue(!keys.policies.get(REPLICA).contains("444455556666"), keys.policies.get(REPLICA));
    assertEquals(
        List.of(
            "get " + PRIMARY,
            "get " + REPLICA,
            "save",
            "get " + REPLICA,
            "get " + PRIMARY,
            "put " + REPLICA,
            "get " + REPLICA),
        keys.calls.subList(1, keys.calls.size()));
  }

  @Test
  void align_primaryChangedDuringTheBackup_writesNothingAndNamesTheBackup() {
    backups.onSave = () -> keys.policies.put(PRIMARY, PARTNER_DECRYPT.replace("Decrypt", "Sign"));

    RemediationResult result = align();

    assertEquals(Outcome.FAILED, result.outcome());
    assertTrue(
        result.reason().contains("the primary's policy (us-east-1) changed"), result.reason());
    assertTrue(result.reason().contains("backup-1"), result.reason());
    assertEquals(0, keys.puts);
  }

  @Test
  void align_writeAnswerLostButApplied_readsBackAndReportsApplied() {
    keys.putAnswer = new KeyPolicies.Put.Unknown("an AWS call failed (InternalFailure: 503)");

    RemediationResult result = align();

    assertEquals(Outcome.APPLIED, result.outcome(), result.reason());
    assertTrue(result.reason().contains("answer was lost"), result.reason());
    assertEquals("backup-1", result.backupUri());
  }

  @Test
  void align_writeUnknownAndNotApplied_saysNothingWasWrittenAndNamesTheBackup() {
    keys.putAnswer = new KeyPolicies.Put.Unknown("an AWS call failed (InternalFailure: 503)");
    keys.applyPuts = false;

    RemediationResult result = align();

    assertEquals(Outcome.FAILED, result.outcome());
    assertTrue(result.reason().contains("still the previous one"), result.reason());
    assertTrue(result.reason().contains("backed up at backup-1"), result.reason());
  }

  @Test
  void align_writeRefusedByKms_previousPolicyStaysAndBackupNamed() {
    keys.putAnswer = new KeyPolicies.Put.Refused("MalformedPolicyDocumentException", "no");
    keys.applyPuts = false;

    RemediationResult result = align();

    assertEquals(Outcome.FAILED, result.outcome());
    assertTrue(result.reason().startsWith("KMS refused the new policy"), result.reason());
    assertEquals("backup-1", result.backupUri());
  }

  @Test
  void align_backupFails_writesNothing() {
    backups.onSave =
        () -> {
          throw new AwsCallFailed("AccessDenied: no", "no", null);
        };

    RemediationResult result = align();

    assertEquals(Outcome.FAILED, result.outcome());
    assertTrue(result.reason().startsWith("could not back up"), result.reason());
    assertEquals(0, keys.puts);
  }

  @Test
  void align_primaryKey_refusedWithoutReadingPolicies() {
    keys.type = "PRIMARY";

    RemediationResult result = align();

    assertEquals(Outcome.REFUSED, result.outcome());
    assertEquals(List.of("describe " + KEY), keys.calls);
  }

  @Test
  void align_replicaPendingDeletion_refusedNamingTheState() {
    keys.state = "PendingDeletion";

    RemediationResult result = align();

    assertEquals(Outcome.REFUSED, result.outcome());
    assertTrue(
        result.reason().endsWith("is PendingDeletion; its policy is not rewritten in that state"),
        result.reason());
    assertEquals(0, keys.puts);
  }

  @Test
  void align_describeFails_failedAndNothingWritten() {
    keys.describeFailure = new AwsCallFailed("ThrottlingException: Rate exceeded", "x", null);

    RemediationResult result = align();

    assertEquals(Outcome.FAILED, result.outcome());
    assertTrue(result.reason().contains("ThrottlingException"), result.reason());
    assertTrue(result.reason().endsWith("nothing was written"), result.reason());
  }

  /** Key policies by ARN, one call log for every port call. */
  private final class Keys implements KeyPolicies {
    final Map<String, String> policies =
        new HashMap<>(Map.of(PRIMARY, DEFAULT, REPLICA, PARTNER_DECRYPT));
    final List<String> calls = new ArrayList<>();
    String type = "REPLICA";
    String state = "Enabled";
    AwsCallFailed describeFailure;
    Put putAnswer = new Put.Written();
    boolean applyPuts = true;
    int puts;

    @Override
    public Description describe(String region, String keyId) {
      calls.add("describe " + keyId);
      if (describeFailure != null) {
        throw describeFailure;
      }
      return new Description.Found(REPLICA, type, state, PRIMARY);
    }

    @Override
    public String policy(KeyContext key) {
      calls.add("get " + key.keyArn());
      return policies.get(key.keyArn());
    }

    @Override
    public Put put(KeyContext key, String policy) {
      calls.add("put " + key.keyArn());
      puts++;
      if (applyPuts) {
        policies.put(key.keyArn(), policy);
      }
      return putAnswer;
    }
  }

  /** Backups kept in memory, named backup-1, backup-2, ... */
  private final class Backups implements BackupStore {
    final List<PolicyBackup> saved = new ArrayList<>();
    Runnable onSave = () -> {};

    @Override
    public String save(PolicyBackup backup) {
      keys.calls.add("save");
      onSave.run();
      saved.add(backup);
      return "backup-" + saved.size();
    }

    @Override
    public Fetched load(String location) {
      return new Fetched.Unusable("no backups in this fake");
    }
  }
}
