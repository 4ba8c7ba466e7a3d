package dev.mrkpolicyguard.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mrkpolicyguard.core.ReadFailure;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotKeyTest {
  private static final String MRK = "mrk-0123456789abcdef0123456789abcdef";
  private static final String SINGLE = "1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String PRIMARY = "arn:aws:kms:us-east-1:111122223333:key/" + MRK;
  private static final String REPLICA = "arn:aws:kms:eu-west-1:111122223333:key/" + MRK;
  private static final ReadFailure DENIED =
      new ReadFailure("DescribeKey", "AccessDeniedException", "denied");

  private static SnapshotKey described(String arn, String primaryArn) {
    return new SnapshotKey(
        arn,
        "eu-west-1",
        KeyRole.REPLICA,
        primaryArn,
        false,
        "Enabled",
        new PolicyFact.Known("{}"),
        List.of());
  }

  @Test
  void keyId_keyArn_isTheIdAfterKeySlash() {
    assertEquals(MRK, described(REPLICA, PRIMARY).keyId());
  }

  @Test
  void keyId_notAKeyArn_keepsTheTextAfterKeySlash() {
    assertEquals("odd/id", described("arn:aws:kms:eu-west-1:acct:key/odd/id", null).keyId());
  }

  @Test
  void keyId_aliasArn_keepsEverythingAfterTheFourthCharacter() {
    String alias = "arn:aws:kms:eu-west-1:111122223333:alias/app";
    assertEquals(alias.substring(4), described(alias, null).keyId());
  }

  @Test
  void primaryRegion_keyArn_isThePrimarysRegion() {
    assertEquals("us-east-1", described(REPLICA, PRIMARY).primaryRegion());
  }

  @Test
  void primaryRegion_notAKeyArn_isItsFourthField() {
    assertEquals("ap-south-1", described(REPLICA, "arn:aws:kms:ap-south-1:x:y").primaryRegion());
  }

  @Test
  void primaryRegion_noPrimary_isNull() {
    assertNull(described(REPLICA, null).primaryRegion());
  }

  @Test
  void undescribed_singleRegionKeyId_isSingleRegion() {
    String arn = "arn:aws:kms:eu-west-1:111122223333:key/" + SINGLE;
    SnapshotKey key =
        SnapshotKey.undescribed(arn, "eu-west-1", DENIED, new PolicyFact.NotNeeded(), List.of());
    assertEquals(KeyRole.SINGLE_REGION, key.role());
  }

  @Test
  void undescribed_mrkKeyId_hasNoRole() {
    SnapshotKey key =
        SnapshotKey.undescribed(
            REPLICA, "eu-west-1", DENIED, new PolicyFact.NotNeeded(), List.of());
    assertNull(key.role());
    assertEquals("UNKNOWN", key.roleName());
  }

  @Test
  void undescribed_malformedMrkArn_readsTheIdAfterKeySlashAsToday() {
    SnapshotKey key =
        SnapshotKey.undescribed(
            "arn:aws:kms:eu-west-1:acct:key/" + MRK,
            "eu-west-1",
            DENIED,
            new PolicyFact.NotNeeded(),
            List.of());
    assertNull(key.role());
  }
}
