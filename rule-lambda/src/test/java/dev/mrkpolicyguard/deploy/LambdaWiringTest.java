package dev.mrkpolicyguard.deploy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The stack's functions: handlers that exist in the jar, and SnapStart wiring that holds together
 * (Config and SSM call an alias, the alias points at a published version of a SnapStart function).
 */
class LambdaWiringTest {
  static final String STACK_FILE = "cloudformation/mrk-policy-guard.yaml";
  static final String RULE_HANDLER = "dev.mrkpolicyguard.rule.ConfigRuleHandler";
  static final String REMEDIATION_HANDLER = "dev.mrkpolicyguard.remediation.RemediationHandler";
  static final String TRIGGER_HANDLER = "dev.mrkpolicyguard.trigger.lambda.TriggerHandler";
  static final String RECONCILE_HANDLER = "dev.mrkpolicyguard.reconcile.ReconcileHandler";

  private final CfnTemplate stack = CfnTemplate.load(STACK_FILE);

  @Test
  void functions_stack_ruleRemediationAndHook() {
    assertEquals(
        List.of(
            "RuleFunction",
            "RemediationFunction",
            "HookFunction",
            "TriggerFunction",
            "ReconcileFunction"),
        stack.idsOfType("AWS::Lambda::Function"));
  }

  /**
   * The reconcile: central layout only, its own jar, no SnapStart (it runs on a schedule), the rule
   * alias it keeps in step, and a schedule that invokes it with a permission limited to that rule.
   */
  @Test
  void reconcile_stack_centralLayoutOnlyScheduledOnTheRuleAlias() throws ClassNotFoundException {
    for (String id :
        List.of(
            "ReconcileLogGroup",
            "ReconcileRole",
            "ReconcileFunction",
            "ReconcileScheduleRule",
            "ReconcileSchedulePermission",
            "ReconcileLeftOutAlarm",
            "ReconcileErrorsAlarm")) {
      assertEquals("UseExecutionRole", stack.resource(id).path("Condition").asText(), id);
    }
    assertEquals(
        "CheckOrganizationPack",
        stack.resource("ReconcilePackFailedAlarm").path("Condition").asText());
    JsonNode properties = stack.properties("ReconcileFunction");
    assertEquals(RECONCILE_HANDLER + "::handleRequest", properties.path("Handler").asText());
    assertTrue(RequestStreamHandler.class.isAssignableFrom(Class.forName(RECONCILE_HANDLER)));
    assertEquals("java21", properties.path("Runtime").asText());
    assertTrue(properties.path("SnapStart").isMissingNode());
    assertEquals("JSON", properties.at("/LoggingConfig/LogFormat").asText());
    assertEquals(CfnTemplate.ref("ReconcileLogGroup"), properties.at("/LoggingConfig/LogGroup"));
    assertEquals(
        "${CodeKey}/reconcile-function.jar", properties.at("/Code/S3Key/Fn::Sub").asText());
    assertEquals(
        CfnTemplate.ref("RuleAlias"), properties.at("/Environment/Variables/RULE_ALIAS_ARN"));

    JsonNode rule = stack.properties("ReconcileScheduleRule");
    assertEquals(CfnTemplate.ref("ReconcileSchedule"), rule.path("ScheduleExpression"));
    assertEquals(CfnTemplate.getAtt("ReconcileFunction", "Arn"), rule.at("/Targets/0/Arn"));
    JsonNode permission = stack.properties("ReconcileSchedulePermission");
    assertEquals(CfnTemplate.ref("ReconcileFunction"), permission.path("FunctionName"));
    assertEquals("events.amazonaws.com", permission.path("Principal").asText());
    assertEquals(CfnTemplate.getAtt("ReconcileScheduleRule", "Arn"), permission.path("SourceArn"));
    assertEquals(CfnTemplate.ref("AWS::AccountId"), permission.path("SourceAccount"));
  }

