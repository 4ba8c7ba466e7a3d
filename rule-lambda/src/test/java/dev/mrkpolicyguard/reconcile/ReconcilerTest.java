package dev.mrkpolicyguard.reconcile;

import static dev.mrkpolicyguard.reconcile.PermissionPlanTest.ALIAS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.core.AwsCallFailed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
  /** An alias policy in memory, with Lambda's size limit. */
  static final class FakePolicy implements AliasPolicy {
    final Map<String, String> statements = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    int limit = PermissionPlan.POLICY_LIMIT_BYTES;
    String failAdd;

    String text() {
      return PermissionPlanTest.policy(statements.values().toArray(String[]::new));
    }

    @Override
    public Optional<String> read() {
      calls.add("GetPolicy");
      return statements.isEmpty() ? Optional.empty() : Optional.of(text());
    }

    @Override
    public Added add(String sid, String account) {
      calls.add("AddPermission " + sid);
      if (account.equals(failAdd)) {
        return new Added.Failed("ServiceException", "try later");
      }
      if (statements.containsKey(sid)) {
        return new Added.AlreadyThere();
      }
      statements.put(sid, PermissionPlanTest.owned(account).replace("\n", "").replace(" ", ""));
      if (text().length() > limit) {
        statements.remove(sid);
        return new Added.TooLarge("The final policy size is bigger than the limit.");
      }
      return new Added.Done();
    }

    @Override
    public Removed remove(String sid) {
      calls.add("RemovePermission " + sid);
      return statements.remove(sid) == null ? new Removed.AlreadyGone() : new Removed.Done();
    }
  }

  private final FakePolicy policy = new FakePolicy();

  private Reconciler reconciler(List<OrgAccount> accounts) {
    return new Reconciler(() -> accounts, policy, ALIAS, PermissionPlan.POLICY_LIMIT_BYTES);
  }

  @Test
  void run_newAndSuspendedAccounts_policyEndsWithTheActiveOnes() {
    policy.statements.put("keep-me", PermissionPlanTest.STACK_STATEMENT);
    policy.statements.put("config-555566667777", PermissionPlanTest.owned("555566667777"));

    ReconcileReport report =
        reconciler(
                PermissionPlanTest.accounts(
                    "111122223333=ACTIVE", "444455556666=ACTIVE", "555566667777=SUSPENDED"))
            .run();

    assertEquals(List.of("444455556666"), report.added());
    assertEquals(List.of("config-555566667777"), report.removed());
    assertEquals(
        List.of("keep-me", "config-444455556666"), List.copyOf(policy.statements.keySet()));
    assertEquals(List.of(), report.failures());
  }

  @Test
  void run_twice_secondRunOnlyReads() {
    List<OrgAccount> accounts =
        PermissionPlanTest.accounts("222233334444=ACTIVE", "444455556666=ACTIVE");
    reconciler(accounts).run();
    policy.calls.clear();

    ReconcileReport again = reconciler(accounts).run();

    assertEquals(List.of("GetPolicy"), policy.calls);
    assertEquals(List.of(), again.added());
    assertEquals(List.of(), again.removed());
  }

  @Test
  void run_lambdaRefusesPastItsLimit_restLeftOut() {
    // Lambda counts more than the plan's estimate: the second add is refused.
    policy.limit =
        PermissionPlanTest.policy(PermissionPlanTest.owned("222233334444")).length() + 10;

    ReconcileReport report =
        reconciler(
                PermissionPlanTest.accounts(
                    "222233334444=ACTIVE", "333344445555=ACTIVE", "444455556666=ACTIVE"))
            .run();

    assertEquals(List.of("222233334444"), report.added());
    assertEquals(List.of("333344445555", "444455556666"), report.leftOut());
    assertEquals(
        List.of(
            "GetPolicy", "AddPermission config-222233334444", "AddPermission config-333344445555"),
        policy.calls);
  }

  @Test
  void run_listAccountsRefused_changesNothing() {
    policy.statements.put("config-222233334444", PermissionPlanTest.owned("222233334444"));
    AccountDirectory refused =
        () -> {
          throw new AwsCallFailed(
              "ListAccounts AccessDeniedException: not the management account", "denied", null);
        };

    ReconcileReport report =
        new Reconciler(refused, policy, ALIAS, PermissionPlan.POLICY_LIMIT_BYTES).run();

    assertEquals(List.of(), policy.calls);
    assertEquals(1, report.failures().size());
    assertTrue(
        report.failures().get(0).contains("AccessDeniedException"), report.failures().get(0));
  }

  @Test
  void run_oneAddFails_othersStillAddedAndTheFailureReported() {
    policy.failAdd = "333344445555";

    ReconcileReport report =
        reconciler(
                PermissionPlanTest.accounts(
                    "222233334444=ACTIVE", "333344445555=ACTIVE", "444455556666=ACTIVE"))
            .run();

    assertEquals(List.of("222233334444", "444455556666"), report.added());
    assertEquals(
        List.of("AddPermission config-333344445555: ServiceException: try later"),
        report.failures());
  }

  @Test
  void run_aliasDoesNotExist_oneFailureNotOnePerAccount() {
    AliasPolicy missing =
        new AliasPolicy() {
          @Override
          public Optional<String> read() {
            return Optional.empty();
          }

          @Override
          public Added add(String sid, String account) {
            return new Added.Failed("ResourceNotFoundException", "Function not found");
          }

          @Override
          public Removed remove(String sid) {
            throw new AssertionError("nothing to remove");
          }
        };

    ReconcileReport report =
        new Reconciler(
                () -> PermissionPlanTest.accounts("222233334444=ACTIVE", "333344445555=ACTIVE"),
                missing,
                ALIAS,
                PermissionPlan.POLICY_LIMIT_BYTES)
            .run();

    assertEquals(
        List.of("AddPermission config-222233334444: ResourceNotFoundException: Function not found"),
        report.failures());
    assertEquals(List.of(), report.added());
  }

  @Test
  void line_leftOutAccounts_warnsAndPublishesTheMetric() {
    ReconcileReport report =
        new ReconcileReport(
            3,
            List.of("222233334444"),
            List.of(),
            List.of("444455556666"),
            List.of(),
            List.of(),
            20_000,
            List.of(),
            "");

    ObjectNode line = ReconcileLog.line(report, "req-1", ALIAS, Map.of(), 12, Instant.EPOCH);

    assertEquals("WARN", line.path("level").asText());
    assertEquals("444455556666", line.at("/leftOut/0").asText());
    assertEquals(1, line.path("AccountsLeftOut").asInt());
    assertEquals("Reconcile", line.path("Component").asText());
    assertEquals("AccountsLeftOut", line.at("/_aws/CloudWatchMetrics/0/Metrics/2/Name").asText());
    assertEquals("Component", line.at("/_aws/CloudWatchMetrics/0/Dimensions/0/0").asText());
  }

  /** An organization pack in memory. */
  static final class FakePack implements OrganizationPack {
    final List<Member> members = new ArrayList<>();
    boolean denied;

    @Override
    public List<Member> members(String name) {
      if (denied) {
        throw new AwsCallFailed(
            "GetOrganizationConformancePackDetailedStatus OrganizationAccessDeniedException: not"
                + " the management account",
            "denied",
            null);
      }
      return members;
    }

    @Override
    public Definition definition(String name) {
      return new Definition(
          name,
          List.of("111111111111"),
          Map.of(
              "RuleFunctionArn", ALIAS,
              "ExecutionRoleName", "mrk-policy-guard-member",
              "MaximumExecutionFrequency", "TwentyFour_Hours"),
          Optional.empty());
    }
  }

  private Reconciler withPack(FakePack pack, List<OrgAccount> accounts) {
    return new Reconciler(
        () -> accounts,
        policy,
        ALIAS,
        PermissionPlan.POLICY_LIMIT_BYTES,
        Optional.of(
            new Reconciler.PackCheck(
                pack,
                "mrk-policy-guard",
                "eu-west-1",
                "s3://packs-eu-west-1/detection-pack.yaml")));
  }

  @Test
  void run_packFailedInANewAccount_reportsItWithTheRePutCommand() {
    FakePack pack = new FakePack();
    pack.members.add(new OrganizationPack.Member("222233334444", "CREATE_SUCCESSFUL", "", ""));
    pack.members.add(
        new OrganizationPack.Member(
            "444455556666",
            "CREATE_FAILED",
            "InsufficientPermissionsException",
            "The AWS Lambda function cannot be invoked."));

    ReconcileReport report =
        withPack(pack, PermissionPlanTest.accounts("222233334444=ACTIVE", "444455556666=ACTIVE"))
            .run();

    assertEquals(
        List.of(
            "444455556666 CREATE_FAILED InsufficientPermissionsException: The AWS Lambda function"
                + " cannot be invoked."),
        report.packFailedAccounts());
    assertEquals(
        "aws configservice put-organization-conformance-pack --region eu-west-1"
            + " --organization-conformance-pack-name mrk-policy-guard"
            + " --template-s3-uri s3://packs-eu-west-1/detection-pack.yaml"
            + " --excluded-accounts 111111111111"
            + " --conformance-pack-input-parameters"
            + " '[{\"ParameterName\":\"ExecutionRoleName\",\"ParameterValue\":\"mrk-policy-guard-member\"},"
            + "{\"ParameterName\":\"MaximumExecutionFrequency\",\"ParameterValue\":\"TwentyFour_Hours\"},"
            + "{\"ParameterName\":\"RuleFunctionArn\",\"ParameterValue\":\""
            + ALIAS
            + "\"}]'",
        report.packRePut());
    // The permission the failed account lacked was added first.
    assertEquals(List.of("222233334444", "444455556666"), report.added());
  }

  @Test
  void run_packEverywhereFine_noCommand() {
    FakePack pack = new FakePack();
    pack.members.add(new OrganizationPack.Member("222233334444", "UPDATE_SUCCESSFUL", "", ""));

    ReconcileReport report =
        withPack(pack, PermissionPlanTest.accounts("222233334444=ACTIVE")).run();

    assertEquals(List.of(), report.packFailedAccounts());
    assertEquals("", report.packRePut());
  }

  @Test
  void run_packStatusDenied_permissionsStillReconciledAndTheFailureReported() {
    FakePack pack = new FakePack();
    pack.denied = true;

    ReconcileReport report =
        withPack(pack, PermissionPlanTest.accounts("222233334444=ACTIVE")).run();

    assertEquals(List.of("222233334444"), report.added());
    assertEquals(1, report.failures().size());
    assertTrue(
        report.failures().get(0).contains("OrganizationAccessDeniedException"),
        report.failures().get(0));
  }

  @Test
  void quote_valueWithQuotesAndSpaces_oneShellWord() {
    assertEquals("'it'\\''s a value'", PackRePut.quote("it's a value"));
    assertEquals("mrk-policy-guard", PackRePut.quote("mrk-policy-guard"));
  }
}
