package dev.mrkpolicyguard.remediation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mrkpolicyguard.localaws.fault.FaultRule;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** The remediation handler on its own, as Lambda invokes it, against the stand-in. */
class RemediationHandlerIT {
  private static final String CONCURRENT =
      RemediationFixture.defaultPolicyWith(
          "{\"Sid\":\"Someone else\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
              + "\"arn:aws:iam::555555555555:root\"},\"Action\":\"kms:Encrypt\",\"Resource\":\"*\"}");

  private final RemediationFixture fixture = new RemediationFixture();

  @AfterEach
  void stop() {
    fixture.close();
  }

  private KeyMetadata driftedReplica() {
    KeyMetadata primary = fixture.primary(RemediationFixture.defaultPolicy());
    return fixture.replica(primary, RemediationFixture.partnerDecryptPolicy());
  }

  private static String input(KeyMetadata key, Object dryRun) {
    String value = dryRun instanceof String s ? "\"" + s + "\"" : String.valueOf(dryRun);
    return "{\"KeyId\":\"" + key.arn() + "\",\"DryRun\":" + value + "}";
  }

  @Test
  void handleRequest_policyChangedBetweenReadAndWrite_abortsAndWritesNothing() {
    KeyMetadata replica = driftedReplica();
    AtomicBoolean changed = new AtomicBoolean();
    // Right after the backup is stored, someone else changes the replica's policy.
    ExecutionInterceptor someoneElse =
        new ExecutionInterceptor() {
          @Override
          public void afterExecution(
              Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutObjectRequest
                && changed.compareAndSet(false, true)) {
              fixture
                  .kms(RemediationFixture.HOME)
                  .putKeyPolicy(r -> r.keyId(replica.arn()).policy(CONCURRENT));
            }
          }
        };

    JsonNode out =
        RemediationFixture.parse(
            RemediationFixture.invoke(
                fixture.handler(fixture.clientsWithS3Interceptor(someoneElse)),
                input(replica, false)));

