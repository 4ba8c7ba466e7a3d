package dev.mrkpolicyguard.remediation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RemediationRequestTest {
  private static final String ARN =
      "arn:aws:kms:ap-southeast-2:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";

  private static RemediationRequest.Parsed parse(String json) {
    return RemediationRequest.parse(RemediationFixture.parse(json), "eu-west-1");
  }

  private static RemediationRequest valid(String json) {
    return assertInstanceOf(RemediationRequest.Parsed.Valid.class, parse(json)).request();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "| true",
        ",\"DryRun\":true | true",
        ",\"DryRun\":\"true\" | true",
        ",\"DryRun\":false | false",
        ",\"DryRun\":\"false\" | false"
      })
  void parse_dryRunAsBooleanStringOrAbsent_readsIt(String field, boolean expected) {
    String json = "{\"KeyId\":\"" + ARN + "\"" + (field == null ? "" : field) + "}";
    assertEquals(expected, valid(json).dryRun());
  }

  @org.junit.jupiter.api.Test
  void parse_keyArn_takesTheRegionFromTheArn() {
    assertEquals("ap-southeast-2", valid("{\"KeyId\":\"" + ARN + "\"}").region());
  }

  @org.junit.jupiter.api.Test
  void parse_bareKeyId_usesTheFunctionRegion() {
    assertEquals(
        "eu-west-1", valid("{\"KeyId\":\"mrk-1234abcd12ab34cd56ef1234567890ab\"}").region());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "[]",
        "{\"KeyId\":\"1234abcd-12ab-34cd-56ef-1234567890ab\"}",
        "{\"KeyId\":\"mrk-1234abcd12ab34cd56ef1234567890ab\",\"DryRun\":\"yes\"}",
        "{\"KeyId\":\"mrk-1234abcd12ab34cd56ef1234567890ab\",\"Mode\":\"RESTORE\"}",
        "{\"KeyId\":\"mrk-1234abcd12ab34cd56ef1234567890ab\",\"BackupUri\":\"s3://b/k.json\"}",
        "{\"KeyId\":\"mrk-1234abcd12ab34cd56ef1234567890ab\",\"Mode\":\"DELETE\"}",
        "{\"KeyId\":\"mrk-1234abcd12ab34cd56ef1234567890ab\",\"Bypass\":true}",
        "{\"KeyId\":\"mrk-1234abcd12ab34cd56ef1234567890ab\",\"Force\":true}",
        "{\"KeyId\":\"mrk-1234abcd12ab34cd56ef1234567890ab\",\"Mode\":\"RESTORE\","
            + "\"BackupUri\":\"s3://b/k.json\",\"Force\":\"yes\"}"
      })
  void parse_invalidInput_isInvalidWithAProblem(String json) {
    RemediationRequest.Parsed parsed = parse(json);
    assertTrue(parsed instanceof RemediationRequest.Parsed.Invalid, json);
  }

  @org.junit.jupiter.api.Test
  void parse_restoreWithBackup_isARestore() {
    RemediationRequest request =
        valid("{\"KeyId\":\"" + ARN + "\",\"Mode\":\"RESTORE\",\"BackupUri\":\"s3://b/k.json\"}");
    assertEquals(Mode.RESTORE, request.mode());
    assertEquals("s3://b/k.json", request.backupUri());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "| false",
        ",\"Force\":true | true",
        ",\"Force\":\"true\" | true",
        ",\"Force\":\"false\" | false"
      })
  void parse_restoreWithForce_readsItAsBooleanOrString(String field, boolean expected) {
    String json =
        "{\"KeyId\":\""
            + ARN
            + "\",\"Mode\":\"RESTORE\",\"BackupUri\":\"s3://b/k.json\""
            + (field == null ? "" : field)
            + "}";
    assertEquals(expected, valid(json).force());
  }
}
