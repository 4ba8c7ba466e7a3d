package dev.mrkpolicyguard.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.FindingCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the audit judges keys a capture could not fully read: as the rule would. */
class FleetAuditTest {
  private static final String ID = "mrk-0123456789abcdef0123456789abcdef";
  private static final String PRIMARY = "arn:aws:kms:us-east-1:111122223333:key/" + ID;
  private static final String REPLICA = "arn:aws:kms:eu-west-1:111122223333:key/" + ID;
  private static final String POLICY =
      "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
          + "\\\"Principal\\\":{\\\"AWS\\\":\\\"arn:aws:iam::111122223333:root\\\"},"
          + "\\\"Action\\\":\\\"kms:*\\\",\\\"Resource\\\":\\\"*\\\"}]}";

  private static String replica(String policyFields) {
    return "{\"region\":\"eu-west-1\",\"metadata\":{\"Arn\":\""
        + REPLICA
        + "\",\"KeyManager\":\"CUSTOMER\",\"KeyState\":\"Enabled\",\"MultiRegion\":true,"
        + "\"MultiRegionConfiguration\":{\"MultiRegionKeyType\":\"REPLICA\","
        + "\"PrimaryKey\":{\"Arn\":\""
        + PRIMARY
        + "\"}}},"
        + policyFields
        + ",\"aliases\":[\"alias/app\"]}";
  }

  /** The primary, listed but not described (DescribeKey {@code code}), with {@code extra}. */
  private static String undescribedPrimary(String code, String extra) {
    return "{\"region\":\"us-east-1\",\"keyArn\":\""
        + PRIMARY
        + "\",\"operation\":\"DescribeKey\",\"error\":{\"code\":\""
        + code
        + "\",\"message\":\"m\"}"
        + extra
        + "}";
  }

  private static AuditReport audit(String keys, String unread) {
    String json =
        "{\"version\":1,\"account\":\"111122223333\",\"regions\":[\"us-east-1\",\"eu-west-1\"],"
            + "\"keys\":["
            + keys
            + "],\"unread\":["
            + unread
            + "]}";
    var read = assertInstanceOf(SnapshotReader.Result.Read.class, new SnapshotReader().read(json));
    return new FleetAudit().audit(read.snapshot(), Baseline.DEFAULT);
  }

  private static AuditedKey key(AuditReport report, String arn) {
    return report.keys().stream().filter(k -> k.key().arn().equals(arn)).findFirst().orElseThrow();
  }

  @Test
  void audit_primaryDeniedDescribeButPolicyCaptured_primaryKeyUnreadableReplicaJudged() {
    AuditReport report =
        audit(
            replica("\"policy\":\"" + POLICY + "\""),
            undescribedPrimary("AccessDeniedException", ",\"policy\":\"" + POLICY + "\""));

    AuditedKey primary = key(report, PRIMARY);
    assertEquals("NON_COMPLIANT", primary.verdict());
    assertEquals(FindingCode.KEY_UNREADABLE, primary.firstFinding().orElseThrow().code());
    assertEquals("COMPLIANT", key(report, REPLICA).verdict());
    assertEquals(List.of(PRIMARY), report.unjudged().stream().map(u -> u.subject()).toList());
    assertEquals(AuditReport.PARTIAL, report.exitCode());
  }

  @Test
  void audit_primaryDescribeThrottled_primaryNotEvaluatedListedReplicaJudged() {
    AuditReport report =
        audit(
            replica("\"policy\":\"" + POLICY + "\""),
            undescribedPrimary("ThrottlingException", ",\"policy\":\"" + POLICY + "\""));

    AuditedKey primary = key(report, PRIMARY);
    assertEquals(AuditedKey.NOT_EVALUATED, primary.verdict());
    assertTrue(primary.unreadableReason().startsWith("Not evaluated: kms:DescribeKey still"));
    assertEquals("COMPLIANT", key(report, REPLICA).verdict());
    assertEquals(1, report.summary().notEvaluated());
    assertEquals(1, report.summary().unreadable());
  }

  @Test
  void audit_policyErrorToRetry_isNotEvaluatedNotPolicyUnreadable() {
    AuditReport report =
        audit(
            replica("\"policyError\":{\"code\":\"ServiceUnavailable\",\"message\":\"m\"}"),
            undescribedPrimary("AccessDeniedException", ",\"policy\":\"" + POLICY + "\""));

    AuditedKey replica = key(report, REPLICA);
    assertEquals(AuditedKey.NOT_EVALUATED, replica.verdict());
    assertTrue(replica.notEvaluated().contains("ServiceUnavailable"), replica.notEvaluated());
  }

  @Test
  void audit_primaryPolicyNotCapturedInAnOlderSnapshot_replicaFailsClosed() {
    AuditReport report =
        audit(
            replica("\"policy\":\"" + POLICY + "\""),
            undescribedPrimary("AccessDeniedException", ""));

    AuditedKey replica = key(report, REPLICA);
    assertEquals(
        FindingCode.PRIMARY_POLICY_UNREADABLE, replica.firstFinding().orElseThrow().code());
    assertTrue(
        replica.firstFinding().orElseThrow().summary().contains("was not captured"),
        replica.firstFinding().orElseThrow().summary());
  }

  @Test
  void render_undescribedAndNotEvaluatedKeys_areRowsWithTheirVerdicts() {
    AuditReport report =
        audit(
            replica("\"policyError\":{\"code\":\"ThrottlingException\",\"message\":\"m\"}"),
            undescribedPrimary("AccessDeniedException", ""));

    String table = TableReport.render(report);

    assertTrue(
        table
            .lines()
            .anyMatch(
                l ->
                    l.contains("us-east-1")
                        && l.contains("UNKNOWN")
                        && l.contains("NON_COMPLIANT  KEY_UNREADABLE")),
        table);
    assertTrue(
        table.lines().anyMatch(l -> l.contains("eu-west-1") && l.contains("NOT_EVALUATED")), table);
    assertTrue(table.contains("1 not evaluated"), table);
    assertTrue(JsonReport.render(report).contains("\"notEvaluated\" : 1"));
    assertTrue(new HtmlReport().render(report).contains("v-NOT_EVALUATED"));
  }
}
