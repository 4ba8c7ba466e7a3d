package dev.mrkpolicyguard.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.startup.Priming;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hook function's priming runs its own handler on the bundled request. */
class HookPrimingTest {
  @Test
  void prime_hookHandlerRegistered_readsTheBaselineAndThePrimaryOnTheLoopback() {
    Priming.register(HookHandler::primingPath);

    Priming.Report report = Priming.prime(1);

    assertEquals(List.of(), report.problems());
    assertTrue(
        report
            .handlerCalls()
            .containsAll(
                List.of(
                    "AmazonSSM.GetParameter",
                    "TrentService.DescribeKey",
                    "TrentService.GetKeyPolicy")),
        report.handlerCalls().toString());
  }
}