  @Test
  void ruleHandler_stack_isARequestStreamHandlerInTheJar() throws ClassNotFoundException {
    assertEquals(
        RULE_HANDLER + "::handleRequest",
        stack.properties("RuleFunction").path("Handler").asText());

    Class<?> handler = Class.forName(RULE_HANDLER);

    assertTrue(RequestStreamHandler.class.isAssignableFrom(handler));
  }

  @Test
  void remediationHandler_stack_hasHandleRequestInTheJar() {
    assertEquals(
        REMEDIATION_HANDLER + "::handleRequest",
        stack.properties("RemediationFunction").path("Handler").asText());
    assertTrue(isOnClasspath(REMEDIATION_HANDLER), REMEDIATION_HANDLER + " is not in the jar");

    Class<?> handler = assertDoesNotThrow(() -> Class.forName(REMEDIATION_HANDLER));

    assertTrue(
        Arrays.stream(handler.getMethods()).map(Method::getName).anyMatch("handleRequest"::equals));
  }

  @ParameterizedTest
  @CsvSource({
    "RuleFunction, RuleVersion, RuleAlias, RuleLogGroup, 1024, 900, true, rule",
    "RemediationFunction, RemediationVersion, RemediationAlias, RemediationLogGroup, 512, 120, false,"
        + " remediation",
    "HookFunction, HookVersion, HookAlias, HookLogGroup, 1024, 30, true, hook",
    "TriggerFunction, TriggerVersion, TriggerAlias, TriggerLogGroup, 512, 60, true, trigger"
  })
  void function_stack_snapStartVersionAliasAndJsonLogs(
      String function,
      String version,
      String alias,
      String logGroup,
      int memory,
      int timeout,
      boolean snapStart,
      String jar) {
    JsonNode properties = stack.properties(function);
    assertEquals("java21", properties.path("Runtime").asText());
    if (snapStart) {
      // Only where SnapStart exists (DeploymentRulesTest checks the condition's Regions).
      JsonNode choice = properties.at("/SnapStart/Fn::If");
      assertEquals("SnapStartAvailable", choice.path(0).asText());
      assertEquals("PublishedVersions", choice.at("/1/ApplyOn").asText());
      assertEquals(CfnTemplate.ref("AWS::NoValue"), choice.path(2));
    } else {
      // A rarely used SnapStart version goes Inactive and fails its first invoke.
      assertTrue(properties.path("SnapStart").isMissingNode(), function + " has SnapStart");
    }
    assertEquals(memory, properties.path("MemorySize").asInt());
    assertEquals(timeout, properties.path("Timeout").asInt());
    assertEquals("JSON", properties.at("/LoggingConfig/LogFormat").asText());
    assertEquals(CfnTemplate.ref(logGroup), properties.at("/LoggingConfig/LogGroup"));
    assertEquals(
        CfnTemplate.ref("LogRetentionDays"), stack.properties(logGroup).path("RetentionInDays"));
    // Each function runs from its own jar (functions/<jar>/target/<jar>-function.jar).
    assertEquals(
        "${CodeKey}/" + jar + "-function.jar", properties.at("/Code/S3Key/Fn::Sub").asText());

    JsonNode versionProperties = stack.properties(version);
    assertEquals(CfnTemplate.ref(function), versionProperties.path("FunctionName"));
    String description = versionProperties.at("/Description/Fn::Sub").asText();
    assertTrue(description.contains("${CodeVersion}") && description.contains("${CodeKey}"));

    JsonNode aliasProperties = stack.properties(alias);
    assertEquals(CfnTemplate.ref(function), aliasProperties.path("FunctionName"));
    assertEquals(CfnTemplate.getAtt(version, "Version"), aliasProperties.path("FunctionVersion"));
  }

  @Test
  void triggerHandler_stack_isARequestStreamHandlerInTheJar() throws ClassNotFoundException {
    assertEquals(
        TRIGGER_HANDLER + "::handleRequest",
        stack.properties("TriggerFunction").path("Handler").asText());

    assertTrue(RequestStreamHandler.class.isAssignableFrom(Class.forName(TRIGGER_HANDLER)));
  }

