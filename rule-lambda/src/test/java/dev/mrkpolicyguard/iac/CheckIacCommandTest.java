package dev.mrkpolicyguard.iac;

import static dev.mrkpolicyguard.iac.CheckIacRun.CFN;
import static dev.mrkpolicyguard.iac.CheckIacRun.EXISTING_PRIMARY_POLICY;
import static dev.mrkpolicyguard.iac.CheckIacRun.TF;
import static dev.mrkpolicyguard.iac.CheckIacRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.cli.CommandRun;
import dev.mrkpolicyguard.cli.SlowShape;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check-iac} end to end over the examples in examples/iac/. */
class CheckIacCommandTest {
  private static final String LINK = "--parameter=PrimaryKeyArn=primary.yaml#PaymentsKey";

  @Test
  void run_cloudFormationPrimaryAndAlignedReplica_exitsClean() {
    CommandRun run =
        run(CFN + "primary.yaml@us-east-1", CFN + "replica-aligned.yaml@eu-west-1", LINK);

    assertEquals(0, run.exit(), run.out() + run.err());
    assertTrue(run.out().contains("2 compliant, 0 non-compliant, 0 not judged"), run.out());
  }

  @Test
  void run_cloudFormationDriftedReplica_reportsBothDirectionsWithTheirLines() {
    CommandRun run =
        run(CFN + "primary.yaml@us-east-1", CFN + "replica-drifted.yaml@eu-west-1", LINK);

    assertEquals(1, run.exit(), run.out() + run.err());
    assertTrue(run.out().contains("replica-drifted.yaml:16: PaymentsReplica"), run.out());
    assertTrue(run.out().contains("REPLICA_GRANTS_MORE"), run.out());
    assertTrue(run.out().contains("role/PaymentsApp may no longer kms:Decrypt"), run.out());
  }

  @Test
  void run_cloudFormationGetAttInPolicy_isNotJudgedAndSaysWhich() {
    CommandRun run = run(CFN + "replica-unresolvable.yaml", "--region", "eu-west-1", LINK);

    assertEquals(4, run.exit(), run.out() + run.err());
    assertTrue(
        run.out().contains("INTRINSIC_UNRESOLVED: its key policy: Fn::GetAtt ReplicaUserRole.Arn"),
        run.out());
  }

  @Test
  void run_replicaOfExistingPrimaryWithPrimaryPolicyFile_comparesWithIt() {
    CommandRun run =
        run(
            CFN + "replica-of-existing-primary.json",
            "--region=eu-west-1",
            "--primary-policy",
            EXISTING_PRIMARY_POLICY);

    assertEquals(0, run.exit(), run.out() + run.err());
    assertTrue(run.out().contains("primary policy from " + EXISTING_PRIMARY_POLICY), run.out());
  }

  @Test
  void run_replicaOfExistingPrimaryWithoutASource_isNotJudged() {
    CommandRun run = run(CFN + "replica-of-existing-primary.json", "--region=eu-west-1");

    assertEquals(4, run.exit(), run.out());
    assertTrue(run.out().contains("PRIMARY_NOT_IN_INPUTS"), run.out());
  }

  @Test
  void run_terraformAlignedPlan_exitsClean() {
    assertEquals(0, run(TF + "aligned.plan.json").exit());
  }

  @Test
  void run_terraformDriftedPlan_reportsDrift() {
    CommandRun run = run(TF + "drifted.plan.json");

    assertEquals(1, run.exit(), run.out());
    assertTrue(run.out().contains("444455556666 may kms:Decrypt"), run.out());
  }

  @Test
  void run_terraformReplicaWithoutPolicy_isDriftAgainstTheDefaultPolicy() {
    CommandRun run = run(TF + "default-policy-replica.plan.json");

    assertEquals(1, run.exit(), run.out());
    assertTrue(run.out().contains("KMS gives the replica the default key policy"), run.out());
    assertTrue(run.out().contains("REPLICA_GRANTS_LESS"), run.out());
  }

  @Test
  void run_terraformPolicyUnknownUntilApply_isNotJudged() {
    CommandRun run = run(TF + "unknown-until-apply.plan.json");

    assertEquals(4, run.exit(), run.out());
    assertTrue(run.out().contains("POLICY_UNKNOWN_UNTIL_APPLY"), run.out());
    assertTrue(run.out().contains("aws_iam_role.replica_reader.arn"), run.out());
  }

  @Test
  void run_templateWithoutRegion_isBadInput() {
    CommandRun run = run(CFN + "primary.yaml");

    assertEquals(2, run.exit());
    assertTrue(run.err().contains("give --region REGION"), run.err());
  }

  @Test
  void run_fileThatIsNeitherTemplateNorPlan_isBadInput() {
    CommandRun run = run(EXISTING_PRIMARY_POLICY);

    assertEquals(2, run.exit());
    assertTrue(run.err().contains("neither a CloudFormation template"), run.err());
  }

  @Test
  void run_missingFile_isBadInput() {
    assertEquals(2, run("no-such-template.yaml", "--region", "eu-west-1").exit());
  }

