package dev.mrkpolicyguard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SSM Automation documents the stack deploys, against their files in cloudformation/documents/
 * and against the remediation configurations that start them (cfn-lint checks neither).
 */
class RemediationDocumentTest {
  /** Stack logical ID to the document's file and its agreed name. */
  static final Map<String, List<String>> DOCUMENTS =
      Map.of(
          "AlignDocument",
          List.of("align-replica-key-policy.yaml", "MrkPolicyGuard-AlignReplicaKeyPolicy"),
          "RestoreDocument",
          List.of("restore-replica-key-policy.yaml", "MrkPolicyGuard-RestoreReplicaKeyPolicy"));

  private final CfnTemplate stack = CfnTemplate.load(LambdaWiringTest.STACK_FILE);
  private final CfnTemplate pack = CfnTemplate.load(ConformancePackTest.PACK_FILE);

  @ParameterizedTest
  @ValueSource(strings = {"AlignDocument", "RestoreDocument"})
  void document_stack_automationYamlWithAgreedName(String logicalId) {
    JsonNode properties = stack.properties(logicalId);

    assertEquals(DOCUMENTS.get(logicalId).get(1), properties.path("Name").asText());
    assertEquals("Automation", properties.path("DocumentType").asText());
    assertEquals("YAML", properties.path("DocumentFormat").asText());
    assertEquals("0.3", properties.at("/Content/schemaVersion").asText());
    assertEquals("{{ AutomationAssumeRole }}", properties.at("/Content/assumeRole").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"AlignDocument", "RestoreDocument"})
  void content_embeddedInStack_equalsDocumentFile(String logicalId) {
    Path file = documentFile(logicalId);
    assertTrue(Files.exists(file), file + " is missing");

    assertEquals(
        CfnTemplate.load(file).root(),
        stack.properties(logicalId).path("Content"),
        "copy " + file + " into Resources." + logicalId + ".Properties.Content of the stack");
  }

  @Test
  void parameters_alignDocument_agreedNamesAndTypes() {
    JsonNode parameters = stack.properties("AlignDocument").at("/Content/parameters");

    assertEquals(
        List.of("KeyId", "AutomationAssumeRole", "DryRun", "FunctionName"), names(parameters));
    parameters.forEach(p -> assertEquals("String", p.path("type").asText()));
    assertEquals("true", parameters.at("/DryRun/default").asText());
  }

  @Test
  void parameters_restoreDocument_agreedNamesAndTypes() {
    JsonNode parameters = stack.properties("RestoreDocument").at("/Content/parameters");

    assertEquals(
        List.of("KeyId", "BackupUri", "AutomationAssumeRole", "Force", "FunctionName"),
        names(parameters));
    parameters.forEach(p -> assertEquals("String", p.path("type").asText()));
    assertEquals("false", parameters.at("/Force/default").asText());
  }

  @Test
  void remediation_packAndStack_matchEmbeddedAlignDocument() {
    JsonNode document = stack.properties("AlignDocument").path("Content");

    assertMatches(pack.properties("ReplicaKeyPolicyRemediation"), document);
    assertMatches(stack.properties("ReplicaKeyPolicyRemediation"), document);
  }

  @Test
  void remediation_pack_matchesAlignDocumentFile() {
    Path file = documentFile("AlignDocument");
    assertTrue(Files.exists(file), file + " is missing");

    assertMatches(pack.properties("ReplicaKeyPolicyRemediation"), CfnTemplate.load(file).root());
  }

  /**
   * Config passes every remediation parameter to the document: each must be a document parameter of
   * a type the value fits (String: one value), every document parameter without a default must be
   * given, and automatic remediation needs the role in AutomationAssumeRole.
   */
  static void assertMatches(JsonNode remediation, JsonNode document) {
    assertEquals("SSM_DOCUMENT", remediation.path("TargetType").asText());
    JsonNode documentParameters = document.path("parameters");
    remediation
        .path("Parameters")
        .fields()
        .forEachRemaining(
            p -> {
              JsonNode declared = documentParameters.path(p.getKey());
              assertTrue(declared.isObject(), "the document has no parameter " + p.getKey());
              assertEquals("String", declared.path("type").asText(), p.getKey());
              JsonNode value = p.getValue();
              if (value.has("StaticValue")) {
                assertEquals(1, value.at("/StaticValue/Values").size(), p.getKey());
              } else {
                assertEquals("RESOURCE_ID", value.at("/ResourceValue/Value").asText(), p.getKey());
              }
            });
    documentParameters
        .fields()
        .forEachRemaining(
            p ->
                assertTrue(
                    p.getValue().has("default") || remediation.path("Parameters").has(p.getKey()),
                    "required document parameter " + p.getKey() + " is not passed"));
    assertEquals("RESOURCE_ID", remediation.at("/Parameters/KeyId/ResourceValue/Value").asText());
    assertTrue(remediation.at("/Parameters/AutomationAssumeRole/StaticValue").isObject());
  }

  @Test
  void dryRunDefaults_packAndStack_allowedByDocument() {
    JsonNode allowed =
        stack.properties("AlignDocument").at("/Content/parameters/DryRun/allowedValues");

    for (JsonNode parameter :
        List.of(
            pack.root().at("/Parameters/RemediationDryRun"),
            stack.root().at("/Parameters/RemediationDryRun"))) {
      assertTrue(
          Set.of("true", "false").contains(parameter.path("Default").asText())
              && allowed.toString().contains('"' + parameter.path("Default").asText() + '"'));
    }
  }

  private static Path documentFile(String logicalId) {
    return CfnTemplate.repoRoot()
        .resolve("cloudformation/documents")
        .resolve(DOCUMENTS.get(logicalId).get(0));
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
