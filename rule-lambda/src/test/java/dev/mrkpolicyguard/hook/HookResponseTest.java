package dev.mrkpolicyguard.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The response as CloudFormation reads it. */
class HookResponseTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void toJson_failed_hasStatusErrorCodeMessageTokenAndAnnotations() {
    HookResponse response =
        HookResponse.nonCompliant(
            "token-1",
            "drift",
            List.of(
                new HookResponse.Annotation(
                    "REPLICA_GRANTS_MORE", false, "more", "realign", "HIGH")));

    ObjectNode json = response.toJson(MAPPER);

    assertEquals(
        "{\"hookStatus\":\"FAILED\",\"errorCode\":\"NonCompliant\",\"message\":\"drift\","
            + "\"clientRequestToken\":\"token-1\",\"annotations\":[{\"annotationName\":"
            + "\"REPLICA_GRANTS_MORE\",\"status\":\"FAILED\",\"statusMessage\":\"more\","
            + "\"remediationMessage\":\"realign\",\"severityLevel\":\"HIGH\"}]}",
        json.toString());
  }

  @Test
  void toJson_success_hasNoErrorCodeAndNoCallback() {
    ObjectNode json = HookResponse.success("t", "ok", List.of()).toJson(MAPPER);

    assertFalse(json.has("errorCode"));
    assertFalse(json.has("callbackContext"));
    assertEquals("SUCCESS", json.get("hookStatus").asText());
  }

  @Test
  void new_longMessage_isCutTo4096Characters() {
    HookResponse response = HookResponse.nonCompliant("t", "x".repeat(10_000), List.of());

    assertEquals(HookResponse.MAX_MESSAGE, response.message().length());
  }

  @Test
  void new_failedWithoutErrorCode_isRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new HookResponse(HookResponse.Status.FAILED, null, "m", "t", List.of()));
  }
}
