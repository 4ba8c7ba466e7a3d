package dev.mrkpolicyguard.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ExplanationJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void render_drift_givesTheVerdictTheCasesAndTheRemediateCommand() throws IOException {
    JsonNode result = results("secrets-manager-generate-data-key-denied.json").get(0);

    assertEquals("DRIFT_EXPLAINS_DENIAL", result.get("verdict").asText());
    assertEquals(false, result.get("conditional").asBoolean());
    assertEquals(false, result.get("identityPolicyAllows").asBoolean());
    assertEquals(
        "secretsmanager.eu-west-1.amazonaws.com", result.at("/context/kms:ViaService").asText());
    assertEquals(
        "secretsmanager.us-east-1.amazonaws.com",
        result.at("/cases/0/primary/request/context/kms:viaservice").asText());
    assertEquals(
        "'Secrets Manager'", result.at("/cases/0/primary/statements/0/statement").asText());
    assertEquals("ALLOWS", result.at("/cases/0/primary/statements/0/effect").asText());
    assertEquals("DENY", result.at("/cases/0/replica/decision").asText());
    assertEquals(
        "java -jar rule-lambda.jar remediate --key-arn " + Fixtures.REPLICA,
        result.get("remediate").asText());
  }

  @Test
  void render_conditional_writesEachCaseWithItsAssumptions() throws IOException {
    JsonNode result = results("cross-account-decrypt-opaque-message.json").get(0);

    assertEquals(true, result.get("conditional").asBoolean());
    assertEquals(
        "arn:aws:sts::444455556666:assumed-role/Partner/batch-7",
        result.at("/cases/0/if/0/0/value").asText());
    assertEquals("identityPolicyAllows", result.at("/cases/0/if/0/1/fact").asText());
    assertEquals("444455556666", result.at("/cases/1/if/1/0/anyOtherPrincipalOf").asText());
    assertEquals(true, result.at("/cases/1/if/1/1/absent").asBoolean());
  }

  @Test
  void render_unexplained_hasNullVerdictAndTheProblem() throws IOException {
    JsonNode result = results("unknown-key-decrypt-denied.json").get(0);

    assertEquals(true, result.get("verdict").isNull());
    assertEquals(true, result.get("problem").asText().startsWith("unknown key "));
  }

  @Test
  void render_notApplicable_givesTheVerdictAndReason() throws IOException {
    JsonNode result = results("create-key-denied.json").get(0);

    assertEquals("NOT_KEY_POLICY_ACTION", result.get("verdict").asText());
    assertEquals(
        "kms:CreateKey uses no KMS key: IAM policies alone authorise it",
        result.get("reason").asText());
  }

  @Test
  void render_nonAscii_isEscaped() throws IOException {
    String record =
        Fixtures.text("assumed-role-decrypt-no-identity-policy.json")
            .replace("\"Finance\"", "\"Financ\\u00e9\\u202e\"");
    String json =
        ExplanationJson.render(
            new Explainer(Fixtures.snapshot())
                .explain(((RecordFile.Result.Read) RecordFile.read(record)).entries()));

    assertEquals(true, json.contains("Financ\\u00E9\\u202E"), json);
    assertEquals(
        "Financ\u00e9\u202e",
        JSON.readTree(json).at("/results/0/context/kms:EncryptionContext:Department").asText());
  }

  @Test
  void render_summary_countsRecords() throws IOException {
    JsonNode root =
        JSON.readTree(
            ExplanationJson.render(
                new Explainer(Fixtures.snapshot())
                    .explain(Fixtures.entries("json-lines-with-malformed-records.jsonl"))));

    assertEquals(5, root.at("/summary/records").asInt());
    assertEquals(3, root.at("/summary/unexplained").asInt());
  }

  private static JsonNode results(String name) throws IOException {
    ExplainReport report = new Explainer(Fixtures.snapshot()).explain(Fixtures.entries(name));
    return JSON.readTree(ExplanationJson.render(report)).get("results");
  }
}
