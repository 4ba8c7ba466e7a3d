package dev.mrkpolicyguard.trigger.lambda;

import static dev.mrkpolicyguard.trigger.lambda.TriggerFixture.ACCOUNT;
import static dev.mrkpolicyguard.trigger.lambda.TriggerFixture.HOME;
import static dev.mrkpolicyguard.trigger.lambda.TriggerFixture.RULE;
import static dev.mrkpolicyguard.trigger.lambda.TriggerFixture.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mrkpolicyguard.localaws.fault.FaultRule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * From a KMS call in us-east-1 to a replica's new verdict in another Region, over the stand-in: the
 * call, the CloudTrail event EventBridge would deliver (the stack's pattern), the trigger through
 * its queue, the started evaluation, Config's run of the rule there.
 */
class TriggerEndToEndIT {
  private TriggerFixture aws;
  private KmsClient east;
  private String keyId;

  @BeforeEach
  void keyWithAReplicaInEuWest1() {
    aws = new TriggerFixture();
    east = aws.kms(HOME);
    keyId = east.createKey(r -> r.multiRegion(true).policy(policy())).keyMetadata().keyId();
    east.replicateKey(r -> r.keyId(keyId).replicaRegion("eu-west-1").policy(policy()));
    aws.runRule("eu-west-1");
    aws.server.events().drain(ACCOUNT, HOME);
    aws.server.events().drain(ACCOUNT, "eu-west-1");
    aws.clock.advance(Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() {
    aws.close();
  }

  @Test
  void putKeyPolicyOnPrimary_replicaInEuWest1_nonCompliantAfterTheStartedRun() {
    assertEquals("COMPLIANT", aws.compliance("eu-west-1", keyId));

    east.putKeyPolicy(r -> r.keyId(keyId).policy(policy("444455556666")));
    assertEquals(1, aws.deliverEvents(HOME));
    List<String> failed = aws.pollQueue();

    assertEquals(List.of(), failed);
    assertEquals(
        List.of(List.of(RULE)), aws.server.config().startedEvaluations(ACCOUNT, "eu-west-1"));
    assertEquals(0, aws.starts(HOME));
    aws.runRule("eu-west-1");
    assertEquals("NON_COMPLIANT", aws.compliance("eu-west-1", keyId));
    assertEquals(0, aws.queued());
  }

  @Test
  void putKeyPolicyWhileTheStartIsRefused_retriedThroughTheQueueUntilTaken() {
    aws.server
        .faults()
        .add(
            FaultRule.parse(
                "config:StartConfigRulesEvaluation:error=LimitExceededException,region=eu-west-1"));

    east.putKeyPolicy(r -> r.keyId(keyId).policy(policy("444455556666")));
    aws.deliverEvents(HOME);
    aws.pollQueue();

    assertEquals(0, aws.starts("eu-west-1"));
    assertEquals(1, aws.queued());
    aws.server.faults().clear();
    aws.clock.advance(Duration.ofSeconds(61));
    aws.pollQueue();
    assertEquals(0, aws.starts("eu-west-1"));
    aws.clock.advance(Duration.ofSeconds(1));
    aws.pollQueue();
    assertEquals(1, aws.starts("eu-west-1"));
    assertEquals(0, aws.queued());
    aws.runRule("eu-west-1");
    assertEquals("NON_COMPLIANT", aws.compliance("eu-west-1", keyId));
  }

  @Test
  void burstOf100PutKeyPolicyCalls_oneStartAMinuteAndTheLastChangeCovered() {
    for (int i = 0; i < 100; i++) {
      String policy = i % 2 == 0 ? policy("444455556666") : policy("444455556666", "777788889999");
      east.putKeyPolicy(r -> r.keyId(keyId).policy(policy));
    }

    assertEquals(100, aws.deliverEvents(HOME));
    aws.pollQueue();
    assertEquals(1, aws.startCalls("eu-west-1"));
    assertEquals(1, aws.starts("eu-west-1"));
    assertEquals(1, aws.queued());
    JsonNode metrics = aws.lastMetrics();
    assertEquals(100, metrics.path("EventsSeen").asInt());
    assertEquals(1, metrics.path("StartsRequested").asInt());
    assertEquals(1, metrics.path("StartsDeferred").asInt());
    assertEquals(98, metrics.path("StartsCoalesced").asInt());
    assertEquals(1, metrics.path("ApiCalls.Kms.DescribeKey").asInt());

    aws.clock.advance(Duration.ofSeconds(62));
    aws.pollQueue();

    assertEquals(2, aws.startCalls("eu-west-1"));
    assertEquals(2, aws.starts("eu-west-1"));
    assertEquals(0, aws.queued());
    aws.runRule("eu-west-1");
    assertEquals("NON_COMPLIANT", aws.compliance("eu-west-1", keyId));
  }

  @Test
  void putKeyPolicyOnReplica_startsNothing() {
    KmsClient west = aws.kms("eu-west-1");
    west.putKeyPolicy(r -> r.keyId(keyId).policy(policy("444455556666")));

    assertEquals(1, aws.deliverEvents("eu-west-1"));
    aws.pollQueue();

    assertEquals(0, aws.starts(HOME) + aws.starts("eu-west-1"));
  }

  @Test
  void replicateKey_startsTheRuleInTheNewReplicasRegionOnly() {
    east.replicateKey(
        r -> r.keyId(keyId).replicaRegion("ap-southeast-2").policy(policy("444455556666")));

    assertEquals(1, aws.deliverEvents(HOME));
    aws.pollQueue();

    assertEquals(1, aws.starts("ap-southeast-2"));
    assertEquals(0, aws.starts("eu-west-1") + aws.starts(HOME));
    aws.runRule("ap-southeast-2");
    assertEquals("NON_COMPLIANT", aws.compliance("ap-southeast-2", keyId));
  }

  @Test
  void updatePrimaryRegion_startsTheRuleInEveryCopysRegion() {
    east.replicateKey(r -> r.keyId(keyId).replicaRegion("ap-southeast-2").policy(policy()));
    aws.server.events().drain(ACCOUNT, HOME);
    east.updatePrimaryRegion(r -> r.keyId(keyId).primaryRegion("eu-west-1"));

    assertEquals(1, aws.deliverEvents(HOME));
    assertEquals(0, aws.deliverEvents("eu-west-1"));
    aws.pollQueue();

    assertEquals(
        List.of(1, 1, 1),
        List.of(aws.starts(HOME), aws.starts("eu-west-1"), aws.starts("ap-southeast-2")));
  }

  @Test
  void scheduleAndCancelKeyDeletion_startNothing() {
    KmsClient west = aws.kms("eu-west-1");
    long describes = aws.server.calls().count("kms", "DescribeKey");
    west.scheduleKeyDeletion(r -> r.keyId(keyId).pendingWindowInDays(7));
    west.cancelKeyDeletion(r -> r.keyId(keyId));

    assertEquals(2, aws.deliverEvents("eu-west-1"));
    aws.pollQueue();

    assertEquals(0, aws.startCalls(HOME) + aws.startCalls("eu-west-1"));
    assertEquals(describes, aws.server.calls().count("kms", "DescribeKey"));
  }

  @Test
  void keyCopiesDenied_loggedCountedAndTheMessageNotRetried() {
    aws.server
        .faults()
        .add(FaultRule.errorFor("kms", "DescribeKey", keyId, "AccessDeniedException"));

    east.putKeyPolicy(r -> r.keyId(keyId).policy(policy("444455556666")));
    aws.deliverEvents(HOME);
    List<String> failed = aws.pollQueue();

    assertEquals(List.of(), failed);
    assertEquals(0, aws.queued());
    assertEquals(1, aws.lastMetrics().path("KeysUnreadable").asInt());
    assertEquals(1, aws.lastMetrics().path("Failures").asInt());
    assertTrue(
        aws.log().stream()
            .anyMatch(
                l ->
                    l.path("level").asText().equals("ERROR")
                        && l.path("error").asText().equals("AccessDeniedException")));
  }

  @Test
  void queueRefusesTheDeferral_messageLeftForRedelivery() {
    aws.server
        .faults()
        .add(
            FaultRule.parse(
                "config:StartConfigRulesEvaluation:error=LimitExceededException,region=eu-west-1"));
    aws.server.faults().add(FaultRule.serverError("sqs", "SendMessage", 500, 1.0));
    east.putKeyPolicy(r -> r.keyId(keyId).policy(policy("444455556666")));
    aws.server.faults().clear();
    aws.deliverEvents(HOME);
    aws.server
        .faults()
        .add(
            FaultRule.parse(
                "config:StartConfigRulesEvaluation:error=LimitExceededException,region=eu-west-1"));
    aws.server.faults().add(FaultRule.serverError("sqs", "SendMessage", 500, 1.0));

    List<String> failed = aws.pollQueue();

    assertEquals(1, failed.size());
    assertEquals(1, aws.queued());
    aws.server.faults().clear();
    aws.clock.advance(Duration.ofSeconds(360));
    assertEquals(List.of(), aws.pollQueue());
    assertEquals(1, aws.starts("eu-west-1"));
  }
}
