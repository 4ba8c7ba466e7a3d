package dev.mrkpolicyguard.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.mrkpolicyguard.core.ReadFailure;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SnapshotReaderTest {
  private static final String ARN =
      "arn:aws:kms:us-east-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef";

  private static SnapshotReader.Result read(String json) {
    return new SnapshotReader().read(json);
  }

  private static List<String> problems(String json) {
    var invalid = assertInstanceOf(SnapshotReader.Result.Invalid.class, read(json));
    return invalid.problems().stream().map(SnapshotProblem::describe).toList();
  }

  /** A snapshot of one key whose fields are {@code key}, with Regions us-east-1 only. */
  private static String oneKey(String key) {
    return "{\"version\":1,\"account\":\"111122223333\",\"regions\":[\"us-east-1\"],\"keys\":["
        + key
        + "]}";
  }

  private static String singleRegion(String policyFields) {
    return oneKey(
        "{\"region\":\"us-east-1\",\"metadata\":{\"Arn\":\""
            + ARN
            + "\",\"KeyManager\":\"CUSTOMER\",\"KeyState\":\"Enabled\",\"MultiRegion\":false},"
            + policyFields
            + "}");
  }

  @Test
  void read_exampleFleet_readsEveryKey() throws IOException {
    var read =
        assertInstanceOf(
            SnapshotReader.Result.Read.class,
            read(Files.readString(Path.of("../examples/fleet.json"))));
    assertEquals(13, read.snapshot().keys().size());
    assertEquals(KeyRole.REPLICA, read.snapshot().keys().get(1).role());
    assertEquals("us-east-1", read.snapshot().keys().get(1).primaryRegion());
  }

  @Test
  void read_policyError_isTheUnreadablePolicyTheRuleWouldMake() {
    var read =
        assertInstanceOf(
            SnapshotReader.Result.Read.class,
            read(
                singleRegion(
                    "\"policyError\":{\"code\":\"AccessDeniedException\",\"message\":\"no\"}")));
    assertEquals(
        new ReadFailure("GetKeyPolicy", "AccessDeniedException", "no").policyFact(),
        read.snapshot().keys().get(0).policy());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[]                                   | /: a snapshot is a JSON object",
        "{\"account\":\"1\"}                  | /version: missing",
        "{\"version\":\"1\"}                  | /version: unsupported snapshot version \"1\"",
        "{\"version\":1,\"account\":\"x\",\"regions\":[],\"keys\":[]} | /account: expected a 12-digit"
            + " account id",
        "{\"version\":1,\"account\":\"111122223333\",\"regions\":\"us-east-1\",\"keys\":[]} |"
            + " /regions: must be an array of strings, got a string",
        "{\"version\":1,\"account\":\"111122223333\",\"regions\":[],\"keys\":{}} | /keys: must be an"
            + " array of keys, got an object",
        "{\"version\":1,\"account\":\"111122223333\",\"regions\":[],\"keys\":[7]} | /keys/0: a key is"
            + " an object"
      })
  void read_badTopLevel_reportsThePath(String json, String problem) {
    assertEquals(problem, problems(json).get(0).substring(0, problem.length()));
  }

  @Test
  void read_neitherPolicyNorError_isAProblemNotADroppedKey() {
    assertEquals(
        "/keys/0/policy: missing; give the policy, or policyError {code, message} if it could not"
            + " be read",
        problems(singleRegion("\"aliases\":[]")).get(0));
  }

  @Test
  void read_policyAsObject_asksForTheStringGetKeyPolicyReturns() {
    assertEquals(
        "/keys/0/policy: must be the policy document as a JSON string (as GetKeyPolicy returns"
            + " it), got an object",
        problems(singleRegion("\"policy\":{}")).get(0));
  }

  @Test
  void read_regionNotCaptured_isAProblem() {
    String key =
        singleRegion("\"policy\":\"{}\"")
            .replace("\"region\":\"us-east-1\"", "\"region\":\"eu-west-1\"");
    assertEquals(
        List.of(
            "/keys/0/region: \"eu-west-1\" is not listed in /regions",
            "/keys/0/metadata/Arn: names Region us-east-1, but the key's region is eu-west-1"),
        problems(key));
  }

  @Test
  void read_sameKeyTwice_isAProblem() {
    String key =
        "{\"region\":\"us-east-1\",\"metadata\":{\"Arn\":\""
            + ARN
            + "\",\"KeyManager\":\"CUSTOMER\",\"KeyState\":\"Enabled\",\"MultiRegion\":false},"
            + "\"policy\":\"{}\"}";
    assertEquals(
        List.of("/keys/1/metadata/Arn: same key as /keys/0"), problems(oneKey(key + "," + key)));
  }

  @Test
  void read_multiRegionWithoutConfiguration_isAProblem() {
    String json =
        singleRegion("\"policy\":\"{}\"").replace("\"MultiRegion\":false", "\"MultiRegion\":true");
    assertEquals(
        List.of("/keys/0/metadata/MultiRegionConfiguration: missing although MultiRegion is true"),
        problems(json));
  }

  @Test
  void read_unknownKeyManager_isAProblem() {
    String json = singleRegion("\"policy\":\"{}\"").replace("CUSTOMER", "ME");
    assertEquals(
        List.of("/keys/0/metadata/KeyManager: expected AWS or CUSTOMER, got \"ME\""),
        problems(json));
  }

  /** A snapshot without keys whose {@code unread} list is {@code unread}. */
  private static String withUnread(String unread) {
    return "{\"version\":1,\"account\":\"111122223333\",\"regions\":[\"us-east-1\"],"
        + "\"keys\":[],\"unread\":["
        + unread
        + "]}";
  }

  @Test
  void read_unreadKey_isAnUndescribedKeyWithItsFailure() {
    String json =
        withUnread(
            "{\"region\":\"us-east-1\",\"keyArn\":\""
                + ARN
                + "\",\"operation\":\"DescribeKey\",\"error\":{\"code\":\"ThrottlingException\","
                + "\"message\":\"Rate exceeded\"}}");
    var snapshot = assertInstanceOf(SnapshotReader.Result.Read.class, read(json)).snapshot();
    SnapshotKey key = snapshot.keys().get(0);
    assertEquals(ARN, key.arn());
    assertEquals(
        new ReadFailure("DescribeKey", "ThrottlingException", "Rate exceeded"),
        key.describeFailure());
    assertEquals(new PolicyFact.NotNeeded(), key.policy());
    assertEquals("UNKNOWN", key.roleName());
    assertEquals(List.of(), snapshot.notRead());
  }

  @Test
  void read_unreadKeyWithItsPolicyAndAliases_keepsThem() {
    String json =
        withUnread(
            "{\"region\":\"us-east-1\",\"keyArn\":\""
                + ARN
                + "\",\"operation\":\"DescribeKey\",\"error\":{\"code\":\"AccessDeniedException\","
                + "\"message\":\"denied\"},\"policy\":\"{}\",\"aliases\":[\"alias/a\"]}");
    SnapshotKey key =
        assertInstanceOf(SnapshotReader.Result.Read.class, read(json)).snapshot().keys().get(0);
    assertEquals(new PolicyFact.Known("{}"), key.policy());
    assertEquals(List.of("alias/a"), key.aliases());
  }

  @Test
  void read_keyBothListedAndUnread_isAProblem() {
    String json =
        singleRegion("\"policy\":\"{}\"")
            .replace(
                "]}",
                "],\"unread\":[{\"region\":\"us-east-1\",\"keyArn\":\""
                    + ARN
                    + "\",\"operation\":\"DescribeKey\",\"error\":{\"code\":\"X\","
                    + "\"message\":\"m\"}}]}");
    assertEquals(List.of("/unread/0/keyArn: same key as /keys/0"), problems(json));
  }

  @Test
  void read_unreadRegionNotCaptured_isAProblem() {
    String json =
        withUnread(
            "{\"region\":\"eu-west-1\",\"operation\":\"ListKeys\",\"error\":{\"code\":\"X\","
                + "\"message\":\"m\"}}");
    assertEquals(
        List.of("/unread/0/region: \"eu-west-1\" is not listed in /regions"), problems(json));
  }
}
