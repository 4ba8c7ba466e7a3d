package dev.mrkpolicyguard.localaws.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonInputTest {

  private static JsonInput parse(String json) throws Exception {
    return new JsonInput(Json.MAPPER.readTree(json));
  }

  @Test
  void timestamp_integerEpochSeconds_asTheCliSendsThem() throws Exception {
    assertEquals(
        Instant.parse("2026-11-28T10:00:00Z"),
        parse("{\"T\": 1795860000}").timestamp("T").orElseThrow());
  }

  @Test
  void timestamp_fractionalEpochSeconds_asTheJavaSdkSendsThem() throws Exception {
    assertEquals(
        Instant.parse("2026-11-28T10:00:00.25Z"),
        parse("{\"T\": 1795860000.25}").timestamp("T").orElseThrow());
  }

  @Test
  void epochSeconds_millisecondInstant_isPlainDecimal() {
    assertEquals(
        "1795860000.25",
        Json.epochSeconds(Instant.parse("2026-11-28T10:00:00.250Z")).toPlainString());
  }

  @Test
  void required_missingMember_throwsValidationException() throws Exception {
    ApiException e = assertThrows(ApiException.class, () -> parse("{}").required("KeyId"));
    assertEquals("ValidationException", e.code());
    assertEquals(
        "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member"
            + " must not be null",
        e.getMessage());
  }

  @Test
  void integer_outOfRange_throwsValidationException() throws Exception {
    ApiException e =
        assertThrows(ApiException.class, () -> parse("{\"Limit\": 0}").integer("Limit", 1, 1000));
    assertEquals("ValidationException", e.code());
  }
}
