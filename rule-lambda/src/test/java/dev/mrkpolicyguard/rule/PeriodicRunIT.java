package dev.mrkpolicyguard.rule;

import static dev.mrkpolicyguard.rule.RuleFixture.ACCOUNT;
import static dev.mrkpolicyguard.rule.RuleFixture.HOME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.localaws.config.StoredEvaluation;
import dev.mrkpolicyguard.localaws.fault.FaultRule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/** Scheduled runs over a Region's keys, against the local stand-in through the real SDK. */
class PeriodicRunIT {
  private final RuleFixture fixture = new RuleFixture();

  @AfterEach
  void stop() {
    fixture.close();
  }

  private String complianceOf(String keyId) {
    List<StoredEvaluation> stored = fixture.storedByResource(ACCOUNT, HOME).get(keyId);
    return stored.get(stored.size() - 1).complianceType();
  }

  private KeyMetadata replicaInHome(String policy) {
    return fixture.replica(fixture.primary("us-east-1").arn(), HOME, policy);
  }

  @Test
  void scheduled_mixedFleet_decidesEachKeyOnceAndDescribesOnlyMultiRegionKeys() {
    KeyMetadata single = fixture.singleRegion(HOME);
    String awsManaged = fixture.server.kms().seedAwsManagedKey(ACCOUNT, HOME, "alias/aws/ebs");
    KeyMetadata primary = fixture.primary(HOME);
    KeyMetadata matching = replicaInHome(RuleFixture.defaultPolicy(ACCOUNT));
    KeyMetadata drifted = replicaInHome(RuleFixture.partnerDecryptPolicy(ACCOUNT));

    fixture.invoke(RuleFixture.scheduled("{}"));

    assertEquals(5, fixture.stored().size());
    assertEquals("NOT_APPLICABLE", complianceOf(single.keyId()));
    assertEquals(
        "NOT_APPLICABLE", complianceOf(awsManaged.substring(awsManaged.lastIndexOf('/') + 1)));
    assertEquals("COMPLIANT", complianceOf(primary.keyId()));
    assertEquals("COMPLIANT", complianceOf(matching.keyId()));
    assertEquals("NON_COMPLIANT", complianceOf(drifted.keyId()));
    assertEquals(3, fixture.server.calls().count("kms", "DescribeKey", HOME));
    assertEquals(2, fixture.server.calls().count("kms", "GetKeyPolicy", "us-east-1"));
  }

  @Test
  void scheduled_orderingTimestamp_isTheNotificationTime() {
    replicaInHome(RuleFixture.defaultPolicy(ACCOUNT));

    fixture.invoke(RuleFixture.scheduled("{}"));

    assertEquals("2026-11-28T12:00:00Z", fixture.stored().get(0).orderingTimestamp().toString());
  }

  @Test
  void scheduled_250Keys_postsInBatchesOfAtMost100() {
    for (int i = 0; i < 250; i++) {
      fixture.singleRegion(HOME);
    }

    fixture.invoke(RuleFixture.scheduled("{}"));

    assertEquals(3, fixture.server.calls().count("config", "PutEvaluations", HOME));
    assertEquals(250, fixture.storedByResource(ACCOUNT, HOME).size());
  }

  @Test
  void scheduled_batchSizeSetting_drivesTheNumberOfCalls() {
    for (int i = 0; i < 45; i++) {
      fixture.singleRegion(HOME);
    }

    fixture.invoke(
        fixture.handler(new RuleSettings(HOME, 2, 10, Clock.systemUTC())),
        RuleFixture.scheduled("{}"));

    assertEquals(5, fixture.server.calls().count("config", "PutEvaluations", HOME));
    assertEquals(45, fixture.stored().size());
  }

  @Test
  void scheduled_secondRunWithNothingChanged_postsNothing() {
    replicaInHome(RuleFixture.defaultPolicy(ACCOUNT));
    fixture.singleRegion(HOME);
    fixture.invoke(RuleFixture.scheduled("{}"));

    JsonNode posted = fixture.invoke(RuleFixture.scheduled("{}"));

    assertEquals(0, posted.size());
    assertEquals(1, fixture.server.calls().count("config", "PutEvaluations", HOME));
    assertEquals(2, fixture.stored().size());
  }

