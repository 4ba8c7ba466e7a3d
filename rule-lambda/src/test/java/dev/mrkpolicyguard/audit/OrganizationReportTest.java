package dev.mrkpolicyguard.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.engine.rule.Baseline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The organisation report over the example fleet read as two accounts, and one not read. */
class OrganizationReportTest {
  private final AuditReport fleet = exampleFleet();

  @Test
  void summary_twoAccountsRead_addsTheirCounts() {
    OrganizationReport report = report(account("111122223333"), account("444455556666"));

    assertEquals(2 * fleet.summary().keys(), report.summary().keys());
    assertEquals(2 * fleet.summary().nonCompliant(), report.summary().nonCompliant());
  }

  @Test
  void exitCode_accountNotRead_isPartialEvenWithoutKeys() {
    OrganizationReport report = report(unread("777788889999"));

    assertEquals(AuditReport.PARTIAL, report.exitCode());
    assertEquals(0, report.summary().keys());
  }

  @Test
  void table_accountNotRead_listedWithItsReason() {
    String table = report(account("111122223333"), unread("777788889999")).table();

    assertTrue(table.contains("== Account 777788889999 ==\nCould not be read: denied"), table);
    assertTrue(table.contains("2 accounts: 1 read, 1 could not be read."), table);
    assertTrue(table.contains("  777788889999: denied\n"), table);
  }

  @Test
  void json_accountNotRead_inAccountsAndUnreadAccounts() {
    String json = report(account("111122223333"), unread("777788889999")).json();

    assertTrue(json.contains("\"unreadAccounts\" : [ {\n    \"account\" : \"777788889999\""), json);
    assertTrue(json.contains("\"accountsUnread\" : 1"), json);
  }

  private OrganizationReport.Account account(String id) {
    return new OrganizationReport.Account(id, fleet, null);
  }

  private static OrganizationReport.Account unread(String id) {
    return new OrganizationReport.Account(id, null, "denied");
  }

  private static AuditReport exampleFleet() {
    try {
      String json = Files.readString(Path.of(AuditRun.FLEET));
      var read = (SnapshotReader.Result.Read) new SnapshotReader().read(json);
      return new FleetAudit().audit(read.snapshot(), Baseline.DEFAULT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static OrganizationReport report(OrganizationReport.Account... accounts) {
    return new OrganizationReport(List.of(accounts));
  }
}
