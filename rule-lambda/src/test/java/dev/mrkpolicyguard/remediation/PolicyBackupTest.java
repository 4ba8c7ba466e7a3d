package dev.mrkpolicyguard.remediation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PolicyBackupTest {
  private static final String ARN =
      "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
  private static final PolicyBackup BACKUP =
      PolicyBackup.of(
          ARN, "{\"Statement\":[]}", "align", Instant.parse("2026-11-28T12:00:05.123Z"));

  @Test
  void fromJson_ofToJson_isTheSameBackup() {
    assertEquals(BACKUP, PolicyBackup.fromJson(BACKUP.toJson()).orElseThrow());
  }

  @Test
  void intact_policyEditedInTheFile_isFalse() {
    String edited = new String(BACKUP.toJson(), StandardCharsets.UTF_8).replace("[]", "[ ]");
    assertFalse(
        PolicyBackup.fromJson(edited.getBytes(StandardCharsets.UTF_8)).orElseThrow().intact());
    assertTrue(BACKUP.intact());
  }

  @Test
  void relativeName_isAccountRegionKeyAndUtcStamp() {
    assertEquals(
        "111122223333/eu-west-1/mrk-1234abcd12ab34cd56ef1234567890ab/20261128T120005.123Z.json",
        BackupStore.relativeName(BACKUP));
  }

  @Test
  void fromJson_notABackup_isEmpty() {
    assertTrue(PolicyBackup.fromJson("{\"format\":2}".getBytes(StandardCharsets.UTF_8)).isEmpty());
  }
}
