package dev.mrkpolicyguard.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.aws.AccountReads;
import dev.mrkpolicyguard.core.KeyDescription;
import dev.mrkpolicyguard.core.KeyFactsReader;
import dev.mrkpolicyguard.core.KeyReader;
import dev.mrkpolicyguard.core.KmsKeys;
import dev.mrkpolicyguard.core.KmsRead;
import dev.mrkpolicyguard.core.ListedKey;
import dev.mrkpolicyguard.core.ReadFailure;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fleet capture over a fake of the key port the rule reads through, without HTTP. */
class FleetCaptureTest {
  private static final String PRIMARY =
      "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
  private static final String REPLICA =
      "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
  private static final String POLICY =
      """
      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": "kms:*", "Resource": "*"}]}
      """;

  private final FakeKeys kms = new FakeKeys();
  private final List<String> warnings = new ArrayList<>();

  private ObjectNode capture() {
    FleetCapture capture =
        new FleetCapture(
            kms,
            () -> new AccountReads.Caller.Known("arn:aws:iam::111122223333:root", "111122223333"),
            2);
    ReadOrError<ObjectNode> result =
        capture.collect(
            List.of("us-east-1", "eu-west-1"),
            new FleetCapture.Listener() {
              @Override
              public void listed(String region, int keys) {}

              @Override
              public void keyDone(String region) {}

              @Override
              public void warning(String message) {
                warnings.add(message);
              }
            });
    return result.value();
  }

  /** The replica's facts as the captured snapshot gives them and as the rule reads them. */
  private void assertSnapshotGivesTheRulesFacts(Snapshot snapshot) {
    SnapshotKey replica =
        snapshot.keys().stream().filter(k -> k.arn().equals(REPLICA)).findFirst().orElseThrow();
    KeyReader.Read rule = new KeyFactsReader(kms).read(REPLICA);
    assertEquals(
        assertInstanceOf(KeyReader.Read.Facts.class, rule).facts(), snapshot.facts(replica));
  }

  private static Snapshot read(ObjectNode document) {
    return assertInstanceOf(
            SnapshotReader.Result.Read.class, new SnapshotReader().read(document.toString()))
        .snapshot();
  }

  @Test
  void collect_primaryAndReplica_snapshotGivesTheFactsTheRuleReads() {
    Snapshot snapshot = read(capture());

    assertSnapshotGivesTheRulesFacts(snapshot);
  }

  @Test
  void collect_replicaPolicyDenied_snapshotJudgesItUnreadableAsTheRuleDoes() {
    kms.policyFailures.put(REPLICA, new ReadFailure("GetKeyPolicy", "AccessDeniedException", "no"));

    Snapshot snapshot = read(capture());

    assertSnapshotGivesTheRulesFacts(snapshot);
    assertInstanceOf(PolicyFact.Unreadable.class, snapshot.keys().get(1).policy());
  }

  @Test
  void collect_listKeysThrottled_listsTheRegionAsUnread() {
    kms.listFailures.put("eu-west-1", new ReadFailure("ListKeys", "ThrottlingException", "slow"));

    ObjectNode document = capture();

    assertEquals(1, document.get("keys").size());
    assertEquals("eu-west-1", document.get("unread").get(0).get("region").asText());
    assertEquals("ListKeys", document.get("unread").get(0).get("operation").asText());
  }

  @Test
  void collect_aliasesFail_warnsAndCapturesTheKeys() {
    kms.aliasesFail = true;

    ObjectNode document = capture();

    assertEquals(2, document.get("keys").size());
    assertTrue(warnings.get(0).startsWith("kms:ListAliases failed in "), warnings.toString());
  }

  /** A primary in us-east-1 and its replica in eu-west-1, with faults to inject. */
  private static final class FakeKeys implements KmsKeys {
    final Map<String, ReadFailure> listFailures = new HashMap<>();
    final Map<String, ReadFailure> policyFailures = new HashMap<>();
    boolean aliasesFail;

    @Override
    public KmsRead<List<ListedKey>> listKeys(String region) {
      if (listFailures.containsKey(region)) {
        return new KmsRead.Failed<>(listFailures.get(region));
      }
      String arn = region.equals("us-east-1") ? PRIMARY : REPLICA;
      return new KmsRead.Answered<>(
          List.of(new ListedKey(arn.substring(arn.indexOf("/") + 1), arn)));
    }

    @Override
    public KmsRead<Map<String, List<String>>> aliases(String region) {
      return aliasesFail
          ? new KmsRead.Failed<>(new ReadFailure("ListAliases", "500", "down"))
          : new KmsRead.Answered<>(Map.of());
    }

    @Override
    public KmsRead<KeyDescription> describe(String keyArn) {
      boolean primary = keyArn.equals(PRIMARY);
      String metadata =
          """
          {"Arn": "%s", "KeyManager": "CUSTOMER", "KeyState": "Enabled",
           "KeyUsage": "ENCRYPT_DECRYPT", "KeySpec": "SYMMETRIC_DEFAULT", "MultiRegion": true,
           "MultiRegionConfiguration": {"MultiRegionKeyType": "%s",
             "PrimaryKey": {"Arn": "%s", "Region": "us-east-1"}}}
          """
              .formatted(keyArn, primary ? "PRIMARY" : "REPLICA", PRIMARY);
      return new KmsRead.Answered<>(
          new KeyDescription(
              keyArn,
              primary ? KeyRole.PRIMARY : KeyRole.REPLICA,
              PRIMARY,
              false,
              "Enabled",
              "ENCRYPT_DECRYPT",
              "SYMMETRIC_DEFAULT",
              metadata));
    }

    @Override
    public KmsRead<String> policy(String keyArn) {
      return policyFailures.containsKey(keyArn)
          ? new KmsRead.Failed<>(policyFailures.get(keyArn))
          : new KmsRead.Answered<>(POLICY);
    }
  }
}
