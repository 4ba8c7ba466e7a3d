package dev.mrkpolicyguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.cli.common.UsageException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code explain --records} against a snapshot: no AWS call is made. */
class ExplainCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SNAPSHOT = "src/test/resources/explain/drifted-replica-snapshot.json";

  @TempDir Path dir;

  @Test
  void explain_driftRecord_printsTheVerdictAndExitsZero() {
    CommandRun run = explain(records("assumed-role-decrypt-no-identity-policy.json"));

    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("\nDRIFT_EXPLAINS_DENIAL: the primary's policy"), run.out());
  }

  @Test
  void explain_formatJson_printsOneResultPerRecordWithItsVerdict() throws IOException {
    CommandRun run = explain(records("log-file-mixed-services.json"), "--format", "json");

    assertEquals(0, run.exit(), run.err());
    assertEquals(
        List.of("DRIFT_EXPLAINS_DENIAL", "KEY_POLICY_ALLOWS", "KEY_POLICY_ALLOWS"),
        verdicts(run.out()));
    assertEquals(1, JSON.readTree(run.out()).at("/summary/otherServices").asInt());
  }

  @Test
  void explain_unknownKey_exitsFourAndListsTheRecordOnStderr() {
    CommandRun run = explain(records("unknown-key-decrypt-denied.json"), "--format", "json");

    assertEquals(4, run.exit());
    assertTrue(run.err().startsWith("could not explain the record: unknown key "), run.err());
  }

  @Test
  void explain_malformedLines_exitsFourAndStillExplainsTheRest() throws IOException {
    CommandRun run =
        explain(records("json-lines-with-malformed-records.jsonl"), "--format", "json");

    assertEquals(4, run.exit());
    List<String> verdicts = verdicts(run.out());
    assertEquals("DRIFT_EXPLAINS_DENIAL", verdicts.get(0));
    assertEquals("KEY_POLICY_ALLOWS", verdicts.get(4));
    assertEquals(3, run.err().lines().count(), run.err());
  }

  @Test
  void explain_gzippedLogFile_isReadAsCloudTrailDeliversIt() throws IOException {
    Path gz = dir.resolve("111122223333_CloudTrail_eu-west-1_20250603T0915Z_abc.json.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(Path.of(records("log-file-mixed-services.json"))));
    }

    CommandRun run = explain(gz.toString(), "--format", "json");

    assertEquals(3, verdicts(run.out()).size(), run.err());
  }

  @Test
  void explain_keyGiven_explainsOnlyThatKeysRecords() throws IOException {
    Path mixed = dir.resolve("mixed.jsonl");
    Files.writeString(
        mixed,
        oneLine("assumed-role-decrypt-no-identity-policy.json")
            + "\n"
            + oneLine("primary-key-decrypt-denied.json")
            + "\n");

    CommandRun run =
        explain(
            mixed.toString(),
            "--format",
            "json",
            "--key",
            "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab");

    assertEquals(List.of("NOT_A_REPLICA"), verdicts(run.out()));
  }

  @Test
  void explain_neitherRecordsNorLookup_exitsTwo() {
    CommandRun run = CommandRun.main("explain", "--snapshot", SNAPSHOT);

    assertEquals(2, run.exit());
    assertTrue(run.err().contains("give --records FILE"), run.err());
  }

  @Test
  void explain_lookupWithoutRegion_exitsTwo() {
    CommandRun run = CommandRun.main("explain", "--lookup", "--snapshot", SNAPSHOT);

    assertEquals(2, run.exit());
    assertEquals("error: missing required option --region\n", run.err());
  }

  @Test
  void explain_sinceWithRecords_exitsTwo() {
    CommandRun run =
        explain(records("assumed-role-decrypt-no-identity-policy.json"), "--since", "1h");

    assertEquals(2, run.exit());
    assertEquals("error: --region and --since are for --lookup\n", run.err());
  }

  @Test
  void explain_notJson_exitsTwoSayingSo() throws IOException {
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "Decrypt failed at 09:14\n");

    CommandRun run = explain(text.toString());

    assertEquals(2, run.exit());
    assertTrue(run.err().contains("the input is not JSON"), run.err());
  }

  @Test
  void explain_missingFile_exitsTwo() {
    CommandRun run = explain(dir.resolve("none.json").toString());

    assertEquals(2, run.exit());
    assertTrue(run.err().contains("--records: no such file"), run.err());
  }

  @Test
  void explain_invalidSnapshot_exitsTwoWithItsProblems() {
    CommandRun run =
        CommandRun.main(
            "explain",
            "--records",
            records("assumed-role-decrypt-no-identity-policy.json"),
            "--snapshot",
            "src/test/resources/snapshots/unknown-version.json");

    assertEquals(2, run.exit());
    assertTrue(run.err().contains("is not a valid snapshot"), run.err());
  }

  @Test
  void since_units_areMinutesHoursAndDays() throws UsageException {
    assertEquals(
        List.of(Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofDays(7)),
        List.of(
            ExplainCommand.since("30m"), ExplainCommand.since("1h"), ExplainCommand.since("7d")));
  }

  @Test
  void since_beyondTheHistory_isRefused() {
    UsageException e = assertThrows(UsageException.class, () -> ExplainCommand.since("91d"));

    assertEquals(
        "--since must be more than 0 and at most 90d: event history keeps 90 days", e.getMessage());
  }

  @Test
  void explain_readmeExample_printsWhatTheReadmeShows() throws IOException {
    String readme = Files.readString(Path.of("../README.md"));
    int start = readme.indexOf("```\n", readme.indexOf("Output (the request line trimmed):")) + 4;
    List<String> shown = readme.substring(start, readme.indexOf("```", start)).lines().toList();

    CommandRun run =
        CommandRun.main(
            "explain",
            "--records",
            "../examples/cloudtrail/ebs-volume-decrypt-denied-on-replica.json",
            "--snapshot",
            "../examples/fleet.json");

    assertEquals(0, run.exit(), run.err());
    assertEquals(withoutRequest(shown), withoutRequest(run.out().lines().toList()));
  }

  @Test
  void explain_exampleJsonLines_giveTheVerdictsTheExamplesReadmeLists() throws IOException {
    CommandRun run =
        CommandRun.main(
            "explain",
            "--records",
            "../examples/cloudtrail/recent-denials.jsonl",
            "--snapshot",
            "../examples/fleet.json",
            "--format",
            "json");

    assertEquals(
        List.of("DRIFT_EXPLAINS_DENIAL", "KEY_POLICY_ALLOWS", "NOT_A_REPLICA"),
        verdicts(run.out()));
  }

  private static List<String> withoutRequest(List<String> lines) {
    return lines.stream().filter(l -> !l.startsWith("  request: ")).toList();
  }

  @Test
  void help_listsExplain() {
    assertTrue(
        CommandRun.main("--help").out().contains("\n  explain   explain CloudTrail records"));
  }

  private static String records(String name) {
    return "src/test/resources/cloudtrail/" + name;
  }

  private static String oneLine(String name) throws IOException {
    return JSON.readTree(Path.of(records(name)).toFile()).toString();
  }

  private static CommandRun explain(String file, String... more) {
    List<String> args =
        new ArrayList<>(List.of("explain", "--records", file, "--snapshot", SNAPSHOT));
    args.addAll(List.of(more));
    return CommandRun.main(args.toArray(String[]::new));
  }

  private static List<String> verdicts(String json) throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode result : JSON.readTree(json).get("results")) {
      out.add(result.get("verdict").isNull() ? null : result.get("verdict").asText());
    }
    return out;
  }
}
