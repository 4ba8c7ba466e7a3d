package dev.mrkpolicyguard.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.engine.rule.KeyFacts;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotTest {
  private static final String ID = "mrk-0123456789abcdef0123456789abcdef";
  private static final String PRIMARY = "arn:aws:kms:us-east-1:111122223333:key/" + ID;
  private static final String REPLICA = "arn:aws:kms:eu-west-1:111122223333:key/" + ID;

  private static SnapshotKey key(String arn, KeyRole role, PolicyFact policy) {
    String region = arn.split(":")[3];
    return new SnapshotKey(arn, region, role, PRIMARY, false, "Enabled", policy, List.of());
  }

  private static final SnapshotKey REPLICA_KEY =
      key(REPLICA, KeyRole.REPLICA, new PolicyFact.Known("{}"));

  @Test
  void facts_replica_carriesItsPrimarysPolicy() {
    SnapshotKey primary = key(PRIMARY, KeyRole.PRIMARY, new PolicyFact.Known("{\"p\":1}"));
    Snapshot snapshot =
        new Snapshot(
            "111122223333", List.of("us-east-1", "eu-west-1"), null, List.of(primary, REPLICA_KEY));
    assertEquals(new PolicyFact.Known("{\"p\":1}"), snapshot.facts(REPLICA_KEY).primaryPolicy());
  }

  @Test
  void facts_primaryRegionNotCaptured_isUnreadableNotInSnapshot() {
    Snapshot snapshot =
        new Snapshot("111122223333", List.of("eu-west-1"), null, List.of(REPLICA_KEY));
    var unreadable =
        assertInstanceOf(PolicyFact.Unreadable.class, snapshot.facts(REPLICA_KEY).primaryPolicy());
    assertEquals("NotInSnapshot", unreadable.errorCode());
    assertTrue(unreadable.message().contains("us-east-1 was not captured"), unreadable.message());
  }

  @Test
  void facts_primary_hasNoPrimaryPolicy() {
    SnapshotKey primary = key(PRIMARY, KeyRole.PRIMARY, new PolicyFact.Known("{}"));
    KeyFacts facts =
        new Snapshot("111122223333", List.of("us-east-1"), null, List.of(primary)).facts(primary);
    assertEquals(PRIMARY, facts.primaryArn());
    assertNull(facts.primaryPolicy());
  }
}
