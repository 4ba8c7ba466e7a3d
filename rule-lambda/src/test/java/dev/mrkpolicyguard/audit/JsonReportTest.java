package dev.mrkpolicyguard.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JsonReportTest {
  private static JsonNode report;

  @BeforeAll
  static void renderExampleFleet() throws IOException {
    report = new ObjectMapper().readTree(AuditRun.exampleFleet("json").out());
  }

  private static List<String> fields(JsonNode node) {
    List<String> out = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void render_exampleFleet_hasTheDocumentedTopLevelFields() {
    assertEquals(
        List.of("reportVersion", "snapshot", "summary", "exitCode", "keys", "unreadable"),
        fields(report));
    assertEquals(4, report.get("exitCode").asInt());
    assertEquals(8, report.at("/summary/nonCompliant").asInt());
  }

  @Test
  void render_key_hasTheDocumentedFields() {
    assertEquals(
        List.of(
            "keyArn",
            "keyId",
            "region",
            "role",
            "primaryArn",
            "awsManaged",
            "keyState",
            "aliases",
            "compliance",
            "annotation",
            "findings"),
        fields(report.get("keys").get(0)));
  }

  @Test
  void render_difference_hasTheCompareCommandsFieldsAndKind() {
    JsonNode d = report.at("/keys/2/findings/0/differences/0");
    assertEquals(List.of("direction", "kind", "witness", "explanation"), fields(d));
    assertEquals(
        List.of("principal", "identityPolicyAllows", "action", "context", "primaryRequest"),
        fields(d.get("witness")));
    assertEquals(List.of("principal", "context"), fields(d.at("/witness/primaryRequest")));
    assertTrue(d.get("explanation").asText().contains("'Partner'"));
  }

  @Test
  void render_unreadableKey_isListedWithItsReason() {
    JsonNode u = report.get("unreadable").get(0);
    assertTrue(u.get("keyArn").asText().startsWith("arn:aws:kms:ap-southeast-2:"));
    assertTrue(u.get("reason").asText().contains("kms:GetKeyPolicy"));
  }
}
