package dev.mrkpolicyguard.rule;

import static dev.mrkpolicyguard.rule.RuleFixture.ACCOUNT;
import static dev.mrkpolicyguard.rule.RuleFixture.HOME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * Change-triggered events whose configuration item cannot be about a key of the rule's account and
 * Region: nothing is posted for them, the mismatch is logged and counted. Events are the samples of
 * examples/events, naming keys of the local stand-in.
 */
class ChangeItemValidationIT {
  private final RuleFixture fixture = new RuleFixture();

  @AfterEach
  void stop() {
    fixture.close();
  }

  /** A replica in the rule's Region (eu-west-1) of a us-east-1 primary. */
  private KeyMetadata replica(String policy) {
    return fixture.replica(fixture.primary("us-east-1").arn(), HOME, policy);
  }

  private static String inRegion(KeyMetadata key, String region) {
    return key.arn().replace(":" + HOME + ":", ":" + region + ":");
  }

  /** Runs {@code event}; asserts that nothing was posted and returns the rejection's log line. */
  private JsonNode rejected(ObjectNode event) {
    long kmsCalls = fixture.server.calls().count("kms", "DescribeKey");

    JsonNode posted = fixture.invoke(event);

    assertEquals(0, posted.size());
    assertEquals(0, fixture.server.calls().count("config", "PutEvaluations"));
    assertEquals(kmsCalls, fixture.server.calls().count("kms", "DescribeKey"));
    List<JsonNode> lines =
        fixture.logLines().stream()
            .filter(
                l ->
                    "configuration item rejected; nothing posted for it"
                        .equals(l.path("message").asText()))
            .toList();
    assertEquals(1, lines.size(), fixture.logLines().toString());
    assertEquals("ERROR", lines.get(0).get("level").asText());
    assertEquals(1, fixture.lastMetrics().get("ItemsRejected").asInt());
    assertEquals(1, fixture.lastMetrics().get("Errors").asInt());
    return lines.get(0);
  }

  private static String problems(JsonNode line) {
    return line.get("problems").toString();
  }

  @Test
  void handleRequest_sampleChangeEventForAKeyOfTheRulesRegion_isEvaluated() {
    KeyMetadata replica = replica(RuleFixture.partnerDecryptPolicy(ACCOUNT));

    JsonNode posted =
        fixture.invoke(RuleFixture.exampleEvent("configuration-item-change.json", replica));

    assertEquals(replica.keyId(), posted.at("/0/ComplianceResourceId").asText());
    assertEquals("NON_COMPLIANT", posted.at("/0/ComplianceType").asText());
    assertEquals(0, fixture.lastMetrics().get("ItemsRejected").asInt());
  }

  @Test
  void handleRequest_itemNamingTheKeyIdInThePrimarysRegion_postsNothing() {
    // Posted as is, the primary's COMPLIANT would land on this drifted replica.
    KeyMetadata replica = replica(RuleFixture.partnerDecryptPolicy(ACCOUNT));
    ObjectNode event = RuleFixture.exampleEvent("configuration-item-change.json", replica);
    ObjectNode item = RuleFixture.itemOf(event);
    item.put("ARN", inRegion(replica, "us-east-1"));
    item.put("awsRegion", "us-east-1");

    JsonNode line = rejected(RuleFixture.withItem(event, item));

    assertTrue(
        problems(line).contains("awsRegion us-east-1 is not the rule's Region eu-west-1"),
        problems(line));
    assertTrue(problems(line).contains("is in us-east-1, not the rule's Region"), problems(line));
    assertEquals(replica.keyId(), line.get("resourceId").asText());
  }

  @Test
  void handleRequest_garbageArnForAMultiRegionKey_postsNothing() {
    // Posted as is, the ARN's last part reads as a single-Region key id: NOT_APPLICABLE.
    KeyMetadata replica = replica(RuleFixture.partnerDecryptPolicy(ACCOUNT));
    ObjectNode event = RuleFixture.exampleEvent("configuration-item-change.json", replica);
    ObjectNode item = RuleFixture.itemOf(event);
    item.put("ARN", "garbage/not-an-arn");

    JsonNode line = rejected(RuleFixture.withItem(event, item));

    assertTrue(
        problems(line).contains("ARN 'garbage/not-an-arn' is not a KMS key ARN"), problems(line));
  }