  @Test
  void versionsAndAliases_stack_oneEachPerFunction() {
    assertEquals(
        List.of("RuleVersion", "RemediationVersion", "HookVersion", "TriggerVersion"),
        stack.idsOfType("AWS::Lambda::Version"));
    assertEquals(
        List.of("RuleAlias", "RemediationAlias", "HookAlias", "TriggerAlias"),
        stack.idsOfType("AWS::Lambda::Alias"));
  }

  @Test
  void configPermission_stack_onTheAliasFromThisAccountOnly() {
    assertEquals(
        List.of("RuleConfigPermission", "ReconcileSchedulePermission"),
        stack.idsOfType("AWS::Lambda::Permission"));
    JsonNode permission = stack.properties("RuleConfigPermission");

    assertEquals(CfnTemplate.ref("RuleAlias"), permission.path("FunctionName"));
    assertEquals("config.amazonaws.com", permission.path("Principal").asText());
    assertEquals("lambda:InvokeFunction", permission.path("Action").asText());
    assertEquals(CfnTemplate.ref("AWS::AccountId"), permission.path("SourceAccount"));
  }

  @Test
  void callers_stack_invokeTheAliases() {
    assertEquals(
        CfnTemplate.ref("RuleAlias"),
        stack.properties("ReplicaKeyPolicyRule").at("/Source/SourceIdentifier"));
    assertEquals(
        "RuleConfigPermission", stack.resource("ReplicaKeyPolicyRule").path("DependsOn").asText());
    assertEquals(
        CfnTemplate.ref("RemediationAlias"),
        stack
            .properties("ReplicaKeyPolicyRemediation")
            .at("/Parameters/FunctionName/StaticValue/Values/0"));
    assertEquals(
        CfnTemplate.ref("RemediationAlias"),
        LeastPrivilegeTest.statement(stack, "AutomationRole", "InvokeRemediationAlias")
            .path("Resource"));
    assertEquals(
        CfnTemplate.ref("RuleAlias"), stack.root().at("/Outputs/RuleFunctionAliasArn/Value"));
  }

  @Test
  void remediationEnvironment_stack_backupBucketAndBaseline() {
    JsonNode variables = stack.properties("RemediationFunction").at("/Environment/Variables");

    assertEquals(CfnTemplate.ref("BackupBucket"), variables.path("BACKUP_BUCKET"));
    assertEquals(
        CfnTemplate.ref("BaselineParameterName"), variables.path("BASELINE_PARAMETER_NAME"));
    // The rule reads its settings from the rule's parameters: its environment is the JVM's only.
    assertEquals(
        List.of("JAVA_TOOL_OPTIONS"),
        iterable(stack.properties("RuleFunction").at("/Environment/Variables").fieldNames()));
  }

  @Test
  void backupBucket_stack_versionedEncryptedPrivateTlsOnly() {
    JsonNode bucket = stack.properties("BackupBucket");
    assertEquals("Enabled", bucket.at("/VersioningConfiguration/Status").asText());
    assertTrue(
        bucket
            .at(
                "/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault")
            .has("SSEAlgorithm"));
    bucket
        .path("PublicAccessBlockConfiguration")
        .forEach(setting -> assertTrue(setting.asBoolean()));
    assertEquals(4, bucket.path("PublicAccessBlockConfiguration").size());
    assertEquals("Retain", stack.resource("BackupBucket").path("DeletionPolicy").asText());

    JsonNode deny = stack.properties("BackupBucketPolicy").at("/PolicyDocument/Statement/0");
    assertEquals("Deny", deny.path("Effect").asText());
    assertEquals("s3:*", deny.path("Action").asText());
    assertEquals("false", deny.at("/Condition/Bool/aws:SecureTransport").asText());
    assertEquals(2, deny.path("Resource").size());
  }

  private static List<String> iterable(java.util.Iterator<String> names) {
    List<String> list = new java.util.ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }

  private static boolean isOnClasspath(String className) {
    return LambdaWiringTest.class
            .getClassLoader()
            .getResource(className.replace('.', '/') + ".class")
        != null;
  }
}
