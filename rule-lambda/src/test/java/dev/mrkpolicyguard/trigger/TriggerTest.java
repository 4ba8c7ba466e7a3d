package dev.mrkpolicyguard.trigger;

import static dev.mrkpolicyguard.trigger.Fakes.RULE;
import static dev.mrkpolicyguard.trigger.Fakes.arn;
import static dev.mrkpolicyguard.trigger.Fakes.example;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriggerTest {
  private static final JsonNode PUT = example("cloudtrail-put-key-policy.json");

  private static List<String> started(TriggerReport report) {
    return report.started().stream().map(s -> s.region() + "/" + s.configRuleName()).toList();
  }

  private static JsonNode[] times(int n, JsonNode event) {
    JsonNode[] events = new JsonNode[n];
    java.util.Arrays.fill(events, event);
    return events;
  }

  @Test
  void handle_putKeyPolicyOnPrimary_startsTheRuleInEveryReplicaRegion() {
    Fakes.Run run = new Fakes.Run("eu-west-1", "ap-southeast-2");
    run.keys.primary("us-east-1", "eu-west-1", "ap-southeast-2");

    TriggerReport report = run.events(PUT);

    assertEquals(List.of("eu-west-1/" + RULE, "ap-southeast-2/" + RULE), started(report));
    assertEquals(List.of("eu-west-1", "ap-southeast-2"), report.events().get(0).regions());
    assertEquals(List.of(), report.deferred());
  }

  @Test
  void handle_burstOf100EventsForOneKey_oneStartAndOneDeferralPerRegion() {
    Fakes.Run run = new Fakes.Run("eu-west-1", "ap-southeast-2");
    run.keys.primary("us-east-1", "eu-west-1", "ap-southeast-2");

    TriggerReport report = run.events(times(100, PUT));

    assertEquals(2, run.rules.startCalls.size());
    assertEquals(1, run.keys.calls.size());
    assertEquals(2, run.rules.nameCalls);
    assertEquals(2, report.deferred().size());
    assertEquals(196, report.coalesced().size());
    assertTrue(report.deferred().stream().allMatch(d -> d.delaySeconds() == 62));
  }

  @Test
  void handle_burstThenTheMinutePasses_theDeferredStartCoversEveryLaterEvent() {
    Fakes.Run run = new Fakes.Run("eu-west-1");
    run.keys.primary("us-east-1", "eu-west-1");
    run.events(PUT);
    List<Instant> starts = new ArrayList<>();
    starts.add(run.clock.instant());
    for (int second = 1; second <= 180; second++) {
      run.clock.advance(Duration.ofSeconds(1));
      int before = run.rules.started.size();
      if (second <= 100) {
        run.events(PUT);
      }
      run.dueDeferrals();
      if (run.rules.started.size() > before) {
        starts.add(run.clock.instant());
      }
    }

    assertEquals(run.rules.started.size(), starts.size());
    assertEquals(3, starts.size());
    for (int i = 1; i < starts.size(); i++) {
      assertTrue(!starts.get(i).isBefore(starts.get(i - 1).plusSeconds(60)), starts.toString());
    }
    assertTrue(starts.get(starts.size() - 1).isAfter(Instant.parse("2026-12-01T10:01:40Z")));
    assertEquals(List.of(), run.queue.sent);
    assertEquals(run.rules.startCalls.size(), run.rules.started.size());
  }

  @Test
  void handle_startRefused_deferredAMinuteAndStartedWhenTaken() {
    Fakes.Run run = new Fakes.Run("eu-west-1");
    run.keys.primary("us-east-1", "eu-west-1");
    run.rules.then(
        "eu-west-1", new ConfigRules.Start.Refused("LimitExceededException", "in progress"));

    TriggerReport first = run.events(PUT);
    run.clock.advance(Duration.ofSeconds(62));
    TriggerReport second = run.dueDeferrals();

    assertEquals(List.of(), first.started());
    assertEquals(1, first.deferred().get(0).attempts());
    assertEquals("LimitExceededException", first.deferred().get(0).reason());
    assertEquals(List.of("eu-west-1/" + RULE), started(second));
    assertEquals(List.of(), run.queue.sent);
  }

  @Test
  void handle_refusedWhileAnEvaluationStaysInProgress_backsOffToFifteenMinutes() {
    Fakes.Run run = new Fakes.Run("eu-west-1");
    run.keys.primary("us-east-1", "eu-west-1");
    for (int i = 0; i < 6; i++) {
      run.rules.then(
          "eu-west-1", new ConfigRules.Start.Refused("LimitExceededException", "in progress"));
    }
    List<Long> delays = new ArrayList<>();

    TriggerReport report = run.events(PUT);
    while (report.started().isEmpty()) {
      long delay = report.deferred().get(0).delaySeconds();
      delays.add(delay);
      run.clock.advance(Duration.ofSeconds(delay));
      report = run.dueDeferrals();
    }

    assertEquals(List.of(62L, 124L, 248L, 496L, 900L, 900L), delays);
    assertEquals(List.of("eu-west-1/" + RULE), started(report));
  }

  @Test
  void handle_refusedAndQueueDown_inputDeliveredAgain() {
    Fakes.Run run = new Fakes.Run("eu-west-1");
    run.keys.primary("us-east-1", "eu-west-1");
    run.rules.then(
        "eu-west-1", new ConfigRules.Start.Refused("LimitExceededException", "in progress"));
    run.queue.failing = true;

    TriggerReport report = run.events(PUT);

    assertEquals(List.of("event-0"), report.retry());
    assertEquals("ServiceUnavailable", report.failures().get(0).code());
  }

  @Test
  void handle_keyCopiesDenied_loggedCountedAndNotRetried() {
    Fakes.Run run = new Fakes.Run("eu-west-1");
    run.keys.answers.put(
        arn("us-east-1"), new KeyCopiesReader.Read.Failed("AccessDeniedException", "denied", true));

    TriggerReport report = run.events(PUT);

    assertEquals(List.of(), report.retry());
    assertEquals("AccessDeniedException", report.failures().get(0).code());
    assertEquals(arn("us-east-1"), report.failures().get(0).keyArn());
    String metrics = run.logLines().get(run.logLines().size() - 1);
    assertTrue(
        metrics.contains("\"KeysUnreadable\":1") && metrics.contains("\"Failures\":1"), metrics);
  }

  @Test
  void handle_keyCopiesThrottled_eventDeliveredAgain() {
    Fakes.Run run = new Fakes.Run("eu-west-1");
    run.keys.answers.put(
        arn("us-east-1"),
        new KeyCopiesReader.Read.Failed("ThrottlingException", "slow down", false));

    assertEquals(List.of("event-0"), run.events(PUT).retry());
  }

  @Test
  void handle_replicateKeyWhileTheReplicaIsCreating_waitsThenStarts() {
    Fakes.Run run = new Fakes.Run("eu-west-1");
    run.keys.primary("us-east-1", "eu-west-1").state("eu-west-1", "Creating");

    TriggerReport first = run.events(example("cloudtrail-replicate-key.json"));
    run.keys.state("eu-west-1", "Enabled");
    run.clock.advance(Duration.ofSeconds(30));
    TriggerReport second = run.dueDeferrals();

    assertEquals(List.of(), first.started());
    assertEquals(arn("eu-west-1"), first.deferred().get(0).settleOn());
    assertEquals(30, first.deferred().get(0).delaySeconds());
    assertEquals(List.of("eu-west-1/" + RULE), started(second));
  }

  @Test
  void handle_updatePrimaryRegion_startsInEveryCopysRegionIncludingItsOwn() {
    Fakes.Run run = new Fakes.Run("eu-west-1", "us-east-1", "ap-southeast-2");
    run.keys.primary("eu-west-1", "us-east-1", "ap-southeast-2");

    TriggerReport report = run.events(example("cloudtrail-update-primary-region.json"));

    assertEquals(
        List.of("eu-west-1/" + RULE, "us-east-1/" + RULE, "ap-southeast-2/" + RULE),
        started(report));
  }

  @Test
  void handle_updatePrimaryRegionEchoWrittenByKms_startsNothing() {
    Fakes.Run run = new Fakes.Run("eu-west-1", "us-east-1");
    run.keys.primary("eu-west-1", "us-east-1");

    TriggerReport report = run.events(example("cloudtrail-update-primary-region-new-primary.json"));

    assertEquals(List.of(), report.started());
    assertEquals(List.of(), run.keys.calls);
  }

  @Test
  void handle_scheduleAndCancelKeyDeletion_noStartAndNoCall() {
    Fakes.Run run = new Fakes.Run("eu-west-1");
    run.keys.primary("us-east-1", "eu-west-1");

    TriggerReport report =
        run.events(
            example("cloudtrail-schedule-key-deletion.json"),
            example("cloudtrail-cancel-key-deletion.json"));

    assertEquals(List.of(), report.started());
    assertEquals(2, report.events().size());
    assertEquals(List.of(), run.keys.calls);
    assertEquals(List.of(), run.rules.startCalls);
  }

  @Test
  void handle_ruleDeployedByAPack_startsItUnderItsSuffixedName() {
    Fakes.Run run = new Fakes.Run();
    run.rules.names.put("eu-west-1", List.of(RULE + "-conformance-pack-hbmlt5imw"));
    run.keys.primary("us-east-1", "eu-west-1");

    TriggerReport report = run.events(PUT);

    assertEquals(List.of("eu-west-1/" + RULE + "-conformance-pack-hbmlt5imw"), started(report));
  }

  @Test
  void handle_replicaRegionWithoutTheRule_nothingStartedThereAndCounted() {
    Fakes.Run run = new Fakes.Run("eu-west-1");
    run.keys.primary("us-east-1", "eu-west-1", "sa-east-1");

    TriggerReport report = run.events(PUT);

    assertEquals(List.of("eu-west-1/" + RULE), started(report));
    assertEquals(List.of("sa-east-1"), report.regionsWithoutRule());
    assertTrue(run.logLines().stream().anyMatch(l -> l.contains("\"RegionsWithoutRule\":1")));
  }

  @Test
  void handle_ruleGone_startRejectedLoggedAndNotRetried() {
    Fakes.Run run = new Fakes.Run("eu-west-1");
    run.keys.primary("us-east-1", "eu-west-1");
    run.rules.then(
        "eu-west-1", new ConfigRules.Start.Rejected("NoSuchConfigRuleException", "gone"));

    TriggerReport report = run.events(PUT);

    assertEquals(List.of(), report.deferred());
    assertEquals(List.of(), report.retry());
    assertEquals("NoSuchConfigRuleException", report.failures().get(0).code());
  }

  @Test
  void handle_deferralOlderThanADay_givenUpAndCountedAsAFailure() {
    Fakes.Run run = new Fakes.Run("eu-west-1");
    Deferral old =
        new Deferral(
            "eu-west-1",
            RULE,
            null,
            run.clock.instant(),
            40,
            run.clock.instant().minus(Duration.ofHours(25)),
            "LimitExceededException");

    TriggerReport report = run.handle(List.of(new TriggerInput.Deferred("m-1", old)));

    assertEquals(List.of(), run.rules.startCalls);
    assertEquals("DeferralExpired", report.failures().get(0).code());
  }

  @Test
  void handle_malformedEventAndUnusableMessage_droppedAndCounted() {
    Fakes.Run run = new Fakes.Run("eu-west-1");

    TriggerReport report =
        run.handle(
            List.of(
                new TriggerInput.Event("e-1", example("scheduled-notification.json")),
                new TriggerInput.Unusable("m-1", "not JSON")));

    assertEquals(2, report.failures().size());
    assertEquals(List.of(), report.retry());
  }

  @Test
  void handle_anyRun_writesOneMetricsLineWithTheTriggersCounts() throws Exception {
    Fakes.Run run = new Fakes.Run("eu-west-1");
    run.keys.primary("us-east-1", "eu-west-1");

    run.events(PUT, PUT, example("cloudtrail-schedule-key-deletion.json"));
    JsonNode line = Fakes.MAPPER.readTree(run.logLines().get(run.logLines().size() - 1));

    assertEquals("MrkPolicyGuard", line.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
    assertEquals("Component", line.at("/_aws/CloudWatchMetrics/0/Dimensions/0/0").asText());
    assertEquals("Trigger", line.path("Component").asText());
    assertEquals(3, line.path("EventsSeen").asInt());
    assertEquals(1, line.path("StartsRequested").asInt());
    assertEquals(1, line.path("EvaluationsStarted").asInt());
    assertEquals(1, line.path("StartsDeferred").asInt());
    assertEquals(0, line.path("Failures").asInt());
    assertEquals(1, line.path("ApiCalls.Kms.DescribeKey").asInt());
  }
}
