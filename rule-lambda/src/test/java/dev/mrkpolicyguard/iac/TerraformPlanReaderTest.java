package dev.mrkpolicyguard.iac;

import static dev.mrkpolicyguard.iac.CheckIacRun.TF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Terraform plans: regions from providers, pairing through the configuration. */
class TerraformPlanReaderTest {
  /** A primary in the root module, a replica in module "dr" given the ARN through a variable. */
  private static final String MODULE_PLAN =
      """
      {"format_version": "1.2",
       "resource_changes": [
        {"address": "aws_kms_key.main", "mode": "managed", "type": "aws_kms_key", "name": "main",
         "change": {"actions": ["create"], "after": {"multi_region": true, "policy": "{}"},
                    "after_unknown": {"arn": true}}},
        {"address": "module.dr.aws_kms_replica_key.this", "module_address": "module.dr",
         "mode": "managed", "type": "aws_kms_replica_key", "name": "this",
         "change": {"actions": ["create"], "after": {"region": "ap-southeast-2"},
                    "after_unknown": {"arn": true, "primary_key_arn": true, "policy": true}}},
        {"address": "aws_kms_key_policy.main", "mode": "managed", "type": "aws_kms_key_policy",
         "name": "main",
         "change": {"actions": ["create"], "after": {"policy": "{\\"Statement\\": []}"},
                    "after_unknown": {"key_id": true}}}],
       "configuration": {
        "provider_config": {"aws": {"name": "aws", "expressions": {}}},
        "root_module": {
         "resources": [
          {"address": "aws_kms_key.main", "mode": "managed", "type": "aws_kms_key", "name": "main",
           "provider_config_key": "aws",
           "expressions": {"multi_region": {"constant_value": true}, "policy": {"constant_value": "{}"}}},
          {"address": "aws_kms_key_policy.main", "mode": "managed", "type": "aws_kms_key_policy",
           "name": "main", "provider_config_key": "aws",
           "expressions": {"key_id": {"references": ["aws_kms_key.main.id", "aws_kms_key.main"]},
                           "policy": {"constant_value": "{}"}}}],
         "module_calls": {"dr": {"expressions": {"primary_arn": {"references": ["aws_kms_key.main.arn", "aws_kms_key.main"]}},
          "module": {"resources": [
           {"address": "aws_kms_replica_key.this", "mode": "managed", "type": "aws_kms_replica_key",
            "name": "this", "provider_config_key": "aws",
            "expressions": {"primary_key_arn": {"references": ["var.primary_arn"]}}}]}}}}}}
      """;

  private static List<IacResource> read(String text, String defaultRegion) {
    InputRead read = new IacInputs(Map.of(), defaultRegion, null).read("plan.json", text, null);
    return ((InputRead.Read) read).resources();
  }

  @Test
  void read_replicaInModule_isPairedThroughTheModuleVariable() {
    IacResource replica = read(MODULE_PLAN, "us-east-1").get(1);

    assertEquals(new PrimaryLink.InInputs("plan.json#aws_kms_key.main"), replica.primary());
  }

  @Test
  void read_resourceRegionArgument_winsOverTheProvider() {
    assertEquals("ap-southeast-2", read(MODULE_PLAN, "us-east-1").get(1).region());
  }

  @Test
  void read_providerWithoutRegion_takesTheDefaultRegion() {
    assertEquals("us-east-1", read(MODULE_PLAN, "us-east-1").get(0).region());
  }

  @Test
  void read_separateKeyPolicyResource_isTheKeysPolicy() {
    assertEquals(
        new PlannedPolicy.Given("{\"Statement\": []}"), read(MODULE_PLAN, null).get(0).policy());
  }

  @Test
  void read_replicaWithoutPolicyArgument_getsTheDefaultPolicy() {
    assertInstanceOf(PlannedPolicy.KmsDefault.class, read(MODULE_PLAN, null).get(1).policy());
  }

  @Test
  void read_examplePlan_takesRegionsFromProviderVariablesAndAccountFromCallerIdentity()
      throws Exception {
    List<IacResource> resources = read(Files.readString(Path.of(TF + "aligned.plan.json")), null);

    assertEquals("us-east-1", resources.get(0).region());
    assertEquals("eu-west-1", resources.get(1).region());
    assertEquals("111122223333", resources.get(1).accountId());
  }

  @Test
  void read_unsupportedFormatVersion_isInvalid() {
    InputRead read =
        new IacInputs(Map.of(), null, null)
            .read("plan.json", "{\"format_version\": \"2.0\", \"resource_changes\": []}", null);

    assertInstanceOf(InputRead.Invalid.class, read);
  }
}
