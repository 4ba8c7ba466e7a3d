package dev.mrkpolicyguard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.localaws.lambda.LambdaService;
import dev.mrkpolicyguard.reconcile.PermissionPlan;
import dev.mrkpolicyguard.reconcile.PermissionPlanTestAccess;
import dev.mrkpolicyguard.reconcile.ReconcileLog;
import dev.mrkpolicyguard.reconcile.ReconcileReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The documented AWS deployment rules the templates rely on, which neither cfn-lint nor the local
 * stand-in can show. Each test names its rule and source; docs/deploy.md cites them too.
 */
class DeploymentRulesTest {
  static final String DETECTION_PACK_FILE = "conformance-pack/mrk-policy-guard-detection-pack.yaml";

  /**
   * GetComplianceDetailsByConfigRule and DeleteEvaluationResults take a ConfigRuleName of at most
   * 64 characters (Config API reference, StringWithCharLimit64), though PutConfigRule takes 128.
   */
  static final int RULE_NAME_LIMIT = 64;

  /** A pack's rule is named NAME-conformance-pack-ID with a 9-character ID (docs/deploy.md). */
  static final int PACK_SUFFIX = "-conformance-pack-".length() + 9;

  /** PutConformancePack: at most 60 input parameters, values up to 4096 characters. */
  static final int MAX_PACK_PARAMETERS = 60;

  static final int MAX_PACK_PARAMETER_VALUE = 4096;

  private final CfnTemplate stack = CfnTemplate.load(LambdaWiringTest.STACK_FILE);
  private final CfnTemplate organization = CfnTemplate.load("cloudformation/organization.yaml");
  private final CfnTemplate pack = CfnTemplate.load(ConformancePackTest.PACK_FILE);
  private final CfnTemplate detectionPack = CfnTemplate.load(DETECTION_PACK_FILE);

  /**
   * "StackSets doesn't deploy stack instances to the organization management account, even if the
   * organization management account is in your organization or in an OU in your organization"
   * (CloudFormation API reference, DeploymentTargets), while an organization conformance pack goes
   * to every account but its ExcludedAccounts (PutOrganizationConformancePack): both packs always
   * exclude the management account.
   */
  @ParameterizedTest
  @ValueSource(strings = {"OrganizationPack", "OrganizationDetectionPack"})
  void organizationPack_excludedAccounts_alwaysTheManagementAccount(String logicalId) {
    JsonNode choice = organization.properties(logicalId).at("/ExcludedAccounts/Fn::If");

    assertEquals("HasExcludedAccounts", choice.path(0).asText());
    JsonNode joined = choice.at("/1/Fn::Split/1/Fn::Join/1");
    assertEquals(CfnTemplate.ref("ManagementAccountId"), joined.path(0));
    assertEquals(CfnTemplate.ref("ExcludedAccounts"), joined.at("/1/Fn::Join/1"));
    assertEquals(CfnTemplate.ref("ManagementAccountId"), choice.at("/2/0"));
  }

  /**
   * An organization pack cannot be aimed at OUs (PutOrganizationConformancePack has only
   * ExcludedAccounts): each StackSet targets the root less the same ExcludedAccounts
   * (AccountFilterType DIFFERENCE), so that the stacks are exactly where the pack is.
   */
  @ParameterizedTest
  @ValueSource(strings = {"GuardStackSet", "MemberRoleStackSet"})
  void stackSet_deploymentTargets_rootLessThePacksExcludedAccounts(String logicalId) {
    JsonNode groups = organization.properties(logicalId).path("StackInstancesGroup");
    assertEquals(1, groups.size());
    JsonNode choice = groups.at("/0/DeploymentTargets/Fn::If");

    assertEquals("HasExcludedAccounts", choice.path(0).asText());
    JsonNode root = CfnTemplate.ref("OrganizationRootId");
    assertEquals(root, choice.at("/1/OrganizationalUnitIds/0"));
    assertEquals(1, choice.at("/1/OrganizationalUnitIds").size());
    assertEquals("DIFFERENCE", choice.at("/1/AccountFilterType").asText());
    assertEquals(CfnTemplate.ref("ExcludedAccounts"), choice.at("/1/Accounts"));
    assertEquals(root, choice.at("/2/OrganizationalUnitIds/0"));
    assertTrue(choice.at("/2/Accounts").isMissingNode());
    assertEquals(
        "^r-[0-9a-z]{4,32}$",
        organization.root().at("/Parameters/OrganizationRootId/AllowedPattern").asText());
  }

