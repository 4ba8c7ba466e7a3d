package dev.mrkpolicyguard.trigger;

import static dev.mrkpolicyguard.trigger.Fakes.arn;
import static dev.mrkpolicyguard.trigger.Fakes.example;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KmsChangeTest {
  private static KmsChange change(String file) {
    return assertInstanceOf(KmsChange.Parsed.Change.class, KmsChange.parse(example(file))).change();
  }

  @ParameterizedTest
  @CsvSource({
    "cloudtrail-put-key-policy.json, PutKeyPolicy, ''",
    "cloudtrail-replicate-key.json, ReplicateKey, eu-west-1",
    "cloudtrail-update-primary-region.json, UpdatePrimaryRegion, eu-west-1",
    "cloudtrail-schedule-key-deletion.json, ScheduleKeyDeletion, ''",
    "cloudtrail-cancel-key-deletion.json, CancelKeyDeletion, ''"
  })
  void parse_example_keyArnFromResourcesAndTheOtherRegion(String file, String name, String other) {
    KmsChange change = change(file);

    assertEquals(name, change.eventName());
    assertEquals("us-east-1", change.region());
    assertEquals(Fakes.ACCOUNT, change.account());
    assertEquals(arn("us-east-1"), change.keyArn());
    assertEquals(other.isEmpty() ? null : other, change.otherRegion());
  }

  @Test
  void parse_updatePrimaryRegionWrittenByKms_ignoredAsTheEchoOfTheCallersRecord() {
    var parsed = KmsChange.parse(example("cloudtrail-update-primary-region-new-primary.json"));

    var ignored = assertInstanceOf(KmsChange.Parsed.Ignored.class, parsed);
    assertEquals(arn("eu-west-1"), ignored.keyArn());
    assertTrue(ignored.reason().contains("KMS's own record"));
  }

  @Test
  void parse_failedCall_ignored() {
    ObjectNode event = (ObjectNode) example("cloudtrail-put-key-policy.json");
    ((ObjectNode) event.get("detail")).put("errorCode", "MalformedPolicyDocumentException");

    var ignored = assertInstanceOf(KmsChange.Parsed.Ignored.class, KmsChange.parse(event));

    assertTrue(ignored.reason().contains("MalformedPolicyDocumentException"));
  }

  @Test
  void parse_keyIdWithoutResources_arnBuiltInTheCallsRegion() {
    ObjectNode event = (ObjectNode) example("cloudtrail-put-key-policy.json");
    ((ObjectNode) event.get("detail")).remove("resources");

    assertEquals(
        arn("us-east-1"), ((KmsChange.Parsed.Change) KmsChange.parse(event)).change().keyArn());
  }

  @Test
  void parse_singleRegionKey_ignored() {
    ObjectNode event = (ObjectNode) example("cloudtrail-put-key-policy.json");
    ((ObjectNode) event.at("/detail/resources/0"))
        .put("ARN", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");

    assertInstanceOf(KmsChange.Parsed.Ignored.class, KmsChange.parse(event));
  }

  @Test
  void parse_keyOfAnotherAccount_ignored() {
    ObjectNode event = (ObjectNode) example("cloudtrail-put-key-policy.json");
    ((ObjectNode) event.at("/detail/resources/0"))
        .put("ARN", "arn:aws:kms:us-east-1:444455556666:key/" + Fakes.KEY);

    var ignored = assertInstanceOf(KmsChange.Parsed.Ignored.class, KmsChange.parse(event));

    assertTrue(ignored.reason().contains("444455556666"));
  }

  @Test
  void parse_otherOperation_ignored() {
    ObjectNode event = (ObjectNode) example("cloudtrail-cancel-key-deletion.json");
    ((ObjectNode) event.get("detail")).put("eventName", "DisableKey");

    assertInstanceOf(KmsChange.Parsed.Ignored.class, KmsChange.parse(event));
  }

  @Test
  void parse_configEvent_malformed() {
    var parsed = KmsChange.parse(example("scheduled-notification.json"));

    assertInstanceOf(KmsChange.Parsed.Malformed.class, parsed);
  }

  @Test
  void parse_replicateKeyWithoutReplicaRegion_malformed() {
    ObjectNode event = (ObjectNode) example("cloudtrail-replicate-key.json");
    ((ObjectNode) event.at("/detail/requestParameters")).remove("replicaRegion");

    assertInstanceOf(KmsChange.Parsed.Malformed.class, KmsChange.parse(event));
  }
}
