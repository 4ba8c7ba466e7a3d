package dev.mrkpolicyguard.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PermissionPlanTest {
  static final String ALIAS =
      "arn:aws:lambda:eu-west-1:111122223333:function:mrk-policy-guard-rule:live";

  /** The statement the stack's own AWS::Lambda::Permission writes (an id CloudFormation chose). */
  static final String STACK_STATEMENT =
      """
      {"Sid":"mrk-policy-guard-RuleConfigPermission-AbC123","Effect":"Allow",
       "Principal":{"Service":"config.amazonaws.com"},"Action":"lambda:InvokeFunction",
       "Resource":"%s","Condition":{"StringEquals":{"AWS:SourceAccount":"111122223333"}}}"""
          .formatted(ALIAS);

  static String owned(String account) {
    return """
        {"Sid":"config-%s","Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},
         "Action":"lambda:InvokeFunction","Resource":"%s",
         "Condition":{"StringEquals":{"AWS:SourceAccount":"%s"}}}"""
        .formatted(account, ALIAS, account);
  }

  static String policy(String... statements) {
    return "{\"Version\":\"2012-10-17\",\"Id\":\"default\",\"Statement\":["
        + String.join(",", statements)
        + "]}";
  }

  static List<OrgAccount> accounts(String... idAndState) {
    List<OrgAccount> out = new ArrayList<>();
    for (String s : idAndState) {
      String[] parts = s.split("=");
      out.add(new OrgAccount(parts[0], parts[1]));
    }
    return out;
  }

  @Test
  void of_newAndClosedAccounts_addsTheNewRemovesTheClosedKeepsTheRest() {
    ResourcePolicy current =
        ResourcePolicy.parse(policy(STACK_STATEMENT, owned("222233334444"), owned("555566667777")));

    PermissionPlan plan =
        PermissionPlan.of(
            accounts(
                "111122223333=ACTIVE",
                "222233334444=ACTIVE",
                "444455556666=ACTIVE",
                "555566667777=SUSPENDED"),
            current,
            ALIAS,
            PermissionPlan.POLICY_LIMIT_BYTES);

    assertEquals(List.of("444455556666"), plan.add());
    assertEquals(List.of("config-555566667777"), plan.remove());
    assertEquals(List.of(), plan.leftOut());
    // The central account by the stack's statement, 222233334444 by its own.
    assertEquals(2, plan.covered());
  }

  @Test
  void of_accountNoLongerListed_removesItsStatementOnly() {
    ResourcePolicy current =
        ResourcePolicy.parse(
            policy(
                STACK_STATEMENT,
                owned("999988887777"),
                """
                {"Sid":"config-team-rule","Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},
                 "Action":"lambda:InvokeFunction","Resource":"%s",
                 "Condition":{"StringEquals":{"AWS:SourceAccount":"999988887777"}}}"""
                    .formatted(ALIAS)));

    PermissionPlan plan =
        PermissionPlan.of(accounts("111122223333=ACTIVE"), current, ALIAS, 20_480);

    // config-team-rule has the prefix but not the form config-<12 digits>: not ours.
    assertEquals(List.of("config-999988887777"), plan.remove());
    assertEquals(List.of(), plan.add());
  }

  @Test
  void of_secondRunAfterTheFirst_plansNothing() {
    ResourcePolicy after =
        ResourcePolicy.parse(policy(STACK_STATEMENT, owned("222233334444"), owned("444455556666")));

    PermissionPlan plan =
        PermissionPlan.of(
            accounts("111122223333=ACTIVE", "222233334444=ACTIVE", "444455556666=ACTIVE"),
            after,
            ALIAS,
            20_480);

    assertTrue(plan.empty());
    assertEquals(3, plan.covered());
  }

  @Test
  void of_noPolicyYet_addsEveryActiveAccountInOrder() {
    PermissionPlan plan =
        PermissionPlan.of(
            accounts("444455556666=ACTIVE", "222233334444=ACTIVE", "333344445555=CLOSED"),
            ResourcePolicy.none(),
            ALIAS,
            20_480);

    assertEquals(List.of("222233334444", "444455556666"), plan.add());
  }

  @Test
  void of_limitReached_addsWhatFitsAndLeavesOutEveryLaterAccount() {
    int one = PermissionPlan.statementBytes("222233334444", ALIAS);
    String text = policy(STACK_STATEMENT);
    int base = ResourcePolicy.parse(text).bytes();
    // Room for exactly two more statements (each with its comma).
    int limit = base + 2 * (one + 1);

    PermissionPlan plan =
        PermissionPlan.of(
            accounts(
                "111122223333=ACTIVE",
                "222233334444=ACTIVE",
                "333344445555=ACTIVE",
                "444455556666=ACTIVE",
                "555566667777=ACTIVE"),
            ResourcePolicy.parse(text),
            ALIAS,
            limit);

    assertEquals(List.of("222233334444", "333344445555"), plan.add());
    assertEquals(List.of("444455556666", "555566667777"), plan.leftOut());
    assertEquals(limit, plan.bytesAfter());
  }

  @Test
  void of_removalFreesRoom_countsItBeforeAdding() {
    String text = policy(STACK_STATEMENT, owned("999988887777"));
    ResourcePolicy current = ResourcePolicy.parse(text);
    // No room for a third statement, but the closed account's goes first.
    int limit = current.bytes();

    PermissionPlan plan =
        PermissionPlan.of(
            accounts("111122223333=ACTIVE", "222233334444=ACTIVE", "999988887777=CLOSED"),
            current,
            ALIAS,
            limit);

    assertEquals(List.of("config-999988887777"), plan.remove());
    assertEquals(List.of("222233334444"), plan.add());
    assertEquals(List.of(), plan.leftOut());
  }

  @Test
  void statementBytes_sameAsTheStatementLambdaStores() {
    String stored = owned("222233334444").replace("\n", "").replace(" ", "");

    assertEquals(stored.length(), PermissionPlan.statementBytes("222233334444", ALIAS));
  }

  @Test
  void of_idTakenByAStatementForAnotherAccount_leftAloneAndReported() {
    String foreign =
        owned("222233334444")
            .replace(
                "\"AWS:SourceAccount\":\"222233334444\"", "\"AWS:SourceAccount\":\"777788889999\"");

    PermissionPlan plan =
        PermissionPlan.of(
            accounts("222233334444=ACTIVE", "777788889999=ACTIVE"),
            ResourcePolicy.parse(policy(foreign)),
            ALIAS,
            20_480);

    assertEquals(List.of("222233334444"), plan.blocked());
    assertEquals(List.of(), plan.add());
    assertEquals(List.of(), plan.remove());
  }

  @Test
  void of_emptyOrganisation_refusedRatherThanRemovingEverything() {
    ResourcePolicy current = ResourcePolicy.parse(policy(owned("222233334444")));

    assertThrows(
        IllegalArgumentException.class, () -> PermissionPlan.of(List.of(), current, ALIAS, 20_480));
  }

  @Test
  void parse_notJson_clearError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ResourcePolicy.parse("{not json"));

    assertEquals("the alias's resource policy is not JSON", e.getMessage());
  }
}
