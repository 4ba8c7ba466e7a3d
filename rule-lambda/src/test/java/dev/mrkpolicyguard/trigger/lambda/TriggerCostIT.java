package dev.mrkpolicyguard.trigger.lambda;

import static dev.mrkpolicyguard.trigger.lambda.TriggerFixture.ACCOUNT;
import static dev.mrkpolicyguard.trigger.lambda.TriggerFixture.HOME;
import static dev.mrkpolicyguard.trigger.lambda.TriggerFixture.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mrkpolicyguard.localaws.CallLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * What one primary change costs in a Region of 1,000 keys (docs/trigger.md, "Cost per change"): the
 * trigger's calls, the started run's calls, and the evaluations it posts. eu-west-1 holds 300
 * replicas of us-east-1 primaries, 100 primaries of its own and 600 single-Region keys; the rule
 * has run there once, so Config holds a record for every key.
 */
class TriggerCostIT {
  private static final String WEST = "eu-west-1";

  @Test
  void primaryChange_regionOfAThousandKeys_oneRunPostingOneEvaluation() {
    try (TriggerFixture aws = new TriggerFixture()) {
      KmsClient east = aws.kms(HOME);
      KmsClient west = aws.kms(WEST);
      List<String> primaries = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        String id = east.createKey(r -> r.multiRegion(true).policy(policy())).keyMetadata().keyId();
        east.replicateKey(r -> r.keyId(id).replicaRegion(WEST).policy(policy()));
        primaries.add(id);
      }
      for (int i = 0; i < 100; i++) {
        west.createKey(r -> r.multiRegion(true).policy(policy()));
      }
      for (int i = 0; i < 600; i++) {
        west.createKey(r -> r.description("single-Region"));
      }
      aws.runRule(WEST);
      assertEquals(1000, aws.server.config().evaluations(ACCOUNT, WEST).size());
      aws.server.events().drain(ACCOUNT, HOME);
      aws.clock.advance(Duration.ofMinutes(5));

      east.putKeyPolicy(r -> r.keyId(primaries.get(0)).policy(policy("444455556666")));
      aws.deliverEvents(HOME);
      Map<CallLog.Call, Long> beforeTrigger = aws.server.calls().snapshot();
      aws.pollQueue();
      Map<String, Long> trigger = since(beforeTrigger, aws.server.calls().snapshot());
      // Receiving and deleting messages is the event source mapping's polling, not the trigger's.
      trigger
          .keySet()
          .removeIf(
              call ->
                  call.startsWith("sqs:ReceiveMessage") || call.startsWith("sqs:DeleteMessage"));
      Map<CallLog.Call, Long> beforeRun = aws.server.calls().snapshot();
      int evaluationsBefore = aws.server.config().evaluations(ACCOUNT, WEST).size();
      aws.runRule(WEST);
      Map<String, Long> run = since(beforeRun, aws.server.calls().snapshot());
      int posted = aws.server.config().evaluations(ACCOUNT, WEST).size() - evaluationsBefore;

      System.out.println("trigger calls: " + trigger);
      System.out.println("started run calls: " + run + "; evaluations posted: " + posted);
      assertEquals(
          Map.of(
              "config:DescribeConfigRules@eu-west-1", 1L,
              "config:StartConfigRulesEvaluation@eu-west-1", 1L,
              "kms:DescribeKey@us-east-1", 1L),
          trigger);
      assertEquals(1, posted);
      assertEquals("NON_COMPLIANT", aws.compliance(WEST, primaries.get(0)));
      assertEquals(
          Map.of(
              "kms:ListKeys@eu-west-1", 1L,
              "kms:DescribeKey@eu-west-1", 400L,
              "kms:GetKeyPolicy@eu-west-1", 400L,
              "kms:GetKeyPolicy@us-east-1", 300L,
              "config:GetComplianceDetailsByConfigRule@eu-west-1", 10L,
              "config:PutEvaluations@eu-west-1", 1L),
          run);
    }
  }

  private static Map<String, Long> since(
      Map<CallLog.Call, Long> before, Map<CallLog.Call, Long> after) {
    Map<String, Long> out = new TreeMap<>();
    after.forEach(
        (call, count) -> {
          long delta = count - before.getOrDefault(call, 0L);
          if (delta > 0) {
            out.put(call.toString(), delta);
          }
        });
    return out;
  }
}
