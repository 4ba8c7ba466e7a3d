package dev.mrkpolicyguard.trigger.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.startup.Priming;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trigger function's priming runs its own handler on the bundled CloudTrail event. */
class TriggerPrimingTest {
  @Test
  void prime_triggerHandlerRegistered_startsAnEvaluationAndDefersOneOnTheLoopback() {
    Priming.register(TriggerHandler::primingPath);

    Priming.Report report = Priming.prime(1);

    assertEquals(List.of(), report.problems());
    // The event alone starts the replica's evaluation; the same event in a queue batch, a moment
    // later, is coalesced into a deferred start on the queue.
    assertTrue(
        report
            .handlerCalls()
            .containsAll(
                List.of(
                    "TrentService.DescribeKey",
                    "StarlingDoveService.DescribeConfigRules",
                    "StarlingDoveService.StartConfigRulesEvaluation",
                    "AmazonSQS.SendMessage")),
        report.handlerCalls().toString());
  }
}