  /**
   * "The target (SSM document) must exist" (PutRemediationConfigurations): in the central layout
   * member accounts have no document, so their pack is the detection-only one, and the two
   * organization packs never exist together.
   */
  @Test
  void centralLayout_organizationPack_detectionOnly() {
    assertEquals(
        "CreateCentralPack",
        organization.resource("OrganizationDetectionPack").path("Condition").asText());
    assertEquals(
        "CreatePerAccountPack",
        organization.resource("OrganizationPack").path("Condition").asText());
    for (String layout : List.of("PerAccount", "Central")) {
      Conditions conditions =
          new Conditions(
              organization, "us-east-1", Map.of("Layout", layout, "DeployConformancePack", "true"));
      assertEquals(layout.equals("PerAccount"), conditions.holds("CreatePerAccountPack"), layout);
      assertEquals(layout.equals("Central"), conditions.holds("CreateCentralPack"), layout);
    }
    List<String> types = new ArrayList<>();
    detectionPack.root().path("Resources").forEach(r -> types.add(r.path("Type").asText()));
    assertEquals(List.of("AWS::Config::ConfigRule"), types);
    assertFalse(
        organization
            .properties("OrganizationDetectionPack")
            .path("ConformancePackInputParameters")
            .findValuesAsText("ParameterName")
            .contains("AutomaticRemediation"));
  }

  @Test
  void detectionPack_rule_sameAsTheRemediationPacksRule() {
    assertEquals(
        pack.resource("ReplicaKeyPolicyRule"), detectionPack.resource("ReplicaKeyPolicyRule"));
    assertEquals(pack.root().path("Conditions"), detectionPack.root().path("Conditions"));
    detectionPack
        .root()
        .path("Parameters")
        .fields()
        .forEachRemaining(
            p ->
                assertEquals(
                    pack.root().at("/Parameters/" + p.getKey()), p.getValue(), p.getKey()));
  }

  /**
   * "AWS Config does not support AWS CloudFormation intrinsic functions for the automation
   * execution role. You must provide the exact ARN of the role as a string" (Config developer
   * guide, conformance pack prerequisites): the pack holds one literal placeholder that
   * render-pack.sh replaces with an ARN the align document accepts.
   */
  @Test
  void automationRole_renderedPack_literalArnTheDocumentAccepts() throws Exception {
    JsonNode role =
        pack.properties("ReplicaKeyPolicyRemediation")
            .at("/Parameters/AutomationAssumeRole/StaticValue/Values");
    assertEquals(1, role.size());
    assertTrue(role.get(0).isTextual(), "an intrinsic function: " + role);

    Result rendered = render("123456789012", "eu-west-1");

    assertEquals(0, rendered.exit(), rendered.err());
    assertFalse(rendered.out().contains("AUTOMATION_ROLE_ARN"));
    Path file = Files.createTempFile("pack", ".yaml");
    try {
      Files.writeString(file, rendered.out());
      String arn =
          CfnTemplate.load(file)
              .properties("ReplicaKeyPolicyRemediation")
              .at("/Parameters/AutomationAssumeRole/StaticValue/Values/0")
              .asText();
      assertEquals("arn:aws:iam::123456789012:role/mrk-policy-guard-automation-eu-west-1", arn);
      String allowed =
          CfnTemplate.load("cloudformation/documents/align-replica-key-policy.yaml")
              .root()
              .at("/parameters/AutomationAssumeRole/allowedPattern")
              .asText();
      assertTrue(Pattern.compile(allowed).matcher(arn).find(), arn + " vs " + allowed);
      assertEquals(
          stack.properties("AutomationRole").at("/RoleName/Fn::Sub").asText(),
          "mrk-policy-guard-automation-${AWS::Region}");
    } finally {
      Files.delete(file);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "12345, us-east-1, ACCOUNT_ID",
    "123456789012, nowhere, REGION",
    "123456789012, us-gov-west-1, detection-pack"
  })
  void renderPack_badInput_exitTwoWithOneLine(String account, String region, String says)
      throws Exception {
    Result rendered =
        region.startsWith("us-gov")
            ? render(account, region, "aws-us-gov")
            : render(account, region);

    assertEquals(2, rendered.exit());
    assertEquals("", rendered.out());
    assertEquals(1, rendered.err().strip().lines().count(), rendered.err());
    assertTrue(rendered.err().contains(says), rendered.err());
  }

