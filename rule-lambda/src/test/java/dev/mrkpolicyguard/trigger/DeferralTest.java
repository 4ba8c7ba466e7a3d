package dev.mrkpolicyguard.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeferralTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void toJson_parse_roundTrips() throws Exception {
    Deferral deferral =
        new Deferral(
            "eu-west-1",
            "mrk-replica-key-policy-conformance-pack-abc123def",
            null,
            Instant.parse("2026-12-01T10:01:02Z"),
            2,
            Instant.parse("2026-12-01T10:00:00Z"),
            "LimitExceededException");

    var input = TriggerInput.ofBody("m-1", MAPPER.readTree(deferral.toJson()));

    assertEquals(deferral, assertInstanceOf(TriggerInput.Deferred.class, input).deferral());
  }

  @Test
  void ofBody_deferralWithoutDueTime_unusable() throws Exception {
    var input =
        TriggerInput.ofBody(
            "m-1",
            MAPPER.readTree(
                "{\"mrkPolicyGuard\":\"deferred-start\",\"region\":\"eu-west-1\",\"attempts\":0}"));

    assertInstanceOf(TriggerInput.Unusable.class, input);
  }

  @Test
  void ofBody_eventBridgeEvent_event() {
    var input = TriggerInput.ofBody("m-1", Fakes.example("cloudtrail-put-key-policy.json"));

    assertInstanceOf(TriggerInput.Event.class, input);
  }
}
