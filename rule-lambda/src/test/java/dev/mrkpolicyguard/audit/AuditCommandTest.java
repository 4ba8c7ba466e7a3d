package dev.mrkpolicyguard.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.cli.CommandRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditCommandTest {
  private static final String A = "mrk-1234abcd12ab34cd56ef1234567890ab";
  private static final String B = "mrk-8f3e2d1c0b9a48e7a6f5c4d3b2a19081";
  private static final String C = "mrk-5c0ffee1d2e34f5a9b8c7d6e5f4a3b21";

  private static AuditRun fleet;
  private static final Map<String, JsonNode> BY_ARN = new HashMap<>();

  @TempDir Path dir;

  @BeforeAll
  static void auditExampleFleet() throws IOException {
    fleet = AuditRun.exampleFleet("json");
    for (JsonNode key : new ObjectMapper().readTree(fleet.out()).get("keys")) {
      BY_ARN.put(key.get("keyArn").asText(), key);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "us-east-1,      " + A + ", COMPLIANT,      -",
    "eu-west-1,      " + A + ", COMPLIANT,      -",
    "ap-southeast-2, " + A + ", NON_COMPLIANT,  REPLICA_GRANTS_MORE",
    "us-west-2,      " + A + ", NON_COMPLIANT,  REPLICA_GRANTS_LESS",
    "eu-west-1,      " + B + ", NON_COMPLIANT,  BASELINE_CEILING_EXCEEDED",
    "us-east-1,      " + B + ", NON_COMPLIANT,  REPLICA_GRANTS_LESS",
    "ap-southeast-2, " + B + ", NON_COMPLIANT,  POLICY_UNREADABLE",
    "us-west-2,      " + C + ", NON_COMPLIANT,  BASELINE_FLOOR_MISSING",
    "us-east-1,      " + C + ", NON_COMPLIANT,  BASELINE_FLOOR_MISSING",
    "eu-west-1,      " + C + ", NON_COMPLIANT,  REPLICA_GRANTS_MORE",
    "us-east-1, 0b7e3c1a-5d2f-4e8b-9a6c-1f2e3d4c5b6a, NOT_APPLICABLE, -",
    "ap-southeast-2, c4a1e9d2-7b3f-4a6e-8d5c-2b1a0f9e8d7c, NOT_APPLICABLE, -",
    "us-east-1, 7d9e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a, NOT_APPLICABLE, -"
  })
  void run_exampleFleet_givesEachKeyItsVerdictAndFirstFinding(
      String region, String keyId, String compliance, String firstFinding) {
    JsonNode key = BY_ARN.get("arn:aws:kms:" + region + ":111122223333:key/" + keyId);
    assertEquals(compliance, key.get("compliance").asText());
    JsonNode findings = key.get("findings");
    assertEquals(firstFinding, findings.isEmpty() ? "-" : findings.get(0).get("code").asText());
  }

  @Test
  void run_exampleFleet_judgesEveryKeyAndExitsPartial() {
    assertEquals(13, BY_ARN.size());
    assertEquals(AuditReport.PARTIAL, fleet.exit());
    assertTrue(fleet.err().contains("could not judge arn:aws:kms:ap-southeast-2"), fleet.err());
  }

  @Test
  void run_exampleFleetStaleRegion_reportsTheDeadViaServiceGrant() {
    JsonNode finding =
        BY_ARN.get("arn:aws:kms:us-west-2:111122223333:key/" + A).get("findings").get(0);
    assertTrue(finding.toString().contains("ec2.us-west-2.amazonaws.com"), finding.toString());
  }

  @Test
  void run_replicaPolicyUnreadable_exitsFourAndListsTheKey() {
    AuditRun run = AuditRun.of("--snapshot", AuditRun.fixture("replica-policy-unreadable.json"));
    assertEquals(4, run.exit());
    assertTrue(run.out().contains("Could not be judged"), run.out());
    assertTrue(run.out().contains("arn:aws:kms:eu-west-1:111122223333:key/mrk-"), run.out());
  }

  @Test
  void run_primaryNotInSnapshot_exitsFourNamingTheMissingPrimary() {
    AuditRun run = AuditRun.of("--snapshot", AuditRun.fixture("replica-without-its-primary.json"));
    assertEquals(4, run.exit());
    assertTrue(run.out().contains("PRIMARY_POLICY_UNREADABLE"), run.out());
    assertTrue(run.out().contains("is not in the snapshot"), run.out());
  }

  @Test
  void run_replicaInSync_exitsZero() {
    AuditRun run = AuditRun.of("--snapshot", AuditRun.fixture("primary-and-replica-in-sync.json"));
    assertEquals(0, run.exit(), run.out() + run.err());
  }

  @Test
  void run_replicaGrantsMore_exitsOne() {
    String file = AuditRun.fixture("replica-statement-with-script-sid.json");
    assertEquals(1, AuditRun.of("--snapshot", file).exit());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "not-json.json                | line 2, column 1: snapshot is not valid JSON",
        "missing-keys.json            | /keys: missing",
        "missing-metadata-arn.json    | /keys/1/metadata/Arn: missing",
        "unknown-version.json         | /version: unsupported snapshot version 2",
        "multi-region-as-string.json  | /keys/0/metadata/MultiRegion: must be true or false, got a"
            + " string"
      })
  void run_badSnapshot_exitsTwoWithTheJsonPath(String file, String message) {
    AuditRun run = AuditRun.of("--snapshot", AuditRun.fixture(file));
    assertEquals(2, run.exit());
    assertTrue(run.err().contains(message), run.err());
    assertFalse(run.err().contains("Exception"), run.err());
    assertEquals("", run.out());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--format table                               | give --snapshot FILE to audit a saved snapshot, or --regions R1,R2",
        "--snapshot x --regions us-east-1             | --snapshot and --regions cannot be used together",
        "--regions us-east-1,EU-West                  | --regions takes Region names separated by commas",
        "--regions us-east-1,                         | --regions takes Region names separated by commas",
        "--regions eu-west-1,eu-west-1                | --regions lists eu-west-1 twice",
        "--snapshot x --profile dev                   | --profile is for a live audit (--regions)",
        "--snapshot x --baseline-parameter b          | --baseline-parameter is for a live audit",
        "--regions eu-west-1 --baseline a --baseline-parameter b | --baseline and --baseline-parameter cannot be used together",
        "--regions eu-west-1 --endpoint-url ftp://h   | --endpoint-url 'ftp://h' is not an http(s)://HOST[:PORT] URL",
        "--snapshot nope.json                         | --snapshot: no such file 'nope.json'",
        "--snapshot x --format xml                    | --format must be table, json or html",
        "--snapshot x --colour                        | unknown option --colour",
        "--snapshot x --snapshot y                    | option --snapshot given twice",
        "stray                                        | unexpected argument 'stray'"
      })
  void run_badUsage_exitsTwoWithAClearMessage(String args, String message) {
    AuditRun run = AuditRun.of(args.trim().split("\\s+"));
    assertEquals(2, run.exit());
    assertTrue(run.err().contains(message), run.err());
  }

  @Test
  void run_deviceAsSnapshot_exitsTwoNamingTheFileAndWhy() {
    assumeTrue(Files.exists(Path.of("/dev/zero")));
    AuditRun run = AuditRun.of("--snapshot", "/dev/zero");

    assertEquals(2, run.exit());
    assertEquals(
        "error: --snapshot: cannot read '/dev/zero': not a regular file (a device, FIFO or"
            + " socket); give a snapshot file\n",
        run.err());
    assertEquals("", run.out());
  }

  @Test
  void run_deviceAsBaseline_exitsTwoNamingTheFileAndWhy() {
    assumeTrue(Files.exists(Path.of("/dev/zero")));
    AuditRun run = AuditRun.of("--snapshot", AuditRun.FLEET, "--baseline", "/dev/zero");

    assertEquals(2, run.exit());
    assertEquals(
        "error: --baseline: cannot read '/dev/zero': not a regular file (a device, FIFO or"
            + " socket); give a baseline file\n",
        run.err());
  }

  @Test
  void run_snapshotNotUtf8_exitsTwoWithTheOffsetOfTheBadByte() throws IOException {
    Path snapshot = dir.resolve("latin1.json");
    Files.write(snapshot, "{\"account\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
    AuditRun run = AuditRun.of("--snapshot", snapshot.toString());

    assertEquals(2, run.exit());
    assertEquals(
        "error: --snapshot: cannot read '"
            + snapshot
            + "': not UTF-8 text (invalid byte sequence at offset 16: 0xE9)\n",
        run.err());
  }

  @Test
  void run_directoryAsSnapshot_exitsTwoSayingSo() {
    AuditRun run = AuditRun.of("--snapshot", dir.toString());

    assertEquals(2, run.exit());
    assertEquals(
        "error: --snapshot: cannot read '" + dir + "': it is a directory; give a snapshot file\n",
        run.err());
  }

  @ParameterizedTest
  @CsvSource({"table", "json", "html"})
  void run_stdoutFull_exitsTwoSayingTheReportIsIncomplete(String format) {
    CommandRun run =
        CommandRun.withFullStdout(
            new AuditCommand()::run, "--snapshot", AuditRun.FLEET, "--format", format);

    assertEquals(2, run.exit());
    assertEquals(CommandRun.STDOUT_FAILED, run.err());
  }

  @Test
  void run_outputToAFullDevice_exitsTwoWithTheReason() {
    assumeTrue(Files.exists(Path.of("/dev/full")));
    AuditRun run = AuditRun.of("--snapshot", AuditRun.FLEET, "--output", "/dev/full");

    assertEquals(2, run.exit());
    assertEquals("error: --output: cannot write '/dev/full': No space left on device\n", run.err());
  }

  @Test
  void run_outputToADirectory_exitsTwoWithTheReason() {
    AuditRun run = AuditRun.of("--snapshot", AuditRun.FLEET, "--output", dir.toString());

    assertEquals(2, run.exit());
    assertEquals("error: --output: cannot write '" + dir + "': Is a directory\n", run.err());
  }

  @Test
  void run_invalidBaseline_exitsTwoWithItsProblems() throws IOException {
    Path baseline = dir.resolve("baseline.json");
    Files.writeString(baseline, "{\"version\": 1, \"floor\": {}}");
    AuditRun run = AuditRun.of("--snapshot", AuditRun.FLEET, "--baseline", baseline.toString());
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("/floor: floor must be an array"), run.err());
  }

  @Test
  void run_outputFile_writesTheReportThereAndTheSummaryToStderr() throws IOException {
    Path report = dir.resolve("report.html");
    String fixture = AuditRun.fixture("primary-and-replica-in-sync.json");
    AuditRun run =
        AuditRun.of("--snapshot", fixture, "--format", "html", "--output", report.toString());
    assertEquals(0, run.exit());
    assertTrue(Files.readString(report).startsWith("<!DOCTYPE html>"));
    assertTrue(run.err().contains("Report written to " + report), run.err());
  }
}
