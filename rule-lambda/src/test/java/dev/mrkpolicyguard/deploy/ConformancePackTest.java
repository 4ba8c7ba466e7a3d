package dev.mrkpolicyguard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What cfn-lint does not check about the conformance pack: its resource types and size, that the
 * rule's parameters are ones the handler accepts, and that the pack and the stack's optional rule
 * (DeployRule) define the same rule.
 */
class ConformancePackTest {
  static final String PACK_FILE = "conformance-pack/mrk-policy-guard-pack.yaml";

  /** PutConformancePack TemplateBody limit (Config API reference). */
  static final int MAX_TEMPLATE_BODY_BYTES = 51_200;

  /** RuleParameters.KNOWN: the handler fails on any other parameter. */
  static final Set<String> RULE_PARAMETERS =
      Set.of("BaselineParameterName", "ExecutionRoleName", "FullRefreshDays");

  private final CfnTemplate pack = CfnTemplate.load(PACK_FILE);
  private final CfnTemplate stack = CfnTemplate.load(LambdaWiringTest.STACK_FILE);

  @Test
  void pack_resourceTypes_onlyConfigRuleAndRemediationConfiguration() {
    Set<String> types = new TreeSet<>();
    pack.root().path("Resources").forEach(r -> types.add(r.path("Type").asText()));

    assertEquals(Set.of("AWS::Config::ConfigRule", "AWS::Config::RemediationConfiguration"), types);
  }

  @Test
  void pack_size_fitsTemplateBody() throws IOException {
    long bytes = Files.size(pack.path());

    assertTrue(bytes <= MAX_TEMPLATE_BODY_BYTES, bytes + " bytes");
  }

  @Test
  void pack_parameters_allHaveType() {
    pack.root()
        .path("Parameters")
        .fields()
        .forEachRemaining(
            p -> assertEquals("String", p.getValue().path("Type").asText(), p.getKey()));
  }

  @Test
  void ruleSource_packAndStack_customLambdaWithChangeAndPeriodicTriggers() {
    for (JsonNode rule : List.of(packRule(), stackRule())) {
      JsonNode source = rule.path("Source");
      assertEquals("CUSTOM_LAMBDA", source.path("Owner").asText());
      assertEquals(
          List.of(
              "ConfigurationItemChangeNotification",
              "OversizedConfigurationItemChangeNotification",
              "ScheduledNotification"),
          source.path("SourceDetails").findValuesAsText("MessageType"));
      source
          .path("SourceDetails")
          .forEach(d -> assertEquals("aws.config", d.path("EventSource").asText()));
      assertTrue(source.path("SourceDetails").get(2).has("MaximumExecutionFrequency"));
      assertEquals("AWS::KMS::Key", rule.at("/Scope/ComplianceResourceTypes/0").asText());
      assertEquals(1, rule.at("/Scope/ComplianceResourceTypes").size());
    }
  }

  @Test
  void inputParameters_packAndStack_onlyParametersTheHandlerKnows() {
    for (JsonNode rule : List.of(packRule(), stackRule())) {
      List<String> names = new ArrayList<>();
      rule.path("InputParameters").fieldNames().forEachRemaining(names::add);

      assertEquals(RULE_PARAMETERS, Set.copyOf(names));
    }
  }

  @Test
  void remediation_packAndStack_sameShape() {
    JsonNode packRemediation = pack.properties("ReplicaKeyPolicyRemediation");
    JsonNode stackRemediation = stack.properties("ReplicaKeyPolicyRemediation");

    for (String field : List.of("TargetType", "ResourceType", "ExecutionControls")) {
      assertEquals(packRemediation.path(field), stackRemediation.path(field), field);
    }
    assertEquals(
        shape(packRemediation.path("Parameters")), shape(stackRemediation.path("Parameters")));
    assertEquals("MrkPolicyGuard-AlignReplicaKeyPolicy", packRemediation.path("TargetId").asText());
    assertEquals(CfnTemplate.ref("AlignDocument"), stackRemediation.path("TargetId"));
  }

  @Test
  void remediation_pack_automaticOnlyWhenAsked() {
    JsonNode remediation = pack.properties("ReplicaKeyPolicyRemediation");

    assertEquals(CfnTemplate.ref("AutomaticRemediation"), remediation.path("Automatic"));
    assertEquals("false", pack.root().at("/Parameters/AutomaticRemediation/Default").asText());
    assertEquals(
        "AUTOMATION_ROLE_ARN",
        remediation.at("/Parameters/AutomationAssumeRole/StaticValue/Values/0").asText());
  }

  @Test
  void functionDefaults_pack_nameTheStacksAliases() {
    String ruleDefault =
        pack.properties("ReplicaKeyPolicyRule")
            .at("/Source/SourceIdentifier/Fn::If/2/Fn::Sub")
            .asText();
    String remediationDefault =
        pack.root().at("/Parameters/RemediationFunctionName/Default").asText();

    assertTrue(
        ruleDefault.endsWith(
            ":function:" + functionName("RuleFunction") + ":" + aliasName("RuleAlias")),
        ruleDefault);
    assertEquals(
        functionName("RemediationFunction") + ":" + aliasName("RemediationAlias"),
        remediationDefault);
  }

  @Test
  void ruleName_packAndStackDefault_same() {
    assertEquals(
        pack.properties("ReplicaKeyPolicyRule").path("ConfigRuleName").asText(),
        stack.root().at("/Parameters/ConfigRuleName/Default").asText());
  }

  private JsonNode packRule() {
    return pack.properties("ReplicaKeyPolicyRule");
  }

  private JsonNode stackRule() {
    return stack.properties("ReplicaKeyPolicyRule");
  }

  private String functionName(String logicalId) {
    return stack.properties(logicalId).path("FunctionName").asText();
  }

  private String aliasName(String logicalId) {
    return stack.properties(logicalId).path("Name").asText();
  }

  /** Parameter name to its kind (ResourceValue value, or StaticValue with its number of values). */
  static Set<String> shape(JsonNode remediationParameters) {
    Set<String> shape = new TreeSet<>();
    remediationParameters
        .fields()
        .forEachRemaining(
            p -> {
              JsonNode value = p.getValue();
              shape.add(
                  p.getKey()
                      + (value.has("ResourceValue")
                          ? "=ResourceValue:" + value.at("/ResourceValue/Value").asText()
                          : "=StaticValue[" + value.at("/StaticValue/Values").size() + "]"));
            });
    return shape;
  }
}
