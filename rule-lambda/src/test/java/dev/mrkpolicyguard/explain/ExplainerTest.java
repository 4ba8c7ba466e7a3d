package dev.mrkpolicyguard.explain;

import static dev.mrkpolicyguard.explain.Fixtures.PRIMARY;
import static dev.mrkpolicyguard.explain.Fixtures.REPLICA;
import static dev.mrkpolicyguard.explain.Fixtures.explain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.engine.eval.Caller;
import dev.mrkpolicyguard.engine.eval.Decision;
import dev.mrkpolicyguard.engine.rule.KeyFacts;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import dev.mrkpolicyguard.explain.Explanation.Branch;
import dev.mrkpolicyguard.explain.Explanation.Judged;
import dev.mrkpolicyguard.explain.Explanation.StatementNote;
import dev.mrkpolicyguard.explain.Explanation.StatementNote.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplainerTest {
  private static final Assumption IAM_ALLOWS = new Assumption.IdentityPolicy(true);
  private static final Assumption IAM_DOES_NOT = new Assumption.IdentityPolicy(false);
  private static final Assumption IN_ORGANIZATION =
      new Assumption.KeyValue("aws:PrincipalOrgID", "o-exampleorg1");

  @Test
  void explain_assumedRoleWithoutIdentityPolicy_isDriftNamingThePrimaryStatement() {
    Judged j = judged("assumed-role-decrypt-no-identity-policy.json");

    assertEquals(Verdict.DRIFT_EXPLAINS_DENIAL, j.verdict());
    assertFalse(j.conditional());
    assertEquals(
        List.of(new StatementNote("'App use'", Role.ALLOWS, null)), j.branches().get(0).primary());
    assertEquals(
        new StatementNote("'App use'", Role.MISSES, "does not cover kms:Decrypt"),
        j.branches().get(0).replica().get(0));
  }

  @Test
  void explain_assumedRoleWithIamUnknown_isDriftIfIamDoesNotAllowElseKeyPolicyAllows() {
    Judged j = judged("assumed-role-decrypt-no-resource-policy.json");

    assertEquals(List.of(Verdict.DRIFT_EXPLAINS_DENIAL, Verdict.KEY_POLICY_ALLOWS), verdicts(j));
    assertEquals(List.of(List.of(IAM_DOES_NOT)), j.branches().get(0).when());
    assertEquals(List.of(List.of(IAM_ALLOWS)), j.branches().get(1).when());
    assertEquals(List.of("identityPolicyAllows"), j.unknowns());
  }

  @Test
  void explain_assumedRole_callerIsTheRoleWithItsSession() {
    Judged j = judged("assumed-role-decrypt-no-identity-policy.json");

    assertEquals(
        new Caller.Iam("arn:aws:iam::111122223333:role/AppRole", "payments-worker"),
        j.request().caller());
    assertEquals(Boolean.FALSE, j.request().identityPolicyAllows());
  }

  @Test
  void explain_iamUserWithoutIdentityPolicy_isBothDenyNamingTheDelegatedGrant() {
    Judged j = judged("iam-user-encrypt-no-identity-policy.json");

    assertEquals(List.of(Verdict.BOTH_DENY), verdicts(j));
    assertEquals(
        new StatementNote(
            "'Enable IAM User Permissions'",
            Role.MISSES,
            "grants it to the caller's account, which takes effect only where the caller's IAM"
                + " policies allow kms:Encrypt"),
        j.branches().get(0).replica().get(0));
  }

  @Test
  void explain_rootDeniedByScp_isKeyPolicyAllowsPointingAtTheScp() {
    Judged j = judged("root-decrypt-explicit-deny-in-scp.json");

    assertEquals(List.of(Verdict.KEY_POLICY_ALLOWS), verdicts(j));
    assertEquals(List.of(PolicyKind.SERVICE_CONTROL_POLICY), j.pointsAt());
    assertEquals(
        "arn:aws:organizations::999988887777:policy/o-exampleorg1/service_control_policy/p-examplescp1",
        j.message().policyArn());
  }

  @Test
  void explain_awsServiceCloudTrail_isDriftOnAStatementTheReplicaLacks() {
    Judged j = judged("aws-service-cloudtrail-generate-data-key-denied.json");

    assertEquals(List.of(Verdict.DRIFT_EXPLAINS_DENIAL), verdicts(j));
    assertEquals(new Caller.Service("cloudtrail.amazonaws.com"), j.request().caller());
    assertEquals(
        new StatementNote(null, Role.MISSES, "has no statement 'CloudTrail logs'"),
        j.branches().get(0).replica().get(0));
  }

  @Test
  void explain_crossAccountWithOpaqueMessage_triesTheNamedPrincipalAndAnUnnamedOne() {
    Judged j = judged("cross-account-decrypt-opaque-message.json");
    Assumption partner =
        new Assumption.CallerIs(
            new Caller.Iam("arn:aws:iam::444455556666:role/Partner", "batch-7"), true);

    assertEquals(List.of(Verdict.DRIFT_EXPLAINS_DENIAL, Verdict.BOTH_DENY), verdicts(j));
    assertEquals(
        List.of(List.of(partner, IAM_ALLOWS), List.of(IAM_ALLOWS, IN_ORGANIZATION)),
        j.branches().get(0).when());
    assertEquals(List.of("caller", "identityPolicyAllows", "aws:PrincipalOrgID"), j.unknowns());
  }

  @Test
  void explain_crossAccountWithCallerInMessage_judgesThatCaller() {
    Judged j = judged("cross-account-decrypt-caller-in-message.json");

    assertEquals(
        "arn:aws:sts::444455556666:assumed-role/Partner/batch-7", j.request().caller().text());
    assertEquals(List.of(Verdict.DRIFT_EXPLAINS_DENIAL, Verdict.BOTH_DENY), verdicts(j));
    assertEquals(List.of(List.of(IAM_ALLOWS)), j.branches().get(0).when());
  }

  @Test
  void explain_secretsManagerMediated_isDriftOnTheReplicasStaleViaService() {
    Judged j = judged("secrets-manager-generate-data-key-denied.json");
    Branch drift = j.branches().get(0);

    assertEquals(List.of(Verdict.DRIFT_EXPLAINS_DENIAL), verdicts(j));
    assertEquals(
        List.of(new StatementNote("'Secrets Manager'", Role.ALLOWS, null)), drift.primary());
    assertEquals(
        new StatementNote(
            "'Secrets Manager'",
            Role.MISSES,
            "requires kms:ViaService StringEquals secretsmanager.us-east-1.amazonaws.com; the"
                + " request has secretsmanager.eu-west-1.amazonaws.com"),
        drift.replica().get(0));
  }

  @Test
  void explain_ebsMediatedDeniedByScp_isKeyPolicyAllowsThroughTheEbsStatement() {
    Judged j = judged("ebs-decrypt-explicit-deny-in-scp.json");

    assertEquals(Verdict.KEY_POLICY_ALLOWS, j.verdict());
    assertEquals(
        new StatementNote("'EBS through EC2'", Role.ALLOWS, null),
        j.branches().get(0).replica().get(0));
    assertEquals(List.of("ec2.eu-west-1.amazonaws.com"), j.request().value("kms:viaservice"));
  }

  @Test
  void explain_explicitDenyOnlyInReplica_isDriftNamingTheDenyingStatement() {
    Judged j = judged("replica-only-deny-encrypt-without-context.json");

    assertEquals(List.of(Verdict.DRIFT_EXPLAINS_DENIAL), verdicts(j));
    assertEquals(
        List.of(new StatementNote("'Require encryption context'", Role.DENIES, null)),
        j.branches().get(0).replica());
  }

  @Test
  void explain_explicitDenyInBoth_isBothDeny() {
    Judged j = judged("schedule-key-deletion-explicit-deny-on-both.json");
    Branch both = j.branches().get(0);

    assertEquals(List.of(Verdict.BOTH_DENY), verdicts(j));
    assertEquals(
        List.of(new StatementNote("'Only key administrators delete'", Role.DENIES, null)),
        both.primary());
    assertEquals(both.primary(), both.replica());
  }

  @Test
  void explain_successfulCall_isKeyPolicyAllowsForARecordThatSucceeded() {
    Judged j = judged("describe-key-succeeded.json");

    assertTrue(j.record().succeeded());
    assertEquals(List.of(Verdict.KEY_POLICY_ALLOWS), verdicts(j));
    assertEquals(Decision.ALLOW, j.branches().get(0).example().replica());
  }

  @Test
  void explain_organizationUnknown_isDriftOnlyForCallersInTheOrganization() {
    Judged j = judged("iam-user-decrypt-organization-unknown.json");

    assertEquals(
        List.of(Verdict.DRIFT_EXPLAINS_DENIAL, Verdict.BOTH_DENY, Verdict.KEY_POLICY_ALLOWS),
        verdicts(j));
    assertEquals(List.of(List.of(IAM_DOES_NOT, IN_ORGANIZATION)), j.branches().get(0).when());
    assertEquals(List.of(List.of(IAM_ALLOWS)), j.branches().get(2).when());
  }

  @Test
  void explain_vpcEndpointDenial_pointsAtTheEndpointPolicy() {
    Judged j = judged("vpc-endpoint-encrypt-explicit-deny-in-endpoint-policy.json");

    assertEquals(Verdict.KEY_POLICY_ALLOWS, j.verdict());
    assertEquals(List.of(PolicyKind.VPC_ENDPOINT_POLICY), j.pointsAt());
  }

  @Test
  void explain_unknownKey_isUnexplainedNamingTheKey() {
    Explanation e = explain("unknown-key-decrypt-denied.json");

    assertEquals(
        "unknown key arn:aws:kms:eu-west-1:111122223333:key/mrk-ffffeeeeddddccccbbbbaaaa99998888:"
            + " the snapshot (captured 2025-06-03T08:00:00Z) has no such key: it was created after"
            + " the snapshot, deleted, or the record names a key of another account",
        ((Explanation.Unexplained) e).problem());
  }

  @Test
  void explain_primaryKey_isNotAReplica() {
    Explanation.NotApplicable n =
        (Explanation.NotApplicable) explain("primary-key-decrypt-denied.json");

    assertEquals(Verdict.NOT_A_REPLICA, n.verdict());
    assertEquals(PRIMARY, n.keyArn());
  }

  @Test
  void explain_singleRegionKey_isNotAReplicaWithoutReadingIt() {
    Explainer explainer =
        new Explainer(
            arn -> {
              throw new AssertionError("a single-Region key needs no read: " + arn);
            });

    Explanation e =
        explainer.explain(Fixtures.entries("single-region-key-decrypt-denied.json").get(0)).get();

    assertEquals(Verdict.NOT_A_REPLICA, ((Explanation.NotApplicable) e).verdict());
  }

  @Test
  void explain_createKey_isNotAKeyPolicyAction() {
    Explanation.NotApplicable n = (Explanation.NotApplicable) explain("create-key-denied.json");

    assertEquals(Verdict.NOT_KEY_POLICY_ACTION, n.verdict());
    assertEquals("kms:CreateKey uses no KMS key: IAM policies alone authorise it", n.reason());
  }

  @Test
  void explain_logFileWithOtherServices_explainsOnlyTheKmsRecords() {
    ExplainReport report =
        new Explainer(Fixtures.snapshot())
            .explain(Fixtures.entries("log-file-mixed-services.json"));

    assertEquals(3, report.results().size());
    assertEquals(1, report.otherServices());
    assertEquals(0, report.exitCode());
  }

  @Test
  void explain_malformedLines_areUnexplainedAndTheOthersExplained() {
    ExplainReport report =
        new Explainer(Fixtures.snapshot())
            .explain(Fixtures.entries("json-lines-with-malformed-records.jsonl"));

    assertEquals(
        List.of("line 2", "line 3", "line 4"),
        report.unexplained().stream().map(u -> u.record().where()).toList());
    assertEquals("the record has no eventName", report.unexplained().get(2).problem());
    assertEquals(5, report.results().size());
    assertEquals(4, report.exitCode());
  }

  @Test
  void explain_replicaPolicyUnreadable_isUnexplainedWithTheReason() {
    KeyFacts facts =
        new KeyFacts(
            REPLICA,
            KeyRole.REPLICA,
            PRIMARY,
            false,
            "Enabled",
            new PolicyFact.Unreadable("AccessDeniedException", "kms:GetKeyPolicy was denied"),
            new PolicyFact.Known("{}"));
    Explainer explainer = new Explainer(arn -> new KeyFactsSource.Lookup.Found(facts));

    Explanation e =
        explainer
            .explain(Fixtures.entries("assumed-role-decrypt-no-identity-policy.json").get(0))
            .get();

    assertEquals(
        "cannot read the replica's policy: kms:GetKeyPolicy was denied",
        ((Explanation.Unexplained) e).problem());
  }

  @Test
  void explain_keySourceFails_isUnexplainedWithItsReason() {
    Explainer explainer = new Explainer(arn -> new KeyFactsSource.Lookup.Failed("throttled"));

    Explanation e =
        explainer
            .explain(Fixtures.entries("assumed-role-decrypt-no-identity-policy.json").get(0))
            .get();

    assertEquals(
        "cannot read key " + REPLICA + ": throttled", ((Explanation.Unexplained) e).problem());
  }

  private static Judged judged(String name) {
    return (Judged) explain(name);
  }

  private static List<Verdict> verdicts(Judged j) {
    return j.branches().stream().map(Branch::verdict).toList();
  }
}
