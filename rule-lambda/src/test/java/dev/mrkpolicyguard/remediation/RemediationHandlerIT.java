package dev.mrkpolicyguard.remediation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
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
}
