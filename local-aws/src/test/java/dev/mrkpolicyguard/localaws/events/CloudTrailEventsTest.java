package dev.mrkpolicyguard.localaws.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.localaws.TestClients;
import dev.mrkpolicyguard.localaws.kms.PermissiveLockoutCheck;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.MalformedPolicyDocumentException;

class CloudTrailEventsTest {
  private static final String ACCOUNT = "111122223333";
  private static final String POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\","
          + "\"Resource\":\"*\"}]}";
  private static LocalAwsServer server;
  private static KmsClient east;
  private String keyId;

  @BeforeAll
  static void start() {
    server = LocalAwsServer.builder().lockoutCheck(PermissiveLockoutCheck.INSTANCE).build().start();
    east = TestClients.kms(server, "us-east-1");
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.reset();
    keyId = east.createKey(r -> r.multiRegion(true)).keyMetadata().keyId();
  }

  private String arn(String region) {
    return "arn:aws:kms:" + region + ":" + ACCOUNT + ":key/" + keyId;
  }

  private JsonNode last(String region) {
    List<JsonNode> events = server.events().delivered(ACCOUNT, region);
    return events.get(events.size() - 1);
  }

  @Test
  void putKeyPolicy_primary_deliversTheCloudTrailEnvelopeToItsRegionsBus() {
    east.putKeyPolicy(r -> r.keyId(keyId).policy(POLICY));

    JsonNode event = last("us-east-1");

    assertEquals("AWS API Call via CloudTrail", event.path("detail-type").asText());
    assertEquals("aws.kms", event.path("source").asText());
    assertEquals(ACCOUNT, event.path("account").asText());
    assertEquals("us-east-1", event.path("region").asText());
    assertTrue(event.path("resources").isArray() && event.path("resources").isEmpty());
    JsonNode detail = event.path("detail");
    assertEquals("kms.amazonaws.com", detail.path("eventSource").asText());
    assertEquals("PutKeyPolicy", detail.path("eventName").asText());
    assertEquals("us-east-1", detail.path("awsRegion").asText());
    assertEquals(keyId, detail.at("/requestParameters/keyId").asText());
    assertEquals(POLICY, detail.at("/requestParameters/policy").asText());
    assertTrue(detail.path("responseElements").isNull());
    assertEquals(arn("us-east-1"), detail.at("/resources/0/ARN").asText());
    assertEquals("AWS::KMS::Key", detail.at("/resources/0/type").asText());
    assertEquals("Root", detail.at("/userIdentity/type").asText());
    assertFalse(detail.path("readOnly").asBoolean());
  }

  @Test
  void replicateKey_primary_recordInItsRegionAndCreateKeyInTheReplicas() {
    east.replicateKey(r -> r.keyId(keyId).replicaRegion("eu-west-1"));

    JsonNode replicate = last("us-east-1").path("detail");
    JsonNode create = last("eu-west-1").path("detail");

    assertEquals("ReplicateKey", replicate.path("eventName").asText());
    assertEquals("eu-west-1", replicate.at("/requestParameters/replicaRegion").asText());
    assertEquals(arn("us-east-1"), replicate.at("/resources/0/ARN").asText());
    assertEquals(
        arn("eu-west-1"), replicate.at("/responseElements/replicaKeyMetadata/arn").asText());
    assertEquals(
        ACCOUNT, replicate.at("/responseElements/replicaKeyMetadata/aWSAccountId").asText());
    assertEquals("CreateKey", create.path("eventName").asText());
    assertEquals(arn("eu-west-1"), create.at("/resources/0/ARN").asText());
  }

  @Test
  void updatePrimaryRegion_twoRecords_theNewPrimarysByKmsWithoutResources() {
    east.replicateKey(r -> r.keyId(keyId).replicaRegion("eu-west-1"));
    east.updatePrimaryRegion(r -> r.keyId(keyId).primaryRegion("eu-west-1"));

    JsonNode caller = last("us-east-1").path("detail");
    JsonNode echo = last("eu-west-1").path("detail");

    assertEquals("UpdatePrimaryRegion", caller.path("eventName").asText());
    assertEquals("eu-west-1", caller.at("/requestParameters/primaryRegion").asText());
    assertEquals(arn("us-east-1"), caller.at("/responseElements/keyId").asText());
    assertEquals(arn("us-east-1"), caller.at("/resources/0/ARN").asText());
    assertEquals("UpdatePrimaryRegion", echo.path("eventName").asText());
    assertEquals("kms.amazonaws.com", echo.at("/userIdentity/invokedBy").asText());
    assertTrue(echo.path("resources").isMissingNode());
  }

  @Test
  void scheduleKeyDeletion_key_recordsWindowAndState() {
    east.scheduleKeyDeletion(r -> r.keyId(keyId).pendingWindowInDays(7));

    JsonNode detail = last("us-east-1").path("detail");

    assertEquals("ScheduleKeyDeletion", detail.path("eventName").asText());
    assertEquals(7, detail.at("/requestParameters/pendingWindowInDays").asInt());
    assertEquals("PendingDeletion", detail.at("/responseElements/keyState").asText());
  }

  @Test
  void putKeyPolicy_refused_recordedWithItsErrorCode() {
    assertThrows(
        MalformedPolicyDocumentException.class,
        () -> east.putKeyPolicy(r -> r.keyId(keyId).policy("{}")));

    JsonNode detail = last("us-east-1").path("detail");

    assertEquals("MalformedPolicyDocumentException", detail.path("errorCode").asText());
    assertEquals(arn("us-east-1"), detail.at("/resources/0/ARN").asText());
  }

  @Test
  void describeKey_readOnly_deliversNothing() {
    int before = server.events().delivered(ACCOUNT, "us-east-1").size();

    east.describeKey(r -> r.keyId(keyId));

    assertEquals(before, server.events().delivered(ACCOUNT, "us-east-1").size());
  }

  @Test
  void drain_region_emptiesItsBusOnly() {
    east.replicateKey(r -> r.keyId(keyId).replicaRegion("eu-west-1"));

    assertEquals(2, server.events().drain(ACCOUNT, "us-east-1").size());
    assertEquals(List.of(), server.events().delivered(ACCOUNT, "us-east-1"));
    assertEquals(1, server.events().delivered(ACCOUNT, "eu-west-1").size());
  }
}
