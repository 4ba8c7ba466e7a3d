package dev.mrkpolicyguard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * organization.yaml passes parameters its nested templates accept (neither CloudFormation nor
 * cfn-lint can see across templates until deployment).
 */
class OrganizationTemplateTest {
  private final CfnTemplate organization = CfnTemplate.load("cloudformation/organization.yaml");

  @ParameterizedTest
  @CsvSource({
    "GuardStackSet, cloudformation/mrk-policy-guard.yaml",
    "MemberRoleStackSet, cloudformation/member-role.yaml"
  })
  void stackSet_organization_serviceManagedAutoDeployedWithKnownParameters(
      String stackSet, String targetFile) {
    JsonNode properties = organization.properties(stackSet);
    assertEquals("SERVICE_MANAGED", properties.path("PermissionModel").asText());
    assertTrue(properties.at("/AutoDeployment/Enabled").asBoolean());
    assertEquals("CAPABILITY_NAMED_IAM", properties.at("/Capabilities/0").asText());
    assertEquals(CfnTemplate.ref("StackTemplateURL"), properties.path("TemplateURL"));

    Set<String> passed =
        new TreeSet<>(properties.path("Parameters").findValuesAsText("ParameterKey"));
    JsonNode target = CfnTemplate.load(targetFile).root().path("Parameters");

    passed.forEach(name -> assertTrue(target.has(name), targetFile + " has no parameter " + name));
    target
        .fields()
        .forEachRemaining(
            p ->
                assertTrue(
                    p.getValue().has("Default") || passed.contains(p.getKey()),
                    stackSet + " does not pass required " + p.getKey()));
  }

  @ParameterizedTest
  @CsvSource({
    "OrganizationPack, conformance-pack/mrk-policy-guard-pack.yaml",
    "OrganizationDetectionPack, conformance-pack/mrk-policy-guard-detection-pack.yaml"
  })
  void organizationPack_inputParameters_declaredByThePackAndRequiredOnesGiven(
      String logicalId, String packFile) {
    JsonNode pack = CfnTemplate.load(packFile).root().path("Parameters");
    List<String> passed =
        organization
            .properties(logicalId)
            .path("ConformancePackInputParameters")
            .findValuesAsText("ParameterName");

    passed.forEach(name -> assertTrue(pack.has(name), packFile + " has no parameter " + name));
    pack.fields()
        .forEachRemaining(
            p ->
                assertTrue(
                    p.getValue().has("Default") || passed.contains(p.getKey()),
                    "required pack parameter " + p.getKey() + " is not passed"));
  }

  @Test
  void deliveryBucket_organization_mustStartWithAwsconfigconforms() {
    assertEquals(
        "^(awsconfigconforms[a-z0-9.-]*)?$",
        organization.root().at("/Parameters/DeliveryS3Bucket/AllowedPattern").asText());
  }
}