  @Test
  void scheduled_complianceReadRefused_postsEveryKeySaysSoOnceAndCountsIt() {
    replicaInHome(RuleFixture.defaultPolicy(ACCOUNT));
    fixture.singleRegion(HOME);
    fixture.invoke(RuleFixture.scheduled("{}"));
    fixture
        .server
        .faults()
        .add("config:GetComplianceDetailsByConfigRule:error=AccessDeniedException");

    JsonNode posted = fixture.invoke(RuleFixture.scheduled("{}"));

    // Nothing changed, but without Config's record the run cannot tell: it posts both keys.
    assertEquals(2, posted.size());
    List<JsonNode> said =
        fixture.logLines().stream()
            .filter(l -> "GetComplianceDetailsByConfigRule".equals(l.path("operation").asText()))
            .toList();
    assertEquals(1, said.size());
    assertEquals("WARN", said.get(0).path("level").asText());
    assertEquals("AccessDeniedException", said.get(0).path("error").asText());
    assertEquals(1, fixture.lastMetrics().path("ComplianceReadRefused").asInt());
    assertEquals(0, fixture.lastMetrics().path("Errors").asInt());
  }

  @Test
  void scheduled_complianceReadFailsOtherwise_failsTheRunAndPostsNothing() {
    replicaInHome(RuleFixture.defaultPolicy(ACCOUNT));
    fixture.singleRegion(HOME);
    fixture
        .server
        .faults()
        .add("config:GetComplianceDetailsByConfigRule:error=ValidationException");

    assertThrows(RuntimeException.class, () -> fixture.invoke(RuleFixture.scheduled("{}")));

    assertEquals(0, fixture.server.calls().count("config", "PutEvaluations"));
  }

  @Test
  void scheduled_packRuleName_metricsCarryTheFixedComponentDimension() {
    replicaInHome(RuleFixture.defaultPolicy(ACCOUNT));
    fixture.singleRegion(HOME);
    String packRule = "mrk-replica-key-policy-conformance-pack-abcdefghi";
    fixture.server.config().registerRuleEverywhere(packRule, "pack-token");
    ObjectNode event = RuleFixture.scheduled("{}");
    event.put("configRuleName", packRule);
    event.put("resultToken", "pack-token");

    fixture.invoke(event);

    JsonNode metrics = fixture.lastMetrics();
    JsonNode dimensions = metrics.at("/_aws/CloudWatchMetrics/0/Dimensions");
    assertEquals("[[\"Component\"],[\"Component\",\"ConfigRuleName\"]]", dimensions.toString());
    assertEquals("Rule", metrics.path("Component").asText());
    assertEquals(packRule, metrics.path("ConfigRuleName").asText());
    assertTrue(metrics.has("Errors"));
  }

  @Test
  void scheduled_onePolicyChanged_postsOnlyThatKey() {
    KeyMetadata changed = replicaInHome(RuleFixture.defaultPolicy(ACCOUNT));
    replicaInHome(RuleFixture.defaultPolicy(ACCOUNT));
    fixture.singleRegion(HOME);
    fixture.invoke(RuleFixture.scheduled("{}"));
    fixture
        .kms(HOME)
        .putKeyPolicy(
            r -> r.keyId(changed.keyId()).policy(RuleFixture.partnerDecryptPolicy(ACCOUNT)));

    JsonNode posted = fixture.invoke(RuleFixture.scheduled("{}"));

    assertEquals(1, posted.size());
    assertEquals(changed.keyId(), posted.at("/0/ComplianceResourceId").asText());
    assertEquals("NON_COMPLIANT", posted.at("/0/ComplianceType").asText());
  }

  @Test
  void scheduled_oldestRecordOlderThanRefreshDays_repostsEveryKey() {
    replicaInHome(RuleFixture.defaultPolicy(ACCOUNT));
    fixture.singleRegion(HOME);
    fixture.invoke(RuleFixture.scheduled("{}"));
    Clock eightDaysLater = Clock.offset(Clock.systemUTC(), Duration.ofDays(8));
    RuleSettings later = new RuleSettings(HOME, 8, 100, eightDaysLater);

    JsonNode defaultRefresh = fixture.invoke(fixture.handler(later), RuleFixture.scheduled("{}"));
    JsonNode monthlyRefresh =
        fixture.invoke(
            fixture.handler(later), RuleFixture.scheduled("{\"FullRefreshDays\":\"30\"}"));

    assertEquals(2, defaultRefresh.size());
    assertEquals(0, monthlyRefresh.size());
  }