  /**
   * Lambda permissions for a service principal are limited with SourceAccount or SourceArn ("If you
   * grant permission to a service principal without specifying the source, other accounts could
   * potentially configure resources in their account to invoke your Lambda function", Lambda
   * AddPermission); PrincipalOrgID only works with an account principal or "*", which we never use.
   * A permission with a qualifier covers only invocations of that alias's ARN, which is what the
   * pack's SourceIdentifier names.
   */
  @Test
  void lambdaPermissions_everyTemplate_aliasOnlyWithSourceAccountNoWildcard() {
    int config = 0;
    for (CfnTemplate template : allTemplates()) {
      for (String id : template.idsOfType("AWS::Lambda::Permission")) {
        JsonNode permission = template.properties(id);
        String where = template.path().getFileName() + "/" + id;
        assertFalse(permission.path("Principal").asText().contains("*"), where);
        assertTrue(permission.path("PrincipalOrgID").isMissingNode(), where);
        // A service principal always with its source: the account, and the rule where there is one.
        assertEquals(CfnTemplate.ref("AWS::AccountId"), permission.path("SourceAccount"), where);
        if (permission.path("Principal").asText().equals("events.amazonaws.com")) {
          assertTrue(permission.path("SourceArn").has("Fn::GetAtt"), where);
        }
        if (permission.path("Principal").asText().equals("config.amazonaws.com")) {
          config++;
          assertEquals(CfnTemplate.ref("AWS::AccountId"), permission.path("SourceAccount"), where);
          assertEquals(CfnTemplate.ref("RuleAlias"), permission.path("FunctionName"), where);
        }
      }
    }
    assertEquals(1, config);
    assertTrue(
        pack.properties("ReplicaKeyPolicyRule")
            .at("/Source/SourceIdentifier/Fn::If/2/Fn::Sub")
            .asText()
            .endsWith(":function:mrk-policy-guard-rule:live"));
  }

  /** PutConformancePack: at most 60 input parameters, each value at most 4096 characters. */
  @Test
  void packParameters_bothPacksAndTheOrganizationsInputs_withinConfigsLimits() {
    for (CfnTemplate template : List.of(pack, detectionPack)) {
      JsonNode parameters = template.root().path("Parameters");
      assertTrue(parameters.size() <= MAX_PACK_PARAMETERS, template.path().toString());
      parameters.forEach(
          p ->
              assertTrue(
                  p.path("Default").asText().length() <= MAX_PACK_PARAMETER_VALUE, p.toString()));
    }
    for (String id : List.of("OrganizationPack", "OrganizationDetectionPack")) {
      assertTrue(
          organization.properties(id).path("ConformancePackInputParameters").size()
              <= MAX_PACK_PARAMETERS);
    }
  }

  /**
   * Every name the function is called with fits GetComplianceDetailsByConfigRule's 64 characters:
   * the pack's rule with the suffix Config adds, and any name the stack's ConfigRuleName allows
   * (used as is by DeployRule and, suffixed, to find a pack's copy).
   */
  @Test
  void ruleNames_packAndStack_withinEveryApisLimit() {
    String packName = pack.properties("ReplicaKeyPolicyRule").path("ConfigRuleName").asText();
    assertTrue(packName.length() + PACK_SUFFIX <= RULE_NAME_LIMIT, packName);
    assertEquals(
        packName, detectionPack.properties("ReplicaKeyPolicyRule").path("ConfigRuleName").asText());

    String pattern = stack.root().at("/Parameters/ConfigRuleName/AllowedPattern").asText();
    Matcher max = Pattern.compile("\\{1,(\\d+)}\\$$").matcher(pattern);
    assertTrue(max.find(), pattern);
    int longest = Integer.parseInt(max.group(1));
    assertTrue(longest + PACK_SUFFIX <= RULE_NAME_LIMIT, pattern);
    assertTrue("x".repeat(longest).matches(pattern.substring(1, pattern.length() - 1)));
    assertFalse("x".repeat(longest + 1).matches(pattern.substring(1, pattern.length() - 1)));
  }

  /**
   * "Lambda SnapStart is available in all commercial Regions except Asia Pacific (New Zealand) and
   * Asia Pacific (Taipei)" (Lambda developer guide, SnapStart), and not in AWS GovCloud (US) or
   * China (cfn-lint E2530's Regions): SnapStart only where SnapStartAvailable holds.
   */
  @ParameterizedTest
  @CsvSource({
    "us-east-1, true",
    "eu-west-1, true",
    "ap-southeast-2, true",
    "us-gov-west-1, false",
    "us-gov-east-1, false",
    "cn-north-1, false",
    "cn-northwest-1, false",
    "ap-southeast-6, false",
    "ap-east-2, false"
  })
  void snapStart_stack_onlyInRegionsThatHaveIt(String region, boolean available) {
    assertEquals(
        available, new Conditions(stack, region, Map.of()).holds("SnapStartAvailable"), region);
    for (String id : stack.idsOfType("AWS::Lambda::Function")) {
      JsonNode snapStart = stack.properties(id).path("SnapStart");
      if (!snapStart.isMissingNode()) {
        assertEquals("SnapStartAvailable", snapStart.at("/Fn::If/0").asText(), id);
      }
    }
  }

