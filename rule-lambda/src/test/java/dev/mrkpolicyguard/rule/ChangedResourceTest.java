package dev.mrkpolicyguard.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangedResourceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = "111122223333";
  private static final String KEY = "mrk-1234abcd12ab34cd56ef1234567890ab";
  private static final String ARN = "arn:aws:kms:eu-west-1:" + ACCOUNT + ":key/" + KEY;

  private static JsonNode item(String fields) throws Exception {
    return JSON.readTree(
        "{\"resourceType\":\"AWS::KMS::Key\",\"resourceId\":\""
            + KEY
            + "\",\"configurationItemCaptureTime\":\"2026-11-28T11:59:00.000Z\""
            + fields
            + "}");
  }

  private static ChangedResource resource(String arn, String status) {
    return new ChangedResource(
        ChangedResource.KMS_KEY, KEY, arn, status, Instant.EPOCH, "eu-west-1", ACCOUNT);
  }

  @Test
  void fromEvent_eventShape_readsArnAccountAndTime() throws Exception {
    ChangedResource r =
        ChangedResource.fromEvent(
            item(",\"ARN\":\"" + ARN + "\",\"awsAccountId\":\"" + ACCOUNT + "\""), "item");

    assertEquals(ARN, r.arn());
    assertEquals(ACCOUNT, r.accountId());
    assertEquals(Instant.parse("2026-11-28T11:59:00Z"), r.captureTime());
    assertEquals("OK", r.status());
  }

  @Test
  void fromEvent_apiShape_readsLowerCaseArnAndAccountId() throws Exception {
    ChangedResource r =
        ChangedResource.fromEvent(
            item(",\"arn\":\"" + ARN + "\",\"accountId\":\"" + ACCOUNT + "\""), "item");

    assertEquals(ARN, r.arn());
    assertEquals(ACCOUNT, r.accountId());
  }

  @Test
  void fromEvent_captureTimeWithoutOffset_refusedNamingTheValue() throws Exception {
    JsonNode item =
        JSON.readTree(
            "{\"resourceType\":\"AWS::KMS::Key\",\"resourceId\":\"k\","
                + "\"configurationItemCaptureTime\":\"yesterday\"}");

    RuleConfigurationException e =
        assertThrows(
            RuleConfigurationException.class, () -> ChangedResource.fromEvent(item, "item"));
    assertTrue(e.getMessage().contains("'yesterday'"), e.getMessage());
  }

  @Test
  void fromEvent_missingResourceId_refused() throws Exception {
    JsonNode item = JSON.readTree("{\"resourceType\":\"AWS::KMS::Key\"}");

    assertThrows(RuleConfigurationException.class, () -> ChangedResource.fromEvent(item, "item"));
  }

  @Test
  void mismatches_matchingKey_none() {
    assertEquals(List.of(), resource(ARN, "OK").mismatches("aws", "eu-west-1", ACCOUNT));
  }

  @Test
  void mismatches_arnInThePrimarysRegion_named() {
    String inPrimaryRegion = ARN.replace("eu-west-1", "us-east-1");

    List<String> problems = resource(inPrimaryRegion, "OK").mismatches("aws", "eu-west-1", ACCOUNT);

    assertEquals(1, problems.size());
    assertTrue(problems.get(0).contains("us-east-1"), problems.get(0));
  }

  @Test
  void mismatches_arnOfAnotherKeyAccountAndPartition_eachNamed() {
    String other = "arn:aws-cn:kms:eu-west-1:444455556666:key/mrk-other";

    assertEquals(3, resource(other, "OK").mismatches("aws", "eu-west-1", ACCOUNT).size());
  }

  @Test
  void mismatches_garbageArn_saysItIsNotAKeyArn() {
    assertEquals(
        List.of("ARN 'garbage' is not a KMS key ARN"),
        resource("garbage", "OK").mismatches("aws", "eu-west-1", ACCOUNT));
  }

  @Test
  void mismatches_noArnOnALiveKey_refusedButAllowedOnceDeleted() {
    assertEquals(1, resource(null, "OK").mismatches("aws", "eu-west-1", ACCOUNT).size());
    assertEquals(
        List.of(), resource(null, "ResourceDeleted").mismatches("aws", "eu-west-1", ACCOUNT));
  }

  @Test
  void isEvaluable_deletedKey_notEvaluableAndSaysWhy() {
    ChangedResource deleted = resource(ARN, "ResourceDeleted");

    assertFalse(deleted.isEvaluable());
    assertEquals(
        "The key is no longer recorded by AWS Config (ResourceDeleted).",
        deleted.whyNotApplicable());
  }
}
