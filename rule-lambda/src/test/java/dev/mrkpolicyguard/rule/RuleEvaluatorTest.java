package dev.mrkpolicyguard.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.core.KeyNotEvaluatedException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The rule's decisions over fakes of its ports: what is posted, retired, left, and assumed. */
class RuleEvaluatorTest {
  private static final String SINGLE = "1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String DENIED = "mrk-0000000000000000000000000000000a";
  private static final String BUSY = "mrk-0000000000000000000000000000000b";
  private static final String SCHEDULED =
      "{\"messageType\":\"ScheduledNotification\","
          + "\"notificationCreationTime\":\"2026-11-28T12:00:00.000Z\"}";

  private final RuleFakes fakes = new RuleFakes();
  private final RuleEvaluator evaluator =
      new RuleEvaluator(
          fakes,
          RuleFakes.settings(100),
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

  private static ConfigEvent event(String invoking, String parameters) {
    return new ConfigEvent(
        "1.0",
        invoking,
        parameters,
        "token",
        false,
        null,
        "arn:aws:config:eu-west-1:" + RuleFakes.ACCOUNT + ":config-rule/config-rule-abc",
        "mrk-replica-key-policy",
        "config-rule-abc",
        RuleFakes.ACCOUNT,
        "DETECTIVE");
  }

  private RuleEvaluator.Result scheduled() {
    return evaluator.evaluate(event(SCHEDULED, "{}"), "request", Duration.ofSeconds(900));
  }

  private static Map<String, String> byKey(List<ConfigEvaluation> posted) {
    Map<String, String> out = new TreeMap<>();
    posted.forEach(e -> out.put(e.resourceId(), e.complianceType()));
    return out;
  }

  private void recordAll(List<ConfigEvaluation> posted, Instant at) {
    posted.forEach(
        e ->
            fakes.records.put(
                e.resourceId(),
                new ComplianceRecords.Recorded(e.complianceType(), e.annotation(), at)));
  }

  @Test
  void evaluate_scheduledWithoutRecords_postsEveryDecidedKey() {
    fakes.keys.singleRegion(SINGLE).unreadable(DENIED);

    RuleEvaluator.Result result = scheduled();

    assertEquals(Map.of(SINGLE, "NOT_APPLICABLE", DENIED, "NON_COMPLIANT"), byKey(result.posted()));
    assertEquals(List.of(RuleFakes.arn(DENIED)), fakes.keys.reads);
  }

  @Test
  void evaluate_scheduledWithMatchingRecords_postsNothing() {
    fakes.keys.singleRegion(SINGLE).unreadable(DENIED);
    recordAll(scheduled().posted(), RuleFakes.NOW.minusSeconds(3600));
    fakes.sink.batches.clear();

    RuleEvaluator.Result result = scheduled();

    assertEquals(List.of(), fakes.sink.batches);
    assertEquals(2, result.keys());
  }

  @Test
  void evaluate_scheduledWithARecordOlderThanFullRefresh_repostsEveryKey() {
    fakes.keys.singleRegion(SINGLE).unreadable(DENIED);
    recordAll(scheduled().posted(), RuleFakes.NOW.minus(Duration.ofDays(8)));
    fakes.sink.batches.clear();

    RuleEvaluator.Result result = scheduled();

    assertEquals(2, result.posted().size());
  }

  @Test
  void evaluate_scheduledWithARecordOfAVanishedKey_retiresItAsNotApplicable() {
    fakes.keys.singleRegion(SINGLE);
    fakes.records.put(
        DENIED, new ComplianceRecords.Recorded("COMPLIANT", null, RuleFakes.NOW.minusSeconds(60)));

    ConfigEvaluation retired =
        scheduled().posted().stream().filter(e -> e.resourceId().equals(DENIED)).findFirst().get();

    assertEquals("NOT_APPLICABLE", retired.complianceType());
    assertEquals(PeriodicRun.VANISHED, retired.annotation());
  }

  @Test
  void evaluate_scheduledVanishedKeyAlreadyNotApplicable_notRetiredAgain() {
    fakes.keys.singleRegion(SINGLE);
    fakes.records.put(
        DENIED,
        new ComplianceRecords.Recorded(
            "NOT_APPLICABLE", PeriodicRun.VANISHED, RuleFakes.NOW.minusSeconds(60)));

    assertEquals(Map.of(SINGLE, "NOT_APPLICABLE"), byKey(scheduled().posted()));
  }

  @Test
  void evaluate_scheduledKeyThrottledBeyondRetries_postsNothingForItAndNamesIt() {
    fakes.keys.singleRegion(SINGLE).throttled(BUSY);

    RuleEvaluator.Result result = scheduled();

    assertEquals(Map.of(SINGLE, "NOT_APPLICABLE"), byKey(fakes.sink.all()));
    assertEquals(RuleFakes.arn(BUSY), result.notEvaluated().get(0).keyArn());
    assertTrue(result.notEvaluated().get(0).error().contains("ThrottlingException"));
  }

  @Test
  void evaluate_changeForAKeyThrottledBeyondRetries_failsWithoutPosting() {
    fakes.keys.throttled(BUSY);
    ConfigEvent event = event(change(BUSY), "{}");

    assertThrows(
        KeyNotEvaluatedException.class,
        () -> evaluator.evaluate(event, "request", Duration.ofSeconds(60)));
    assertEquals(List.of(), fakes.sink.batches);
  }

  @Test
  void evaluate_changeForAnUnreadableKey_postsNonCompliantAtTheCaptureTime() {
    fakes.keys.unreadable(DENIED);

    RuleEvaluator.Result result =
        evaluator.evaluate(event(change(DENIED), "{}"), "request", Duration.ofSeconds(60));

    assertEquals("NON_COMPLIANT", result.posted().get(0).complianceType());
    assertEquals(Instant.parse("2026-11-28T11:59:00Z"), result.posted().get(0).orderingTimestamp());
  }

  @Test
  void evaluate_executionRoleName_assumesThatRoleInTheEventsAccount() {
    fakes.keys.singleRegion(SINGLE);

    evaluator.evaluate(
        event(SCHEDULED, "{\"ExecutionRoleName\":\"KeyAuditor\"}"),
        "request",
        Duration.ofSeconds(900));

    assertEquals(
        List.of("arn:aws:iam::" + RuleFakes.ACCOUNT + ":role/KeyAuditor"), fakes.assumedRoles);
  }

  private static String change(String keyId) {
    return "{\"messageType\":\"ConfigurationItemChangeNotification\","
        + "\"notificationCreationTime\":\"2026-11-28T12:00:00.000Z\","
        + "\"configurationItem\":{\"resourceType\":\"AWS::KMS::Key\",\"resourceId\":\""
        + keyId
        + "\",\"ARN\":\""
        + RuleFakes.arn(keyId)
        + "\",\"awsRegion\":\"eu-west-1\",\"awsAccountId\":\""
        + RuleFakes.ACCOUNT
        + "\",\"configurationItemStatus\":\"OK\","
        + "\"configurationItemCaptureTime\":\"2026-11-28T11:59:00.000Z\"}}";
  }
}
