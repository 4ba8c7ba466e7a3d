package dev.mrkpolicyguard.localaws.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FaultsTest {

  private static List<Boolean> draws(Faults faults, int n) {
    return IntStream.range(0, n)
        .mapToObj(
            i ->
                faults
                    .decide("kms", "GetKeyPolicy", "us-east-1", null)
                    .before()
                    .error()
                    .isPresent())
        .toList();
  }

  @Test
  void decide_sameSeed_drawsSameSequence() {
    Faults a = new Faults(7).add("kms:GetKeyPolicy:throttle=0.3");
    Faults b = new Faults(7).add("kms:GetKeyPolicy:throttle=0.3");
    assertEquals(draws(a, 200), draws(b, 200));
  }

  @Test
  void decide_shareThirtyPercent_throttlesRoughlyThatShare() {
    long throttled =
        draws(new Faults(1).add("kms:GetKeyPolicy:throttle=0.3"), 2000).stream()
            .filter(t -> t)
            .count();
    assertTrue(throttled > 500 && throttled < 700, "throttled " + throttled);
  }

  @Test
  void decide_clear_restartsSequenceFromSeed() {
    Faults faults = new Faults(3).add("kms:GetKeyPolicy:throttle=0.5");
    List<Boolean> first = draws(faults, 50);
    faults.clear();
    faults.add("kms:GetKeyPolicy:throttle=0.5");
    assertEquals(first, draws(faults, 50));
  }

  @Test
  void decide_regionScopedRule_ignoresOtherRegions() {
    Faults faults = new Faults(1).add("kms:*:throttle=1,region=eu-west-1");
    assertTrue(faults.decide("kms", "DescribeKey", "us-east-1", null).before().error().isEmpty());
    assertTrue(faults.decide("kms", "DescribeKey", "eu-west-1", null).before().error().isPresent());
  }

  @Test
  void decide_keyedRule_matchesKeyIdAndArnButNotOtherKeys() {
    Faults faults = new Faults(1).add("kms:GetKeyPolicy:error=AccessDeniedException,key=mrk-1");
    assertTrue(faults.decide("kms", "GetKeyPolicy", "r", "mrk-1").before().error().isPresent());
    assertTrue(
        faults
            .decide("kms", "GetKeyPolicy", "r", "arn:aws:kms:r:1:key/mrk-1")
            .before()
            .error()
            .isPresent());
    assertTrue(faults.decide("kms", "GetKeyPolicy", "r", "mrk-2").before().error().isEmpty());
  }

  @Test
  void decide_twoLatencyRules_addUp() {
    Faults faults = new Faults(1).add("kms:*:latency=10ms").add("*:*:latency=5ms");
    assertEquals(
        Duration.ofMillis(15), faults.decide("kms", "ListKeys", "r", null).before().delay());
  }
}
