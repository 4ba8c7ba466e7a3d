package dev.mrkpolicyguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompareCommandTest {
  private static final String KEY =
      "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Run comparePair(String pair, String format) {
    String base = "../examples/policies/" + pair + "/";
    return run(
        "compare",
        "--primary",
        base + "primary.json",
        "--replica",
        base + "replica.json",
        "--primary-arn",
        KEY,
        "--replica-region",
        "eu-west-1",
        "--format",
        format);
  }

  @ParameterizedTest
  @CsvSource({
    "regional-values-only, EQUIVALENT, 0",
    "replica-adds-cross-account-decrypt, REPLICA_BROADER, 1",
    "replica-default-policy, REPLICA_NARROWER, 1",
    "divergent, DIVERGENT, 1"
  })
  void compare_examplePair_printsVerdictAndExitsWithItsCode(String pair, String verdict, int exit)
      throws IOException {
    Run result = comparePair(pair, "json");
    JsonNode json = new ObjectMapper().readTree(result.out());
    assertEquals(verdict, json.get("verdict").asText());
    assertEquals(exit, result.exit());
    assertEquals(verdict.equals("EQUIVALENT"), json.get("differences").isEmpty());
    assertFalse(json.has("reason"));
  }

  @Test
  void compare_jsonDifference_hasTheContractFields() throws IOException {
    JsonNode d =
        new ObjectMapper()
            .readTree(comparePair("replica-adds-cross-account-decrypt", "json").out())
            .get("differences")
            .get(0);
    assertEquals("REPLICA_ONLY", d.get("direction").asText());
    assertEquals("arn:aws:iam::444455556666:role/ExampleRole", d.at("/witness/principal").asText());
    assertTrue(d.at("/witness/identityPolicyAllows").asBoolean());
    assertEquals("kms:Decrypt", d.at("/witness/action").asText());
    assertTrue(d.at("/witness/context").isObject());
    assertTrue(d.get("explanation").asText().contains("'Partner'"));
  }

  @Test
  void compare_textFormat_explainsTheDifference() {
    Run result = comparePair("replica-default-policy", "text");
    assertTrue(result.out().startsWith("REPLICA_NARROWER"), result.out());
    assertTrue(result.out().contains("role/AppRole may no longer kms:Decrypt"), result.out());
  }

  @Test
  void compare_defaultArns_compareInTheSameRegion() throws IOException {
    Path policy = dir.resolve("p.json");
    Files.writeString(
        policy,
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}");
    Run result = run("compare", "--primary", policy.toString(), "--replica", policy.toString());
    assertEquals(0, result.exit());
    assertTrue(result.out().contains("replica in us-east-1 vs primary in us-east-1"));
  }

  @Test
  void compare_malformedPolicy_exitsTwoWithThePointer() throws IOException {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"Statement\":[{\"Effect\":\"Permit\",\"Principal\":\"*\"}]}");
    Run result = run("compare", "--primary", bad.toString(), "--replica", bad.toString());
    assertEquals(2, result.exit());
    assertTrue(result.err().contains("/Statement/0/Effect"), result.err());
    assertFalse(result.err().contains("Exception"), result.err());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "compare --replica x.json                        | missing required option --primary",
        "compare --primary nope.json --replica nope.json | no such file",
        "compare --primary a --replica b --format xml    | --format must be json or text",
        "compare --primary a --replica b --primary-arn arn:aws:s3:::b | is not a KMS key ARN",
        "compare --primary a --replica b --replica-region Europe | is not a Region name",
        "compare --primary a --replica b --colour        | unknown option --colour",
        "frobnicate                                      | unknown command 'frobnicate'"
      })
  void compare_badUsage_exitsTwoWithAClearMessage(String args, String message) {
    Run result = run(args.trim().split("\\s+"));
    assertEquals(2, result.exit());
    assertTrue(result.err().contains(message), result.err());
  }

  @Test
  void compare_undecidedComparison_exitsThreeWithReason() throws IOException {
    Path primary = dir.resolve("vars.json");
    Files.writeString(
        primary,
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\","
            + "\"Condition\":{\"StringEquals\":{\"kms:EncryptionContext:user\":\"${aws:username}\"}}}]}");
    Path replica = dir.resolve("plain.json");
    Files.writeString(
        replica,
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}");
    Run result =
        run(
            "compare",
            "--primary",
            primary.toString(),
            "--replica",
            replica.toString(),
            "--format",
            "json");
    assertEquals(3, result.exit());
    JsonNode json = new ObjectMapper().readTree(result.out());
    assertEquals("UNDECIDED", json.get("verdict").asText());
    assertTrue(json.get("reason").asText().contains("policy variables"));
  }
}
