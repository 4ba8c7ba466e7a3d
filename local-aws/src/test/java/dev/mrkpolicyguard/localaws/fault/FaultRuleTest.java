package dev.mrkpolicyguard.localaws.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultRuleTest {

  @Test
  void parse_throttleShare_isThrottleOnOperation() {
    FaultRule rule = FaultRule.parse("kms:GetKeyPolicy:throttle=0.3");
    assertEquals(FaultRule.throttle("kms", "GetKeyPolicy", 0.3), rule);
  }

  @Test
  void parse_fixedLatencyOnWildcard_isLatencyForAllOperations() {
    assertEquals(
        FaultRule.latency("kms", "*", Duration.ofMillis(10)),
        FaultRule.parse("kms:*:latency=10ms"));
  }

  @Test
  void parse_jitteredLatency_hasMinAndMax() {
    FaultRule rule = FaultRule.parse("*:*:latency=5ms..2s");
    assertEquals(
        new FaultEffect.Latency(Duration.ofMillis(5), Duration.ofSeconds(2)), rule.effect());
  }

  @Test
  void parse_errorForKeyInRegion_carriesCodeKeyAndRegion() {
    FaultRule rule =
        FaultRule.parse("kms:GetKeyPolicy:error=AccessDeniedException,key=mrk-1,region=eu-west-1");
    assertEquals("mrk-1", rule.resource());
    assertEquals("eu-west-1", rule.region());
    assertEquals("AccessDeniedException", ((FaultEffect.Error) rule.effect()).code());
    assertEquals(400, ((FaultEffect.Error) rule.effect()).status());
  }

  @Test
  void parse_http503_isServerError() {
    assertEquals(
        new FaultEffect.ServerError(503), FaultRule.parse("config:*:http503=0.5").effect());
  }

  @Test
  void parse_unknownEffect_throwsIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> FaultRule.parse("kms:X:explode=1"));
  }

  @Test
  void parse_shareAboveOne_throwsIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> FaultRule.parse("kms:X:throttle=1.5"));
  }

  @Test
  void parse_whenAfter_strikesAfterTheOperation() {
    FaultRule rule = FaultRule.parse("kms:PutKeyPolicy:http503=1,when=after");
    assertEquals(FaultRule.serverError("kms", "PutKeyPolicy", 503, 1.0).afterOperation(), rule);
    assertEquals(false, FaultRule.parse("kms:PutKeyPolicy:http503=1,when=before").after());
  }

  @Test
  void parse_whenNeitherBeforeNorAfter_throwsIllegalArgument() {
    assertThrows(
        IllegalArgumentException.class, () -> FaultRule.parse("kms:X:throttle=1,when=during"));
  }
}