  /**
   * AWS::Config::RemediationConfiguration is not a resource type in AWS GovCloud (US), and
   * AWS::CloudFormation::LambdaHook not there nor in China (CloudFormation resource registry, as
   * cfn-lint ships it): the stack creates them only where they exist.
   */
  @ParameterizedTest
  @CsvSource({
    "us-east-1, true, true",
    "cn-north-1, true, false",
    "us-gov-west-1, false, false",
    "us-gov-east-1, false, false",
    "cn-northwest-1, true, false"
  })
  void regionalResources_stack_onlyWhereTheTypeExists(
      String region, boolean remediation, boolean hook) {
    Conditions conditions =
        new Conditions(stack, region, Map.of("DeployRule", "true", "DeployHook", "true"));

    assertEquals(
        "CreateRuleRemediation",
        stack.resource("ReplicaKeyPolicyRemediation").path("Condition").asText());
    assertEquals(remediation, conditions.holds("CreateRuleRemediation"));
    assertEquals("CreateHook", stack.resource("KeyPolicyHook").path("Condition").asText());
    assertEquals(hook, conditions.holds("CreateHook"));
  }

  /**
   * "SnapStartNotReadyException … Wait until … Active, and then invoke it again" (Lambda developer
   * guide, SnapStart troubleshooting), and an aws:invokeLambdaFunction step runs once unless
   * maxAttempts says otherwise (Systems Manager Automation, step properties): each invoke step is
   * retried, and the remediation function has no SnapStart.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "cloudformation/documents/align-replica-key-policy.yaml",
        "cloudformation/documents/restore-replica-key-policy.yaml"
      })
  void invokeStep_documents_retried(String file) {
    int invokes = 0;
    for (JsonNode step : CfnTemplate.load(file).root().path("mainSteps")) {
      if (step.path("action").asText().equals("aws:invokeLambdaFunction")) {
        invokes++;
        assertTrue(step.path("maxAttempts").asInt() >= 2, step.path("name").asText());
        assertTrue(step.path("timeoutSeconds").asInt() >= 120, step.path("name").asText());
      }
    }
    assertEquals(1, invokes);
    assertTrue(stack.properties("RemediationFunction").path("SnapStart").isMissingNode());
  }

  /**
   * A conformance pack names its rule NAME-conformance-pack-ID (docs/deploy.md), so no alarm may
   * watch a metric by the rule's name: the custom metrics' alarms use the fixed Component dimension
   * the functions publish (RunLog, RemediationHandler, TriggerLog), and every alarm notifies the
   * optional topic.
   */
  @ParameterizedTest
  @CsvSource({
    "RuleErrorsAlarm, Errors, Rule",
    "RemediationFailuresAlarm, RemediationFailures, Remediation",
    "RemediationSpikeAlarm, Remediations, Remediation",
    "TriggerFailuresAlarm, Failures, Trigger",
    "ReconcileLeftOutAlarm, AccountsLeftOut, Reconcile",
    "ReconcileErrorsAlarm, Errors, Reconcile",
    "ReconcilePackFailedAlarm, PackFailedAccounts, Reconcile"
  })
  void customMetricAlarm_stack_watchesTheFixedComponentDimension(
      String alarm, String metric, String component) {
    JsonNode properties = stack.properties(alarm);

    assertEquals("MrkPolicyGuard", properties.path("Namespace").asText());
    assertEquals(metric, properties.path("MetricName").asText());
    assertEquals(1, properties.path("Dimensions").size());
    assertEquals("Component", properties.at("/Dimensions/0/Name").asText());
    assertEquals(component, properties.at("/Dimensions/0/Value").asText());
  }

