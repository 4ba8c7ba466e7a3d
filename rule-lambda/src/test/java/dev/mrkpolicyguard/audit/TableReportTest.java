package dev.mrkpolicyguard.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TableReportTest {
  private static String table;

  @BeforeAll
  static void renderExampleFleet() {
    table = AuditRun.exampleFleet("table").out();
  }

  @Test
  void render_exampleFleet_hasARowForEachMultiRegionKeyInEachRegion() {
    for (String id :
        List.of(
            "mrk-1234abcd12ab34cd56ef1234567890ab",
            "mrk-8f3e2d1c0b9a48e7a6f5c4d3b2a19081",
            "mrk-5c0ffee1d2e34f5a9b8c7d6e5f4a3b21")) {
      assertTrue(table.contains(id), table);
    }
    assertEquals(10, table.lines().filter(l -> l.contains(" mrk-")).count());
  }

  @Test
  void render_exampleFleet_countsSingleRegionAndAwsManagedKeysInTheSummaryOnly() {
    assertFalse(table.contains("alias/aws/ebs"), table);
    assertTrue(
        table.contains(
            "13 keys: 10 multi-Region (3 primaries, 7 replicas): 2 compliant, 8 non-compliant,"
                + " 0 deferred, 0 not evaluated; 3 not applicable"),
        table);
  }

  @Test
  void render_replicaRow_showsRolePrimaryRegionVerdictAndFirstFinding() {
    String row =
        table
            .lines()
            .filter(l -> l.contains("ap-southeast-2") && l.contains("mrk-1234"))
            .findFirst()
            .orElseThrow();
    assertTrue(
        row.matches(
            "alias/payments +mrk-\\S+ +ap-southeast-2 +REPLICA +us-east-1 +"
                + "NON_COMPLIANT +REPLICA_GRANTS_MORE: .*444455556666 may kms:Decrypt"),
        row);
  }

  @Test
  void render_aliasesAndErrorsWithTerminalEscapes_showsThemEscapedInAlignedColumns() {
    AuditRun run =
        AuditRun.of(
            "--snapshot", AuditRun.fixture("aliases-and-policy-error-with-terminal-escapes.json"));

    List<String> lines = run.out().lines().toList();
    assertTrue(
        lines
            .get(1)
            .matches(
                "alias/\\\\u001b\\[2J\\\\u001b\\[Hpayments\\\\u202e  mrk-\\S+  us-east-1  PRIMARY  .*"),
        lines.get(1));
    assertTrue(
        lines
            .get(2)
            .matches(
                "alias/\\\\u009b31mreplica +mrk-\\S+  eu-west-1  REPLICA  us-east-1  NON_COMPLIANT "
                    + " POLICY_UNREADABLE: Cannot read this key's policy: .*not"
                    + " authorized\\\\u001b\\[1A\\\\u001b\\[2KEQUIVALENT"),
        lines.get(2));
    assertEquals(lines.get(0).indexOf("KEY ID"), lines.get(2).indexOf("mrk-"), run.out());
    assertTrue(
        run.out()
            .lines()
            .anyMatch(
                line ->
                    line.startsWith(
                            "  arn:aws:kms:eu-west-1:111122223333:key/"
                                + "mrk-0123456789abcdef0123456789abcdef: Cannot read this key's policy: ")
                        && line.endsWith("not authorized\\u001b[1A\\u001b[2KEQUIVALENT")),
        run.out());
    assertTrue(
        run.out().chars().noneMatch(c -> (c < 0x20 && c != '\n') || c == 0x9b || c == 0x202e),
        run.out());
  }
}
