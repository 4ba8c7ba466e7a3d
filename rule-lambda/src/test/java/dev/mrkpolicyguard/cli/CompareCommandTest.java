package dev.mrkpolicyguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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

  private static CommandRun comparePair(String pair, String format) {
    String base = "../examples/policies/" + pair + "/";
    return CommandRun.main(
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
    "divergent, DIVERGENT, 1",
    "replica-stale-region, REPLICA_NARROWER, 1",
    "verbatim-copy, REPLICA_NARROWER, 1"
  })
  void compare_examplePair_printsVerdictAndExitsWithItsCode(String pair, String verdict, int exit)
      throws IOException {
    CommandRun result = comparePair(pair, "json");
    JsonNode json = new ObjectMapper().readTree(result.out());
    assertEquals(verdict, json.get("verdict").asText());
    assertEquals(exit, result.exit());
    assertEquals(verdict.equals("EQUIVALENT"), json.get("differences").isEmpty());
    assertFalse(json.has("reason"));
  }

  @Test
  void compare_verbatimCopy_showsTheCorrespondingRequestOnThePrimary() throws IOException {
    JsonNode witness =
        new ObjectMapper()
            .readTree(comparePair("verbatim-copy", "json").out())
            .at("/differences/0/witness");
    assertEquals("eu-west-1", witness.at("/context/aws:RequestedRegion").asText());
    assertEquals("us-east-1", witness.at("/primaryRequest/context/aws:RequestedRegion").asText());
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
    CommandRun result = comparePair("replica-default-policy", "text");
    assertTrue(result.out().startsWith("REPLICA_NARROWER"), result.out());
    assertTrue(result.out().contains("role/AppRole may no longer kms:Decrypt"), result.out());
  }

  @Test
  void compare_defaultArns_compareInTheSameRegion() throws IOException {
    Path policy = dir.resolve("p.json");
    Files.writeString(
        policy,
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}");
    CommandRun result =
        CommandRun.main("compare", "--primary", policy.toString(), "--replica", policy.toString());
    assertEquals(0, result.exit());
    assertTrue(result.out().contains("replica in us-east-1 vs primary in us-east-1"));
  }

  @Test
  void compare_malformedPolicy_exitsTwoWithThePointer() throws IOException {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"Statement\":[{\"Effect\":\"Permit\",\"Principal\":\"*\"}]}");
    CommandRun result =
        CommandRun.main("compare", "--primary", bad.toString(), "--replica", bad.toString());
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
    CommandRun result = CommandRun.main(args.trim().split("\\s+"));
    assertEquals(2, result.exit());
    assertTrue(result.err().contains(message), result.err());
  }

  @Test
  void compare_sidWithTerminalEscapes_showsThemEscapedUnderTheTrueVerdict() throws IOException {
    Path primary = dir.resolve("primary.json");
    Files.writeString(
        primary,
        "{\"Statement\":[{\"Sid\":\"Admin\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},"
            + "\"Action\":\"kms:*\",\"Resource\":\"*\"}]}");
    Path replica = dir.resolve("replica.json");
    Files.writeString(
        replica,
        "{\"Statement\":[{\"Sid\":\"Admin\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},"
            + "\"Action\":\"kms:*\",\"Resource\":\"*\"},"
            + "{\"Sid\":\"P\\u001b[2J\\u001b[HEQUIVALENT: the replica allows the same\\u009b8m\\u202e\","
            + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"444455556666\"},"
            + "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}");

    CommandRun result =
        CommandRun.main(
            "compare", "--primary", primary.toString(), "--replica", replica.toString());

    assertEquals(1, result.exit());
    assertTrue(result.out().startsWith("REPLICA_BROADER: "), result.out());
    assertTrue(
        result
            .out()
            .contains(
                "   because replica statement 'P\\u001b[2J\\u001b[HEQUIVALENT: the replica allows"
                    + " the same\\u009b8m\\u202e' allows it; no primary statement does\n"),
        result.out());
    assertTrue(result.out().chars().noneMatch(c -> c == 0x1b || c == 0x9b || c == 0x202e));
  }

  @Test
  void compare_fileNameWithTerminalEscapes_errorShowsItEscaped() {
    CommandRun result =
        CommandRun.main("compare", "--primary", "\u001b[31mnope.json", "--replica", "r.json");

    assertEquals(2, result.exit());
    assertEquals("error: --primary: no such file '\\u001b[31mnope.json'\n", result.err());
  }

  @Test
  void compare_deviceAsPolicy_exitsTwoNamingTheFileAndWhy() {
    assumeTrue(Files.exists(Path.of("/dev/zero")));
    CommandRun result =
        CommandRun.main("compare", "--primary", "/dev/zero", "--replica", "/dev/zero");

    assertEquals(2, result.exit());
    assertEquals(
        "error: --primary: cannot read '/dev/zero': not a regular file (a device, FIFO or socket);"
            + " give a key policy file\n",
        result.err());
  }

  @Test
  void compare_policyOverTheBound_exitsTwoNamingTheBound() throws IOException {
    Path big = dir.resolve("big.json");
    Files.writeString(big, "{" + " ".repeat(64 * 1024) + "}");
    CommandRun result = CommandRun.main("compare", "--primary", big.toString(), "--replica", "x");

    assertEquals(2, result.exit());
    assertEquals(
        "error: --primary: cannot read '"
            + big
            + "': larger than 64 KiB, the limit for a key policy (KMS allows 32 KB)\n",
        result.err());
  }

  @ParameterizedTest
  @CsvSource({"text", "json"})
  void compare_stdoutFull_exitsTwoSayingTheOutputIsIncomplete(String format) {
    String base = "../examples/policies/regional-values-only/";
    CommandRun result =
        CommandRun.withFullStdout(
            Main::run,
            "compare",
            "--primary",
            base + "primary.json",
            "--replica",
            base + "replica.json",
            "--format",
            format);

    assertEquals(2, result.exit());
    assertEquals(CommandRun.STDOUT_FAILED, result.err());
  }

  @Test
  void compare_undecidedComparison_exitsThreeWithReason() throws IOException {
    Path primary = dir.resolve("vars.json");
    Files.writeString(
        primary,
        """
        {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt",
                        "Resource": "*",
                        "Condition": {"StringEquals":
                                      {"kms:EncryptionContext:user": "${aws:username}"}}}]}
        """);
    // A default value only for callers without a user name: no confirming value is found.
    Path replica = dir.resolve("default.json");
    Files.writeString(
        replica, Files.readString(primary).replace("${aws:username}", "${aws:username, 'shared'}"));
    CommandRun result =
        CommandRun.main(
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

  private CommandRun compareSlowShape(long stepMillis, String... options) throws IOException {
    Path primary = Files.writeString(dir.resolve("primary.json"), SlowShape.policy(false));
    Path replica = Files.writeString(dir.resolve("replica.json"), SlowShape.policy(true));
    String[] args = new String[4 + options.length];
    System.arraycopy(
        new String[] {"--primary", primary.toString(), "--replica", replica.toString()},
        0,
        args,
        0,
        4);
    System.arraycopy(options, 0, args, 4, options.length);
    return CommandRun.of(new CompareCommand(SlowShape.steppingBudget(stepMillis))::run, args);
  }

  @Test
  void run_slowShapePastItsTimeBudget_isUndecidedSayingSoAndExitsFour() throws IOException {
    CommandRun run = compareSlowShape(1, "--time-budget", "500ms");

    assertEquals(4, run.exit(), run.out() + run.err());
    assertTrue(run.out().startsWith("UNDECIDED"), run.out());
    assertTrue(
        run.out().contains("reason: the comparison ran out of its time budget (0.5 s)"), run.out());
  }

  @Test
  void run_slowShapeWithTheDefaultBudget_isUndecidedAfterTenSeconds() throws IOException {
    // 100 ms a read: the default 10 s are spent after about 100 looks at the clock.
    CommandRun run = compareSlowShape(100, "--format", "json");

    assertEquals(4, run.exit(), run.out() + run.err());
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertEquals("UNDECIDED", json.get("verdict").asText());
    assertTrue(
        json.get("reason").asText().startsWith("the comparison ran out of its time budget (10 s)"),
        run.out());
  }

  @ParameterizedTest
  @CsvSource({"10", "0s", "1h", "61m", "-5s", "1.5s"})
  void run_badTimeBudget_exitsTwoSayingWhatItTakes(String budget) {
    CommandRun run =
        CommandRun.main(
            "compare", "--primary", "p.json", "--replica", "r.json", "--time-budget", budget);

    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().startsWith("error: --time-budget "), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
  }

  @Test
  void compare_jsonWithHostileSid_escapesC1AndBidiCharacters() throws IOException {
    String admin =
        """
        {"Sid":"Admin","Effect":"Allow","Principal":{"AWS":"111122223333"},
         "Action":"kms:*","Resource":"*"}""";
    Path primary = Files.writeString(dir.resolve("p.json"), "{\"Statement\":[" + admin + "]}");
    Path replica =
        Files.writeString(
            dir.resolve("r.json"),
            "{\"Statement\":["
                + admin
                + """
                ,{"Sid":"P\\u009b2J\\u202eEQUIVALENT\\u007f","Effect":"Allow",
                 "Principal":{"AWS":"444455556666"},"Action":"kms:Decrypt","Resource":"*"}]}""");

    CommandRun result =
        CommandRun.main(
            "compare",
            "--primary",
            primary.toString(),
            "--replica",
            replica.toString(),
            "--format",
            "json");

    assertEquals(1, result.exit(), result.err());
    assertTrue(result.out().contains("'P\\u009b2J\\u202eEQUIVALENT\\u007f'"), result.out());
    assertTrue(result.out().chars().noneMatch(c -> c == 0x9b || c == 0x202e || c == 0x7f));
    JsonNode json = new ObjectMapper().readTree(result.out());
    assertTrue(
        json.at("/differences/0/explanation")
            .asText()
            .contains("'P\u009b2J\u202eEQUIVALENT\u007f'"),
        result.out());
  }
}