  @Test
  void handleRequest_arnOfOneKeyWithResourceIdOfAnother_postsNothing() {
    // Posted as is, key A's NON_COMPLIANT would land on key B.
    KeyMetadata drifted = replica(RuleFixture.partnerDecryptPolicy(ACCOUNT));
    KeyMetadata matching = replica(RuleFixture.defaultPolicy(ACCOUNT));
    ObjectNode event = RuleFixture.exampleEvent("configuration-item-change.json", matching);
    ObjectNode item = RuleFixture.itemOf(event);
    item.put("ARN", drifted.arn());

    JsonNode line = rejected(RuleFixture.withItem(event, item));

    assertTrue(
        problems(line)
            .contains("names key " + drifted.keyId() + ", not the resourceId " + matching.keyId()),
        problems(line));
  }

  @Test
  void handleRequest_itemOfAnotherAccount_postsNothing() {
    KeyMetadata replica = replica(RuleFixture.defaultPolicy(ACCOUNT));
    ObjectNode event = RuleFixture.exampleEvent("configuration-item-change.json", replica);
    ObjectNode item = RuleFixture.itemOf(event);
    item.put("awsAccountId", "444455556666");
    item.put("ARN", replica.arn().replace(ACCOUNT, "444455556666"));

    JsonNode line = rejected(RuleFixture.withItem(event, item));

    assertTrue(
        problems(line)
            .contains("the item's account 444455556666 is not the rule's account " + ACCOUNT),
        problems(line));
    assertTrue(problems(line).contains("is in account 444455556666"), problems(line));
  }

  @Test
  void handleRequest_itemWithoutArn_postsNothing() {
    // Posted as is: NOT_APPLICABLE "no key ARN" for a multi-Region key.
    KeyMetadata replica = replica(RuleFixture.partnerDecryptPolicy(ACCOUNT));
    ObjectNode event = RuleFixture.exampleEvent("configuration-item-change.json", replica);
    ObjectNode item = RuleFixture.itemOf(event);
    item.remove("ARN");

    JsonNode line = rejected(RuleFixture.withItem(event, item));

    assertTrue(problems(line).contains("the item has no ARN"), problems(line));
  }

  @Test
  void handleRequest_deletionOfTheKeyIdInAnotherRegion_postsNoNotApplicableHere() {
    KeyMetadata replica = replica(RuleFixture.partnerDecryptPolicy(ACCOUNT));
    ObjectNode event = RuleFixture.exampleEvent("configuration-item-deleted.json", replica);
    ObjectNode item = RuleFixture.itemOf(event);
    item.put("ARN", inRegion(replica, "us-east-1"));
    item.put("awsRegion", "us-east-1");

    rejected(RuleFixture.withItem(event, item));
  }

  @Test
  void handleRequest_leftScopeItemOfAnotherRegion_postsNoNotApplicableHere() {
    KeyMetadata replica = replica(RuleFixture.partnerDecryptPolicy(ACCOUNT));
    ObjectNode event = RuleFixture.exampleEvent("configuration-item-change.json", replica);
    event.put("eventLeftScope", true);
    ObjectNode item = RuleFixture.itemOf(event);
    item.put("ARN", inRegion(replica, "us-east-1"));
    item.put("awsRegion", "us-east-1");

    rejected(RuleFixture.withItem(event, item));
  }

  @Test
  void handleRequest_oversizedSummaryOfAnotherRegion_postsNothingAndFetchesNothing() {
    KeyMetadata replica = replica(RuleFixture.partnerDecryptPolicy(ACCOUNT));
    ObjectNode event =
        RuleFixture.exampleEvent("oversized-configuration-item-change.json", replica);
    ObjectNode summary = RuleFixture.itemOf(event);
    summary.put("ARN", inRegion(replica, "us-east-1"));
    summary.put("awsRegion", "us-east-1");

    rejected(RuleFixture.withItem(event, summary));

    assertEquals(0, fixture.server.calls().count("config", "GetResourceConfigHistory"));
  }

  @Test
  void handleRequest_sampleOversizedEvent_fetchesTheItemAndEvaluatesIt() {
    KeyMetadata replica = replica(RuleFixture.defaultPolicy(ACCOUNT));

    JsonNode posted =
        fixture.invoke(
            RuleFixture.exampleEvent("oversized-configuration-item-change.json", replica));

    assertEquals(1, fixture.server.calls().count("config", "GetResourceConfigHistory", HOME));
    assertEquals("COMPLIANT", posted.at("/0/ComplianceType").asText());
  }
}