    assertEquals("FAILED", out.get("outcome").asText());
    assertTrue(out.get("reason").asText().contains("changed after it was read"), out.toString());
    assertEquals(CONCURRENT, fixture.policyOf(replica));
    assertEquals(1, fixture.putKeyPolicyCalls());
  }

  @Test
  void handleRequest_refusedAndApplied_logLinesAreMetricsTheAlarmsWatch() {
    KeyMetadata primary = fixture.primary(RemediationFixture.defaultPolicy());
    KeyMetadata replica = fixture.replica(primary, RemediationFixture.partnerDecryptPolicy());

    RemediationFixture.invoke(fixture.handler(), input(primary, false));
    RemediationFixture.invoke(fixture.handler(), input(replica, false));

    List<JsonNode> lines =
        fixture
            .handlerLog
            .toString(StandardCharsets.UTF_8)
            .lines()
            .map(RemediationFixture::parse)
            .toList();
    assertEquals(2, lines.size());
    for (JsonNode line : lines) {
      assertEquals("MrkPolicyGuard", line.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
      assertEquals("[[\"Component\"]]", line.at("/_aws/CloudWatchMetrics/0/Dimensions").toString());
      assertEquals("Remediation", line.path("Component").asText());
      assertEquals(1, line.path("Remediations").asInt());
    }
    assertEquals("REFUSED", lines.get(0).path("outcome").asText());
    assertEquals(1, lines.get(0).path("RemediationFailures").asInt());
    assertEquals(0, lines.get(0).path("RemediationsApplied").asInt());
    assertEquals("APPLIED", lines.get(1).path("outcome").asText());
    assertEquals(0, lines.get(1).path("RemediationFailures").asInt());
    assertEquals(1, lines.get(1).path("RemediationsApplied").asInt());
  }

  @Test
  void handleRequest_dryRunAsString_isADryRun() {
    KeyMetadata replica = driftedReplica();

    String out = RemediationFixture.invoke(fixture.handler(), input(replica, "true"));

    assertTrue(out.startsWith("{\"outcome\":\"DRY_RUN\","), out);
    assertEquals(0, fixture.putKeyPolicyCalls());
  }

  @Test
  void handleRequest_dryRunFalseAsBoolean_applies() {
    KeyMetadata replica = driftedReplica();

    String out = RemediationFixture.invoke(fixture.handler(), input(replica, false));

    assertTrue(out.startsWith("{\"outcome\":\"APPLIED\","), out);
    assertTrue(
        RemediationFixture.sameJson(RemediationFixture.defaultPolicy(), fixture.policyOf(replica)));
  }

  @Test
  void handleRequest_output_isCompactJsonWithEveryField() {
    KeyMetadata replica = driftedReplica();

    String out = RemediationFixture.invoke(fixture.handler(), input(replica, false));

    JsonNode json = RemediationFixture.parse(out);
    assertEquals(json.toString(), out);
    for (String field :
        new String[] {
          "outcome", "reason", "verdictBefore", "verdictAfter", "backupUri", "previousPolicySha256"
        }) {
      assertTrue(json.has(field), field);
    }
  }

  @Test
  void handleRequest_primaryKey_refused() {
    KeyMetadata primary = fixture.primary(RemediationFixture.defaultPolicy());

    JsonNode out =
        RemediationFixture.parse(
            RemediationFixture.invoke(fixture.handler(), input(primary, false)));

    assertEquals("REFUSED", out.get("outcome").asText());
    assertTrue(out.get("reason").asText().contains("PRIMARY"), out.toString());
  }

  @Test
  void handleRequest_replicaPendingDeletion_refused() {
    KeyMetadata replica = driftedReplica();
    fixture
        .kms(RemediationFixture.HOME)
        .scheduleKeyDeletion(r -> r.keyId(replica.arn()).pendingWindowInDays(7));

    JsonNode out =
        RemediationFixture.parse(
            RemediationFixture.invoke(fixture.handler(), input(replica, false)));

    assertEquals("REFUSED", out.get("outcome").asText());
    assertTrue(out.get("reason").asText().contains("PendingDeletion"), out.toString());
    assertEquals(0, fixture.putKeyPolicyCalls());
  }

  @Test
  void handleRequest_keyIdWithoutArn_usesTheFunctionRegion() {
    KeyMetadata replica = driftedReplica();

    String out =
        RemediationFixture.invoke(fixture.handler(), "{\"KeyId\":\"" + replica.keyId() + "\"}");

    assertTrue(out.startsWith("{\"outcome\":\"DRY_RUN\","), out);
  }

  @Test
  void handleRequest_unknownField_refusedAsInvalidInput() {
    String out =
        RemediationFixture.invoke(
            fixture.handler(),
            "{\"KeyId\":\"mrk-1234abcd12ab34cd56ef1234567890ab\",\"Bypass\":true}");

    assertTrue(
        out.startsWith(
            "{\"outcome\":\"REFUSED\",\"reason\":\"invalid input: unknown input field 'Bypass'"),
        out);
  }

  @Test
  void handleRequest_noBackupBucket_refusesToWrite() {
    KeyMetadata replica = driftedReplica();
    RemediationHandler handler =
        new RemediationHandler(
            fixture.clients(RemediationFixture.FUNCTION_KEY),
            new RemediationSettings(RemediationFixture.HOME, null, null, Clock.systemUTC()),
            new PrintStream(new ByteArrayOutputStream(), true));

    String out = RemediationFixture.invoke(handler, input(replica, false));

    assertTrue(out.contains("BACKUP_BUCKET is not set"), out);
    assertEquals(0, fixture.putKeyPolicyCalls());
  }

  @Test
  void handleRequest_missingBaselineParameter_refused() {
    KeyMetadata replica = driftedReplica();
    RemediationHandler handler =
        new RemediationHandler(
            fixture.clients(RemediationFixture.FUNCTION_KEY),
            new RemediationSettings(
                RemediationFixture.HOME,
                RemediationFixture.BUCKET,
                "/mrk/baseline",
                Clock.systemUTC()),
            new PrintStream(new ByteArrayOutputStream(), true));

    JsonNode out =
        RemediationFixture.parse(RemediationFixture.invoke(handler, input(replica, false)));

    assertEquals("REFUSED", out.get("outcome").asText());
    assertTrue(out.get("reason").asText().contains("/mrk/baseline"), out.toString());
  }

  /** The replica aligned by the function (its partner grant revoked); returns the output. */
  private JsonNode align(KeyMetadata replica) {
    return RemediationFixture.parse(
        RemediationFixture.invoke(fixture.handler(), input(replica, false)));
  }

  private String why(KeyMetadata replica) {
    return "align to primary "
        + replica.multiRegionConfiguration().primaryKey().arn()
        + " (replica was REPLICA_BROADER)";
  }

  @Test
  void handleRequest_putKeyPolicyAnswered500AfterItWrote_isAppliedFromTheReadBackNamingTheBackup() {
    KeyMetadata replica = driftedReplica();
    // KMS writes the policy, and every attempt's answer is a 500.
    fixture.server.faults().add("kms:PutKeyPolicy:http500=1,when=after");

    JsonNode out = align(replica);

    assertEquals("APPLIED", out.get("outcome").asText());
    assertEquals(
        why(replica)
            + ": written and verified (PutKeyPolicy's answer was lost: an AWS call failed"
            + " (InternalFailure: Internal failure (injected fault)); the policy read back is the"
            + " new one)",
        out.get("reason").asText());
    assertEquals("EQUIVALENT", out.get("verdictAfter").asText());
    assertEquals(
        RemediationFixture.partnerDecryptPolicy(),
        RemediationFixture.parse(fixture.backupText(out.get("backupUri").asText()))
            .get("policy")
            .asText());
    assertTrue(
        RemediationFixture.sameJson(RemediationFixture.defaultPolicy(), fixture.policyOf(replica)));
  }

  @Test
  void handleRequest_putKeyPolicyAnswerLaterThanItsTimeout_isAppliedFromTheReadBackNotRetried() {
    KeyMetadata replica = driftedReplica();
    fixture
        .server
        .faults()
        .add(FaultRule.latency("kms", "PutKeyPolicy", Duration.ofSeconds(3)).afterOperation());
    RemediationSettings settings =
        new RemediationSettings(
            RemediationFixture.HOME,
            RemediationFixture.BUCKET,
            null,
            Clock.systemUTC(),
            Duration.ofMillis(500));

    JsonNode out =
        RemediationFixture.parse(
            RemediationFixture.invoke(
                fixture.handler(fixture.clients(RemediationFixture.FUNCTION_KEY), settings),
                input(replica, false)));

    assertEquals("APPLIED", out.get("outcome").asText());
    assertTrue(
        out.get("reason")
            .asText()
            .startsWith(
                why(replica)
                    + ": written and verified (PutKeyPolicy's answer was lost: an AWS call failed"
                    + " (HTTP request execution did not complete before the specified timeout"
                    + " configuration: 500 millis"),
        out.get("reason").asText());
    assertTrue(out.get("backupUri").asText().startsWith("s3://" + RemediationFixture.BUCKET));
    assertEquals(1, fixture.putKeyPolicyCalls(RemediationFixture.HOME));
  }

  @Test
  void
      handleRequest_putKeyPolicyFailingBeforeItWrote_failsSayingNothingWasWrittenNamingTheBackup() {
    KeyMetadata replica = driftedReplica();
    fixture.server.faults().add("kms:PutKeyPolicy:http503=1");

    JsonNode out = align(replica);

    assertEquals("FAILED", out.get("outcome").asText());
    String backup = out.get("backupUri").asText();
    assertEquals(
        "PutKeyPolicy failed (an AWS call failed (ServiceUnavailable: Service unavailable"
            + " (injected fault))); the policy read back is still the previous one, so nothing was"
            + " written; the previous policy is backed up at "
            + backup,
        out.get("reason").asText());
    assertEquals(RemediationFixture.partnerDecryptPolicy(), fixture.policyOf(replica));
  }

  @Test
  void handleRequest_primaryRevokedDuringTheBackup_failsAndDoesNotUndoItOnTheReplica() {
    KeyMetadata primary = fixture.primary(RemediationFixture.partnerDecryptPolicy());
    KeyMetadata replica = fixture.replica(primary, CONCURRENT);
    AtomicBoolean revoked = new AtomicBoolean();
    // Right after the backup is stored, the partner's grant is revoked on the primary.
    ExecutionInterceptor revocation =
        new ExecutionInterceptor() {
          @Override
          public void afterExecution(
              Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutObjectRequest
                && revoked.compareAndSet(false, true)) {
              fixture
                  .kms(RemediationFixture.PRIMARY_REGION)
                  .putKeyPolicy(
                      r -> r.keyId(primary.arn()).policy(RemediationFixture.defaultPolicy()));
            }
          }
        };

    JsonNode out =
        RemediationFixture.parse(
            RemediationFixture.invoke(
                fixture.handler(fixture.clientsWithS3Interceptor(revocation)),
                input(replica, false)));

    assertEquals("FAILED", out.get("outcome").asText());
    assertEquals(
        "the primary's policy (us-east-1) changed after it was read (SHA-256 "
            + PolicyBackup.sha256(RemediationFixture.partnerDecryptPolicy())
            + " -> "
            + PolicyBackup.sha256(RemediationFixture.defaultPolicy())
            + "); nothing was written; run again to plan against it; the previous policy is"
            + " backed up at "
            + out.get("backupUri").asText(),
        out.get("reason").asText());
    assertEquals(CONCURRENT, fixture.policyOf(replica));
    assertEquals(0, fixture.putKeyPolicyCalls(RemediationFixture.HOME));
  }

  private static String restoreInput(KeyMetadata key, String backupUri, String force) {
    return "{\"KeyId\":\""
        + key.arn()
        + "\",\"DryRun\":false,\"Mode\":\"RESTORE\",\"BackupUri\":\""
        + backupUri
        + "\""
        + (force == null ? "" : ",\"Force\":" + force)
        + "}";
  }

  /** The default policy plus kms:Decrypt for everyone: what a forger would put in a backup. */
  private static final String PUBLIC =
      RemediationFixture.defaultPolicyWith(
          "{\"Sid\":\"Anyone\",\"Effect\":\"Allow\",\"Principal\":\"*\","
              + "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}");

  @Test
  void handleRequest_restoreOfAForgedBackupThatMakesTheKeyPublic_isRefusedWithItsVerdict() {
    KeyMetadata replica = driftedReplica();
    String backupUri = align(replica).get("backupUri").asText();
    fixture.forgeBackup(backupUri, PUBLIC);
    String before = fixture.policyOf(replica);
    long writes = fixture.putKeyPolicyCalls();

    JsonNode out =
        RemediationFixture.parse(
            RemediationFixture.invoke(fixture.handler(), restoreInput(replica, backupUri, null)));

    assertEquals("REFUSED", out.get("outcome").asText());
    assertEquals(
        "the backup "
            + backupUri
            + " grants access the current policy does not (grants:"
            + " arn:aws:iam::999999999999:role/ExampleRole may kms:Decrypt (its IAM policies allow"
            + " it) (principal; backup statement 'Anyone' allows it; no current statement does);"
            + " grants: example.amazonaws.com may kms:Decrypt (principal; backup statement"
            + " 'Anyone' allows it; no current statement does); grants:"
            + " arn:aws:iam::111122223333:role/ExampleRole may kms:Decrypt (with no IAM policy allowing it) (action;"
            + " backup statement 'Anyone' allows it; current grants it only to callers whose IAM"
            + " policies allow it); baseline: BASELINE_CEILING_EXCEEDED: Exceeds baseline"
            + " forbidPublicAccess: 999999999999 may kms:Decrypt); its SHA-256 shows it is intact,"
            + " not that it is the policy this tool saved: check what it grants, then restore it"
            + " with --force (Lambda input Force true)",
        out.get("reason").asText());
    assertEquals("REPLICA_NARROWER", out.get("verdictBefore").asText());
    assertEquals(before, fixture.policyOf(replica));
    assertEquals(writes, fixture.putKeyPolicyCalls());
  }

  @Test
  void handleRequest_restoreForcedOfABackupGrantingMore_writesItAndSaysWhatItGrants() {
    KeyMetadata replica = driftedReplica();
    String backupUri = align(replica).get("backupUri").asText();

    JsonNode out =
        RemediationFixture.parse(
            RemediationFixture.invoke(
                fixture.handler(), restoreInput(replica, backupUri, "\"true\"")));

    assertEquals("APPLIED", out.get("outcome").asText());
    assertEquals(
        "restore "
            + backupUri
            + " (grants: arn:aws:iam::444455556666:role/ExampleRole may kms:Decrypt (its IAM"
            + " policies allow it) (principal; backup statement 'Partner' allows it; no current"
            + " statement does); baseline: the backed-up policy meets it): written and verified",
        out.get("reason").asText());
    assertEquals(RemediationFixture.partnerDecryptPolicy(), fixture.policyOf(replica));
  }

  @Test
  void handleRequest_forceOutsideARestore_isRefusedAsInvalidInput() {
    KeyMetadata replica = driftedReplica();

    JsonNode out =
        RemediationFixture.parse(
            RemediationFixture.invoke(
                fixture.handler(),
                "{\"KeyId\":\"" + replica.arn() + "\",\"DryRun\":false,\"Force\":true}"));

    assertEquals("REFUSED", out.get("outcome").asText());
    assertEquals("invalid input: Force is for Mode RESTORE only", out.get("reason").asText());
    assertEquals(0, fixture.putKeyPolicyCalls());
  }
}
