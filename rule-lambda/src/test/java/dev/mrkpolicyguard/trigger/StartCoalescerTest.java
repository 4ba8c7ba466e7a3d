package dev.mrkpolicyguard.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StartCoalescerTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final StartCoalescer coalescer = new StartCoalescer(clock);
  private final StartCoalescer.RuleTarget west = new StartCoalescer.RuleTarget("eu-west-1", "rule");

  @Test
  void onChange_nothingStartedYet_starts() {
    assertInstanceOf(StartCoalescer.Decision.Start.class, coalescer.onChange(west));
  }

  @Test
  void onChange_withinAMinuteOfAStart_waitsForTheMinuteToEnd() {
    coalescer.started(west);
    clock.advance(Duration.ofSeconds(20));

    var wait = assertInstanceOf(StartCoalescer.Decision.Wait.class, coalescer.onChange(west));

    assertEquals(Instant.parse("2026-12-01T10:01:00Z"), wait.until());
  }

  @Test
  void onChange_whileALaterStartIsQueued_covered() {
    coalescer.started(west);
    coalescer.queued(west, Instant.parse("2026-12-01T10:01:02Z"));
    clock.advance(Duration.ofSeconds(30));

    assertInstanceOf(StartCoalescer.Decision.Covered.class, coalescer.onChange(west));
  }

  @Test
  void onChange_anotherRegion_startsIndependently() {
    coalescer.started(west);

    assertInstanceOf(
        StartCoalescer.Decision.Start.class,
        coalescer.onChange(new StartCoalescer.RuleTarget("ap-southeast-2", "rule")));
  }

  @Test
  void onDeferral_startedAfterItWasDue_covered() {
    Instant due = Instant.parse("2026-12-01T10:01:02Z");
    coalescer.queued(west, due);
    clock.advance(Duration.ofSeconds(63));
    coalescer.started(west);

    assertInstanceOf(StartCoalescer.Decision.Covered.class, coalescer.onDeferral(west, due));
  }

  @Test
  void onDeferral_lastStartBeforeItWasDue_startsOnceTheMinuteIsOver() {
    coalescer.started(west);
    Instant due = Instant.parse("2026-12-01T10:01:02Z");
    coalescer.queued(west, due);
    clock.advance(Duration.ofSeconds(62));

    assertInstanceOf(StartCoalescer.Decision.Start.class, coalescer.onDeferral(west, due));
    assertInstanceOf(StartCoalescer.Decision.Start.class, coalescer.onChange(west));
  }

  @Test
  void onDeferral_newContainerKnowsNothing_starts() {
    assertInstanceOf(
        StartCoalescer.Decision.Start.class,
        coalescer.onDeferral(west, Instant.parse("2026-12-01T09:59:00Z")));
  }
}