  @Test
  void scheduled_keyDeletedSinceLastRun_retiredAsNotApplicable() {
    KeyMetadata doomed = replicaInHome(RuleFixture.partnerDecryptPolicy(ACCOUNT));
    replicaInHome(RuleFixture.defaultPolicy(ACCOUNT));
    fixture.invoke(RuleFixture.scheduled("{}"));
    fixture.kms(HOME).scheduleKeyDeletion(r -> r.keyId(doomed.keyId()).pendingWindowInDays(7));
    fixture.server.advanceClock(Duration.ofDays(8));

    JsonNode posted = fixture.invoke(RuleFixture.scheduled("{}"));

    assertEquals(1, posted.size());
    assertEquals(doomed.keyId(), posted.at("/0/ComplianceResourceId").asText());
    assertEquals("NOT_APPLICABLE", posted.at("/0/ComplianceType").asText());
    assertEquals(PeriodicRun.VANISHED, posted.at("/0/Annotation").asText());
    assertEquals(1, fixture.lastMetrics().get("KeysRetired").asInt());
  }

  @Test
  void scheduled_throttlingAndServerErrorsOnEveryOperation_storesEveryKeyExactlyOnce() {
    List<String> keyIds = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      keyIds.add(replicaInHome(RuleFixture.defaultPolicy(ACCOUNT)).keyId());
      keyIds.add(fixture.singleRegion(HOME).keyId());
    }
    keyIds.add(replicaInHome(RuleFixture.partnerDecryptPolicy(ACCOUNT)).keyId());
    fixture.server.faults().add(FaultRule.throttle("*", "*", 0.25));
    fixture.server.faults().add(FaultRule.serverError("*", "*", 500, 0.1));

    fixture.invoke(
        fixture.handler(new RuleSettings(HOME, 8, 5, Clock.systemUTC())),
        RuleFixture.scheduled("{}"));