  @Test
  void run_jsonFormat_givesEveryResourceWithStatusAndWitnesses() throws Exception {
    CommandRun run = run(TF + "drifted.plan.json", "--format", "json");

    JsonNode root = new ObjectMapper().readTree(run.out());
    JsonNode replica = root.path("resources").get(1);
    assertEquals("NON_COMPLIANT", replica.path("status").asText());
    assertEquals("eu-west-1", replica.path("region").asText());
    assertEquals("REPLICA_GRANTS_MORE", replica.path("findings").get(0).path("code").asText());
    assertEquals(
        "kms:Decrypt",
        replica
            .path("findings")
            .get(0)
            .path("differences")
            .get(0)
            .path("witness")
            .path("action")
            .asText());
    assertEquals(1, root.path("exitCode").asInt());
  }

  @Test
  void run_output_writesTheReportAndSummarisesOnStderr(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("report.sarif");

    CommandRun run = run(TF + "aligned.plan.json", "--format=sarif", "--output", out.toString());

    assertEquals(0, run.exit());
    assertTrue(Files.readString(out).contains("\"version\" : \"2.1.0\""));
    assertTrue(run.err().contains("Written to " + out), run.err());
  }

  @Test
  void run_baseline_appliesItsCeilingToPlannedPolicies() {
    CommandRun run = run(TF + "drifted.plan.json", "--baseline", "../examples/baseline.json");

    assertEquals(1, run.exit());
    assertTrue(run.out().contains("BASELINE_FLOOR_MISSING"), run.out());
  }

  @Test
  void run_unknownOption_isUsage() {
    CommandRun run = run(TF + "aligned.plan.json", "--frobnicate", "x");

    assertEquals(2, run.exit());
    assertTrue(run.err().contains("unknown option --frobnicate"), run.err());
  }

  @Test
  void run_liveSwitchGivenAValue_exitsTwoNamingTheSwitch() {
    CommandRun run =
        run(CFN + "replica-of-existing-primary.json", "--region=eu-west-1", "--live=false");
    assertEquals(2, run.exit(), run.out() + run.err());
    assertTrue(run.err().contains("--live is a switch and takes no value"), run.err());
  }

  @Test
  void run_help_printsItsUsageAndExitsZero() {
    CommandRun run = run("--help");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("check-iac judge the multi-Region keys"), run.out());
  }

  /** A template with a primary and its replica in one Region, both of the engine's slow shape. */
  private static Path slowTemplate(Path dir) throws java.io.IOException {
    String template =
        """
        {"AWSTemplateFormatVersion":"2010-09-09","Resources":{
         "SlowPrimary":{"Type":"AWS::KMS::Key",
          "Properties":{"MultiRegion":true,"KeyPolicy":%s}},
         "SlowReplica":{"Type":"AWS::KMS::ReplicaKey",
          "Properties":{"PrimaryKeyArn":{"Fn::GetAtt":["SlowPrimary","Arn"]},"KeyPolicy":%s}}}}
        """
            .formatted(SlowShape.policy(false), SlowShape.policy(true));
    return Files.writeString(dir.resolve("slow.json"), template);
  }

  @Test
  void run_comparisonPastItsTimeBudget_exitsFourSayingSo(@TempDir Path dir) throws Exception {
    CommandRun run =
        CommandRun.of(
            new CheckIacCommand(
                    (profile, endpoint) -> PrimarySource.NONE, SlowShape.steppingBudget(1))
                ::run,
            slowTemplate(dir) + "@us-east-1",
            "--account=111122223333",
            "--time-budget=500ms");

    assertEquals(4, run.exit(), run.out() + run.err());
    assertTrue(run.out().contains("ran out of its time budget (0.5 s)"), run.out());
    assertTrue(
        run.out().contains("1 of the non-compliant ran out of their comparison time budget"),
        run.out());
  }

  @Test
  void run_badTimeBudget_isUsage() {
    CommandRun run = run(TF + "aligned.plan.json", "--time-budget", "soon");

    assertEquals(2, run.exit());
    assertEquals(
        "error: --time-budget takes a duration such as 500ms, 10s or 2m, not 'soon'\n", run.err());
  }

  /** A primary and a replica whose extra statement has a Sid made to rewrite a terminal. */
  private static Path hostileTemplate(Path dir) throws java.io.IOException {
    String admin =
        """
        {"Sid":"Admin","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},
         "Action":"kms:*","Resource":"*"}""";
    String hostile =
        """
        ,{"Sid":"X\\u009b2J\\u007f\\u00adCOMPLIANT","Effect":"Allow",
          "Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:Decrypt",
          "Resource":"*"}""";
    String template =
        """
        {"Resources":{
         "Primary":{"Type":"AWS::KMS::Key",
          "Properties":{"MultiRegion":true,"KeyPolicy":{"Statement":[%s]}}},
         "Replica":{"Type":"AWS::KMS::ReplicaKey",
          "Properties":{"PrimaryKeyArn":{"Fn::GetAtt":["Primary","Arn"]},
                        "KeyPolicy":{"Statement":[%s%s]}}}}}
        """
            .formatted(admin, admin, hostile);
    return Files.writeString(dir.resolve("hostile.json"), template);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"text", "json", "sarif"})
  void run_hostileSid_isEscapedInEveryFormat(String format, @TempDir Path dir) throws Exception {
    CommandRun run =
        run(hostileTemplate(dir) + "@us-east-1", "--account=111122223333", "--format", format);

    assertEquals(1, run.exit(), run.out() + run.err());
    assertTrue(run.out().contains("X\\u009b2J\\u007f\\u00adCOMPLIANT"), run.out());
    assertTrue(run.out().chars().noneMatch(c -> c == 0x9b || c == 0x7f || c == 0xad), run.out());
  }
}