  @Test
  void alarms_stack_noRuleNameDimensionAndAllNotifyTheTopic() {
    List<String> alarms = stack.idsOfType("AWS::CloudWatch::Alarm");
    assertTrue(alarms.size() >= 7, alarms.toString());
    for (String id : alarms) {
      JsonNode properties = stack.properties(id);
      properties
          .path("Dimensions")
          .forEach(d -> assertFalse(d.path("Name").asText().equals("ConfigRuleName"), id));
      assertEquals("HasAlarmTopic", properties.at("/AlarmActions/Fn::If/0").asText(), id);
    }
    assertEquals(
        CfnTemplate.ref("RemediationSpikeThreshold"),
        stack.properties("RemediationSpikeAlarm").path("Threshold"));
  }

  /** The metrics the reconcile's alarms watch are the ones its log line publishes. */
  @Test
  void reconcileAlarms_stack_watchMetricsTheReconcilePublishes() {
    ObjectNode line =
        ReconcileLog.line(
            new ReconcileReport(
                0, List.of(), List.of(), List.of(), List.of(), List.of(), 0, List.of(), ""),
            "r",
            "arn:aws:lambda:eu-west-1:111122223333:function:mrk-policy-guard-rule:live",
            Map.of(),
            0,
            java.time.Instant.EPOCH);
    List<String> published = line.at("/_aws/CloudWatchMetrics/0/Metrics").findValuesAsText("Name");
    assertEquals(ReconcileLog.COMPONENT, line.path("Component").asText());

    for (String alarm :
        List.of("ReconcileLeftOutAlarm", "ReconcileErrorsAlarm", "ReconcilePackFailedAlarm")) {
      String metric = stack.properties(alarm).path("MetricName").asText();
      assertTrue(published.contains(metric), alarm + " watches " + metric + ", not published");
    }
  }

  /**
   * Lambda quotas: "Function resource-based policy: 20 KB" (not adjustable;
   * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html), and AddPermission
   * answers PolicyLengthExceededException past it. Each member account's Config needs its own
   * SourceAccount statement, so the reconcile plans within 20 KB and the stand-in refuses past it.
   */
  @Test
  void reconcile_resourcePolicyLimit_twentyKilobytes() {
    assertEquals(20 * 1024, PermissionPlan.POLICY_LIMIT_BYTES);
    assertEquals(20 * 1024, LambdaService.MAX_POLICY_BYTES);
    int one =
        PermissionPlanTestAccess.statementBytes(
            "444455556666",
            "arn:aws:lambda:eu-west-1:111122223333:function:mrk-policy-guard-rule:live");
    // About a hundred accounts fit (docs/deploy.md says so); more need the per-account layout.
    assertTrue(PermissionPlan.POLICY_LIMIT_BYTES / (one + 1) >= 70, String.valueOf(one));
  }

  /**
   * "The name of the S3 bucket where this command uploads your CloudFormation template. This is
   * required the deployments of templates sized greater than 51,200 bytes" (AWS CLI, cloudformation
   * deploy --s3-bucket): every documented deploy of a template over that size names a bucket.
   */
  @Test
  void documentedDeploys_templateOver51200Bytes_passS3Bucket() throws IOException {
    Path root = CfnTemplate.repoRoot();
    int checked = 0;
    for (String doc : List.of("README.md", "docs/deploy.md")) {
      String text = Files.readString(root.resolve(doc)).replace("\\\n", " ");
      Matcher m =
          Pattern.compile("aws cloudformation deploy[^\\n]*--template-file (\\S+)[^\\n]*")
              .matcher(text);
      while (m.find()) {
        long bytes = Files.size(root.resolve(m.group(1)));
        if (bytes > 51_200) {
          checked++;
          assertTrue(
              m.group().contains("--s3-bucket "),
              doc + ": " + m.group(1) + " is " + bytes + " bytes: " + m.group());
        }
      }
    }
    assertTrue(checked >= 2, "the README's and the central layout's stack deploys");
  }

  private static List<CfnTemplate> allTemplates() {
    Path root = CfnTemplate.repoRoot();
    try (Stream<Path> files =
        Stream.concat(
            Files.list(root.resolve("cloudformation")),
            Files.list(root.resolve("conformance-pack")))) {
      return files
          .filter(p -> p.toString().endsWith(".yaml"))
          .sorted()
          .map(CfnTemplate::load)
          .toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private record Result(int exit, String out, String err) {}

  private static Result render(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(CfnTemplate.repoRoot().resolve("conformance-pack/render-pack.sh").toString());
    command.addAll(List.of(args));
    Path err = Files.createTempFile("render", ".err");
    try {
      Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(process.waitFor(30, TimeUnit.SECONDS));
      return new Result(process.exitValue(), out, Files.readString(err));
    } finally {
      Files.delete(err);
    }
  }
}