    Map<String, List<StoredEvaluation>> stored = fixture.storedByResource(ACCOUNT, HOME);
    assertEquals(keyIds.size(), stored.size());
    for (String keyId : keyIds) {
      assertEquals(1, stored.get(keyId).size(), keyId);
    }
    assertEquals("NON_COMPLIANT", complianceOf(keyIds.get(keyIds.size() - 1)));
    // Without faults: one DescribeKey and two GetKeyPolicy per multi-Region key. With a 35% fault
    // rate on each call, some were retried (no fault in 27 calls: 0.65^27, about 1 in 100,000);
    // which ones depends on how the workers interleave.
    long kmsReads =
        fixture.server.calls().count("kms", "DescribeKey")
            + fixture.server.calls().count("kms", "GetKeyPolicy");
    assertTrue(kmsReads > 27, "KMS reads " + kmsReads);
    assertEquals(0, fixture.lastMetrics().get("Errors").asInt());
  }

  @Test
  void scheduled_keyWhoseDescribeKeyIsDenied_isPostedNonCompliantKeyUnreadable() {
    KeyMetadata denied = replicaInHome(RuleFixture.defaultPolicy(ACCOUNT));
    KeyMetadata other = replicaInHome(RuleFixture.defaultPolicy(ACCOUNT));
    fixture
        .server
        .faults()
        .add(
            FaultRule.errorFor("kms", "DescribeKey", denied.keyId(), "AccessDeniedException")
                .inRegion(HOME));

    fixture.invoke(RuleFixture.scheduled("{}"));

    assertEquals("NON_COMPLIANT", complianceOf(denied.keyId()));
    assertEquals("COMPLIANT", complianceOf(other.keyId()));
    StoredEvaluation stored = fixture.storedByResource(ACCOUNT, HOME).get(denied.keyId()).get(0);
    assertTrue(stored.annotation().contains("kms:DescribeKey denied"), stored.annotation());
    assertTrue(stored.annotation().contains("SCP"), stored.annotation());
    JsonNode line = logLineOf(denied.arn());
    assertEquals("KEY_UNREADABLE", line.at("/findings/0").asText());
    assertTrue(line.get("posted").asBoolean());
    assertEquals(0, fixture.lastMetrics().get("Errors").asInt());
  }

  @Test
  void scheduled_keyWhosePolicyIsDenied_isPostedNonCompliantPolicyUnreadable() {
    KeyMetadata denied = replicaInHome(RuleFixture.defaultPolicy(ACCOUNT));
    fixture
        .server
        .faults()
        .add(
            FaultRule.errorFor("kms", "GetKeyPolicy", denied.keyId(), "AccessDeniedException")
                .inRegion(HOME));

    fixture.invoke(RuleFixture.scheduled("{}"));

    assertEquals("NON_COMPLIANT", complianceOf(denied.keyId()));
    assertEquals("POLICY_UNREADABLE", logLineOf(denied.arn()).at("/findings/0").asText());
  }

  @Test
  void scheduled_keyThrottledBeyondRetries_isNotEvaluatedAndItsPreviousEvaluationStands() {
    KeyMetadata flaky = replicaInHome(RuleFixture.defaultPolicy(ACCOUNT));
    KeyMetadata steady = replicaInHome(RuleFixture.defaultPolicy(ACCOUNT));
    fixture.invoke(RuleFixture.scheduled("{}"));
    // Drift that a successful read would post as NON_COMPLIANT.
    fixture
        .kms(HOME)
        .putKeyPolicy(
            r -> r.keyId(flaky.keyId()).policy(RuleFixture.partnerDecryptPolicy(ACCOUNT)));
    fixture
        .server
        .faults()
        .add(
            FaultRule.errorFor("kms", "DescribeKey", flaky.keyId(), "ThrottlingException")
                .inRegion(HOME));
    fixture
        .kms(HOME)
        .putKeyPolicy(
            r -> r.keyId(steady.keyId()).policy(RuleFixture.partnerDecryptPolicy(ACCOUNT)));

    JsonNode posted = fixture.invoke(fixture.fewRetriesHandler(HOME), RuleFixture.scheduled("{}"));

    // Both drifted; only the key that could be read is posted.
    assertEquals(1, posted.size());
    assertEquals(steady.keyId(), posted.at("/0/ComplianceResourceId").asText());
    assertEquals("NON_COMPLIANT", posted.at("/0/ComplianceType").asText());
    assertEquals(1, fixture.storedByResource(ACCOUNT, HOME).get(flaky.keyId()).size());
    assertEquals("COMPLIANT", complianceOf(flaky.keyId()));
    JsonNode line = logLineOf(flaky.arn());
    assertEquals("ERROR", line.get("level").asText());
    assertFalse(line.get("evaluated").asBoolean());
    assertEquals(1, fixture.lastMetrics().get("KeysNotEvaluated").asInt());
    assertEquals(1, fixture.lastMetrics().get("Errors").asInt());
    assertEquals(0, fixture.lastMetrics().get("KeysRetired").asInt());
  }

  @Test
  void scheduled_policyServerErrorBeyondRetries_isNotEvaluatedNotPolicyUnreadable() {
    KeyMetadata flaky = replicaInHome(RuleFixture.defaultPolicy(ACCOUNT));
    fixture.server.faults().add("kms:GetKeyPolicy:http500=1,region=" + HOME);

    JsonNode posted = fixture.invoke(fixture.fewRetriesHandler(HOME), RuleFixture.scheduled("{}"));

    assertEquals(0, posted.size());
    assertEquals(null, fixture.storedByResource(ACCOUNT, HOME).get(flaky.keyId()));
    assertEquals("GetKeyPolicy", logLineOf(flaky.arn()).get("operation").asText());
    assertEquals(1, fixture.lastMetrics().get("KeysNotEvaluated").asInt());
  }

  /** The last log line about {@code keyArn}. */
  private JsonNode logLineOf(String keyArn) {
    List<JsonNode> lines =
        fixture.logLines().stream()
            .filter(l -> keyArn.equals(l.path("keyArn").asText(null)))
            .toList();
    return lines.get(lines.size() - 1);
  }

  @Test
  void scheduled_testModeToken_readsNoRecordsAndStoresNothing() {
    replicaInHome(RuleFixture.defaultPolicy(ACCOUNT));
    ObjectNode event = RuleFixture.scheduled("{}");
    event.put("resultToken", "TESTMODE");

    JsonNode posted = fixture.invoke(event);

    assertEquals(1, posted.size());
    assertEquals(0, fixture.server.calls().count("config", "GetComplianceDetailsByConfigRule"));
    assertTrue(fixture.stored().isEmpty());
  }

  /**
   * A clock that moves 10 s forward with every DescribeKey the stand-in receives in the rule's
   * Region, from the moment it was last {@linkplain #rebase() rebased}: time passes as keys are
   * read, so a deadline falls between two known keys whatever the machine's speed.
   */
  private final class KeyReadClock extends Clock {
    private final Instant base = Instant.parse("2026-11-28T12:00:00Z");
    private long offset;

    void rebase() {
      offset = fixture.server.calls().count("kms", "DescribeKey", HOME);
    }

    @Override
    public Instant instant() {
      long reads = fixture.server.calls().count("kms", "DescribeKey", HOME) - offset;
      return base.plusSeconds(10 * reads);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  private List<String> listedKeyIds() {
    return fixture.kms(HOME).listKeys(r -> r.limit(1000)).keys().stream()
        .map(k -> k.keyId())
        .toList();
  }

  private static List<String> postedIds(JsonNode posted) {
    List<String> ids = new ArrayList<>();
    posted.forEach(p -> ids.add(p.get("ComplianceResourceId").asText()));
    return ids;
  }

  @Test
  void scheduled_deadlinePassesMidRun_postsTheKeysDecidedByThenInBatchesAndLeavesTheRest() {
    for (int i = 0; i < 30; i++) {
      replicaInHome(RuleFixture.defaultPolicy(ACCOUNT));
    }
    List<String> listed = listedKeyIds();
    KeyReadClock clock = new KeyReadClock();
    clock.rebase();
    // 300 s left (the fixture's context): keys start until 240 s, i.e. before the 25th read.
    RuleSettings settings = new RuleSettings(HOME, 1, 10, clock);

    JsonNode result =
        fixture.invokeForResult(fixture.handler(settings), RuleFixture.scheduled("{}"));

    assertEquals(listed.subList(0, 24), postedIds(result.get("posted")));
    assertEquals(3, fixture.server.calls().count("config", "PutEvaluations", HOME));
    assertEquals(24, fixture.stored().size());
    List<String> left = new ArrayList<>();
    result
        .get("notEvaluated")
        .forEach(
            n -> {
              assertEquals(PeriodicRun.PAST_DEADLINE, n.get("error").asText());
              left.add(n.get("keyArn").asText().replaceAll(".*/", ""));
            });
    assertEquals(listed.subList(24, 30), left);
    JsonNode metrics = fixture.lastMetrics();
    assertEquals(6, metrics.get("KeysPastDeadline").asInt());
    assertEquals(6, metrics.get("KeysNotEvaluated").asInt());
    assertEquals(6, metrics.get("Errors").asInt());
    assertEquals(24, metrics.get("EvaluationsPosted").asInt());
    JsonNode line = logLineOf(result.at("/notEvaluated/0/keyArn").asText());
    assertEquals(
        "key not evaluated before the run's deadline; its previous evaluation stands",
        line.get("message").asText());
    assertEquals("2026-11-28T12:04:00Z", line.get("deadline").asText());
  }

  @Test
  void scheduled_keysTheDeadlineLeftWithoutARecord_areTheFirstOfTheNextRun() {
    for (int i = 0; i < 30; i++) {
      replicaInHome(RuleFixture.defaultPolicy(ACCOUNT));
    }
    List<String> listed = listedKeyIds();
    KeyReadClock clock = new KeyReadClock();
    RuleSettings settings = new RuleSettings(HOME, 1, 10, clock);
    clock.rebase();
    fixture.invokeForResult(fixture.handler(settings), RuleFixture.scheduled("{}"));
    clock.rebase();

    JsonNode second =
        fixture.invokeForResult(fixture.handler(settings), RuleFixture.scheduled("{}"));

    // The six keys with no record are read first and posted; 18 others are read, unchanged.
    assertEquals(listed.subList(24, 30), postedIds(second.get("posted")));
    assertEquals(6, second.get("notEvaluated").size());
    Map<String, List<StoredEvaluation>> stored = fixture.storedByResource(ACCOUNT, HOME);
    assertEquals(30, stored.size());
    stored.values().forEach(e -> assertEquals(1, e.size()));
  }

  /**
   * The policy of the engine's slow shape (docs/semantics.md): 22 conditions each of which alone
   * lets AppRole decrypt; with {@code deny}, it also denies when every one has another value.
   */
  private static String independentConditions(boolean deny) {
    StringBuilder statements = new StringBuilder();
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 22; i++) {
      statements.append(
          ",{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/AppRole\"},"
              + "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
              + "{\"kms:EncryptionContext:k"
              + i
              + "\":\"a\"}}}");
      all.append(i == 0 ? "" : ",").append("\"kms:EncryptionContext:k" + i + "\":\"b\"");
    }
    if (deny) {
      statements.append(
          ",{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/AppRole\"},"
              + "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{"
              + all
              + "}}}");
    }
    return RuleFixture.defaultPolicy(ACCOUNT).replace("}]}", "}" + statements + "]}");
  }

  /** Nanoseconds that advance 1 ms every time they are read, by any thread. */
  private static LongSupplier steppingNanos() {
    AtomicLong reads = new AtomicLong();
    return () -> reads.getAndIncrement() * 1_000_000L;
  }

  @Test
  void scheduled_threeKeysTooSlowToCompare_areUndecidedWithinTheBudgetAndTheOthersPosted() {
    List<KeyMetadata> slow = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      KeyMetadata primary =
          fixture
              .kms("us-east-1")
              .createKey(r -> r.multiRegion(true).policy(independentConditions(false)))
              .keyMetadata();
      slow.add(fixture.replica(primary.arn(), HOME, independentConditions(true)));
    }
    List<String> others = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      others.add(replicaInHome(RuleFixture.defaultPolicy(ACCOUNT)).keyId());
    }
    // One comparison may read the clock 500 times: about half a million nodes of the slow shape,
    // or 500 caller and action classes, which no other policy here comes near.
    RuleSettings settings =
        new RuleSettings(HOME, 8, 100, Clock.systemUTC())
            .withComparisonBudget(Duration.ofMillis(500), steppingNanos());

    fixture.invoke(fixture.handler(settings), RuleFixture.scheduled("{}"));

    for (KeyMetadata key : slow) {
      StoredEvaluation stored = fixture.storedByResource(ACCOUNT, HOME).get(key.keyId()).get(0);
      assertEquals("NON_COMPLIANT", stored.complianceType());
      assertTrue(
          stored
              .annotation()
              .startsWith(
                  "Replica cannot be compared exactly with primary (us-east-1): the comparison"
                      + " ran out of its time budget (0.5 s)"),
          stored.annotation());
      assertEquals(
          "[\"REPLICA_COMPARISON_UNDECIDED\"]", logLineOf(key.arn()).get("findings").toString());
    }
    others.forEach(keyId -> assertEquals("COMPLIANT", complianceOf(keyId)));
    // Each slow key runs out against its primary only: its policy names only its own account's
    // principals, which the no-public-access ceiling allows, so that check needs no search.
    assertEquals(3, fixture.lastMetrics().get("ComparisonsOutOfTime").asInt());
    assertEquals(13, fixture.lastMetrics().get("EvaluationsPosted").asInt());
  }

  @Test
  void scheduled_putEvaluationsAnsweredLate_isNotSentAgainAndTheNextRunPostsNothingTwice() {
    List<String> keyIds = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      keyIds.add(replicaInHome(RuleFixture.defaultPolicy(ACCOUNT)).keyId());
    }
    // Config stores the batch, and its answer comes after the attempt timeout.
    fixture
        .server
        .faults()
        .add(FaultRule.latency("config", "PutEvaluations", Duration.ofSeconds(3)).afterOperation());
    RuleSettings settings =
        new RuleSettings(HOME, 8, 100, Clock.systemUTC())
            .withPostAttemptTimeout(Duration.ofMillis(500));

    JsonNode result =
        fixture.invokeForResult(fixture.handler(settings), RuleFixture.scheduled("{}"));

    assertEquals(0, result.get("posted").size());
    List<String> unconfirmed = new ArrayList<>();
    result.get("unconfirmed").forEach(id -> unconfirmed.add(id.asText()));
    assertEquals(
        keyIds,
        unconfirmed.stream().sorted(java.util.Comparator.comparing(keyIds::indexOf)).toList());
    assertEquals(1, fixture.server.calls().count("config", "PutEvaluations", HOME));
    assertEquals(3, fixture.stored().size());
    assertEquals(3, fixture.lastMetrics().get("EvaluationsUnconfirmed").asInt());
    assertEquals(3, fixture.lastMetrics().get("Errors").asInt());
    fixture.server.faults().clear();

    JsonNode next = fixture.invokeForResult(fixture.handler(settings), RuleFixture.scheduled("{}"));

    assertEquals(0, next.get("posted").size());
    assertEquals(3, fixture.stored().size());
  }
}
