package dev.mrkpolicyguard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every IAM statement in the templates is on the least-privilege list of docs/deploy.md: each role
 * gets only its listed actions, no action wildcards, {@code Resource: "*"} only for actions that
 * cannot be scoped, and the one key-policy write only on replicas.
 */
class LeastPrivilegeTest {
  /** Template, role logical ID: the actions it may have (docs/deploy.md, "Permissions"). */
  static final Map<String, Set<String>> ALLOWED =
      Map.of(
          "mrk-policy-guard.yaml/RuleRole",
          Set.of(
              "logs:CreateLogStream",
              "logs:PutLogEvents",
              "kms:ListKeys",
              "kms:ListAliases",
              "kms:DescribeKey",
              "kms:GetKeyPolicy",
              "config:PutEvaluations",
              "config:GetComplianceDetailsByConfigRule",
              "config:GetResourceConfigHistory",
              "ssm:GetParameter",
              "sts:AssumeRole"),
          "mrk-policy-guard.yaml/RemediationRole",
          Set.of(
              "logs:CreateLogStream",
              "logs:PutLogEvents",
              "kms:DescribeKey",
              "kms:GetKeyPolicy",
              "kms:PutKeyPolicy",
              "s3:PutObject",
              "s3:GetObject",
              "ssm:GetParameter"),
          "mrk-policy-guard.yaml/AutomationRole",
          Set.of("lambda:InvokeFunction", "kms:DescribeKey", "kms:GetKeyPolicy"),
          "mrk-policy-guard.yaml/HookRole",
          Set.of(
              "logs:CreateLogStream",
              "logs:PutLogEvents",
              "kms:DescribeKey",
              "kms:GetKeyPolicy",
              "ssm:GetParameter"),
          "mrk-policy-guard.yaml/HookInvokerRole",
          Set.of("lambda:InvokeFunction"),
          "mrk-policy-guard.yaml/TriggerRole",
          Set.of(
              "logs:CreateLogStream",
              "logs:PutLogEvents",
              "kms:DescribeKey",
              "config:DescribeConfigRules",
              "config:StartConfigRulesEvaluation",
              "sqs:ReceiveMessage",
              "sqs:DeleteMessage",
              "sqs:GetQueueAttributes",
              "sqs:SendMessage"),
          "mrk-policy-guard.yaml/ReconcileRole",
          Set.of(
              "logs:CreateLogStream",
              "logs:PutLogEvents",
              "lambda:GetPolicy",
              "lambda:AddPermission",
              "lambda:RemovePermission",
              "organizations:ListAccounts",
              "config:GetOrganizationConformancePackDetailedStatus",
              "config:DescribeOrganizationConformancePacks"),
          "member-role.yaml/MemberRole",
          Set.of(
              "kms:ListKeys",
              "kms:DescribeKey",
              "kms:GetKeyPolicy",
              "config:PutEvaluations",
              "config:GetComplianceDetailsByConfigRule",
              "config:GetResourceConfigHistory",
              "ssm:GetParameter"));

  /**
   * Actions that support no resource-level permissions (Service Authorization Reference), so {@code
   * "*"} is the only possible Resource. PutEvaluations is the one write among them: it can only
   * write results for the rule whose result token the caller holds.
   */
  static final Set<String> UNSCOPABLE =
      Set.of(
          "kms:ListKeys",
          "kms:ListAliases",
          "config:PutEvaluations",
          "config:GetComplianceDetailsByConfigRule",
          "config:GetResourceConfigHistory",
          "config:DescribeConfigRules",
          "organizations:ListAccounts",
          "config:GetOrganizationConformancePackDetailedStatus",
          "config:DescribeOrganizationConformancePacks");

  static final Map<String, String> TRUSTED_SERVICE =
      Map.of(
          "RuleRole", "lambda.amazonaws.com",
          "RemediationRole", "lambda.amazonaws.com",
          "AutomationRole", "ssm.amazonaws.com",
          "HookRole", "lambda.amazonaws.com",
          "HookInvokerRole", "hooks.cloudformation.amazonaws.com",
          "TriggerRole", "lambda.amazonaws.com",
          "ReconcileRole", "lambda.amazonaws.com");

  static final List<String> TEMPLATES =
      List.of(
          "cloudformation/mrk-policy-guard.yaml",
          "cloudformation/member-role.yaml",
          "cloudformation/organization.yaml");

  @Test
  void roles_templates_exactlyTheListedOnes() {
    Set<String> roles = new TreeSet<>();
    for (String file : TEMPLATES) {
      CfnTemplate template = CfnTemplate.load(file);
      template.idsOfType("AWS::IAM::Role").forEach(id -> roles.add(key(template, id)));
      for (String type :
          List.of(
              "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::User", "AWS::IAM::Group")) {
        assertEquals(List.of(), template.idsOfType(type), file + " " + type);
      }
      template
          .idsOfType("AWS::IAM::Role")
          .forEach(id -> assertFalse(template.properties(id).has("ManagedPolicyArns"), id));
    }

    assertEquals(ALLOWED.keySet(), roles);
  }

  @Test
  void actions_everyRole_onItsListWithoutWildcards() {
    forEachStatement(
        (role, statement) -> {
          assertEquals("Allow", statement.path("Effect").asText(), role);
          assertFalse(statement.has("NotAction") || statement.has("NotResource"), role);
          for (String action : actions(statement)) {
            assertFalse(action.contains("*"), role + " " + action);
            assertTrue(ALLOWED.get(role).contains(action), role + " may not have " + action);
          }
        });
  }

  @Test
  void resourceStar_everyRole_onlyForActionsThatCannotBeScoped() {
    forEachStatement(
        (role, statement) -> {
          if (resources(statement).contains("*")) {
            assertEquals(1, resources(statement).size(), role);
            for (String action : actions(statement)) {
              assertTrue(UNSCOPABLE.contains(action), role + ": " + action + " on \"*\"");
            }
          }
        });
  }

  @Test
  void putKeyPolicy_remediationRole_onlyReplicasInThisRegion() {
    JsonNode statement =
        statement(
            CfnTemplate.load(LambdaWiringTest.STACK_FILE),
            "RemediationRole",
            "WriteReplicaPoliciesInThisRegion");

    assertEquals(List.of("kms:PutKeyPolicy"), actions(statement));
    assertEquals(
        "REPLICA", statement.at("/Condition/StringEquals/kms:MultiRegionKeyType").asText());
    assertEquals(
        "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*",
        statement.at("/Resource/Fn::Sub").asText());
    forEachStatement(
        (role, s) -> {
          if (actions(s).contains("kms:PutKeyPolicy")) {
            assertEquals(statement, s, role);
          }
        });
  }

  @Test
  void backups_remediationRole_onlyUnderItsAccountPrefix() {
    JsonNode statement =
        statement(
            CfnTemplate.load(LambdaWiringTest.STACK_FILE),
            "RemediationRole",
            "BackupsUnderThisAccountsPrefix");

    assertEquals(
        "${BackupBucket.Arn}/${AWS::AccountId}/*", statement.at("/Resource/Fn::Sub").asText());
  }

  @Test
  void getParameter_everyRole_onlyTheBaseline() {
    forEachStatement(
        (role, statement) -> {
          if (actions(statement).contains("ssm:GetParameter")) {
            assertEquals(List.of("ssm:GetParameter"), actions(statement), role);
            assertTrue(
                statement
                    .at("/Resource/Fn::Sub")
                    .asText()
                    .endsWith(":parameter${BaselineParameterName}"),
                role);
          }
        });
  }

  @Test
  void assumeRole_ruleRole_onlyTheNamedRoleWhenSet() {
    CfnTemplate stack = CfnTemplate.load(LambdaWiringTest.STACK_FILE);
    JsonNode statements = stack.properties("RuleRole").at("/Policies/0/PolicyDocument/Statement");
    JsonNode conditional = statements.get(statements.size() - 1).path("Fn::If");

    assertEquals("UseExecutionRole", conditional.get(0).asText());
    assertEquals(
        "arn:${AWS::Partition}:iam::*:role/${ExecutionRoleName}",
        conditional.get(1).at("/Resource/Fn::Sub").asText());
    assertEquals(CfnTemplate.ref("AWS::NoValue"), conditional.get(2));
  }

  @Test
  void startEvaluation_triggerRole_onlyThisAccountsRules() {
    JsonNode statement =
        statement(CfnTemplate.load(LambdaWiringTest.STACK_FILE), "TriggerRole", "StartTheRule");

    assertEquals(List.of("config:StartConfigRulesEvaluation"), actions(statement));
    assertEquals(
        "arn:${AWS::Partition}:config:*:${AWS::AccountId}:config-rule/*",
        statement.at("/Resource/Fn::Sub").asText());
  }

  @Test
  void describeKey_triggerRole_readsNoPolicyAndWritesNothingToKms() {
    JsonNode statement =
        statement(
            CfnTemplate.load(LambdaWiringTest.STACK_FILE),
            "TriggerRole",
            "DescribeKeyCopiesInEveryRegion");

    assertEquals(List.of("kms:DescribeKey"), actions(statement));
    assertEquals(
        "arn:${AWS::Partition}:kms:*:${AWS::AccountId}:key/*",
        statement.at("/Resource/Fn::Sub").asText());
  }

  @Test
  void queueActions_triggerRole_onlyItsOwnQueue() {
    forEachStatement(
        (role, statement) -> {
          if (actions(statement).stream().anyMatch(a -> a.startsWith("sqs:"))) {
            assertEquals("mrk-policy-guard.yaml/TriggerRole", role);
            assertEquals(CfnTemplate.getAtt("TriggerQueue", "Arn"), statement.path("Resource"));
          }
        });
  }

  /**
   * The reconcile may change a resource policy only on the rule alias, and only it may: the
   * permission calls take the alias ARN as their resource (a qualified ARN names that alias's
   * policy).
   */
  @Test
  void permissionCalls_reconcileRole_onlyTheRuleAlias() {
    JsonNode statement =
        statement(
            CfnTemplate.load(LambdaWiringTest.STACK_FILE),
            "ReconcileRole",
            "TheRuleAliasPolicyOnly");

    assertEquals(
        List.of("lambda:GetPolicy", "lambda:AddPermission", "lambda:RemovePermission"),
        actions(statement));
    assertEquals(CfnTemplate.ref("RuleAlias"), statement.path("Resource"));
    forEachStatement(
        (role, s) -> {
          if (actions(s).stream()
              .anyMatch(a -> a.endsWith("Permission") || a.equals("lambda:GetPolicy"))) {
            assertEquals("mrk-policy-guard.yaml/ReconcileRole", role);
          }
        });
  }

  @Test
  void trust_everyRole_onlyItsCaller() {
    CfnTemplate stack = CfnTemplate.load(LambdaWiringTest.STACK_FILE);
    TRUSTED_SERVICE.forEach(
        (role, service) -> {
          JsonNode trust = stack.properties(role).at("/AssumeRolePolicyDocument/Statement");
          assertEquals(1, trust.size(), role);
          assertEquals(service, trust.at("/0/Principal/Service").asText(), role);
          assertEquals(
              CfnTemplate.ref("AWS::AccountId"),
              trust.at("/0/Condition/StringEquals/aws:SourceAccount"),
              role);
        });
    JsonNode member =
        CfnTemplate.load("cloudformation/member-role.yaml")
            .properties("MemberRole")
            .at("/AssumeRolePolicyDocument/Statement");
    assertEquals(1, member.size());
    assertEquals(CfnTemplate.ref("CentralRuleRoleArn"), member.at("/0/Principal/AWS"));
  }

  @Test
  void memberRole_centralLayout_ruleReadsPlusPutEvaluationsOnly() {
    Set<String> member = new TreeSet<>();
    Set<String> rule = new TreeSet<>();
    forEachStatement(
        (role, statement) -> {
          if (role.equals("member-role.yaml/MemberRole")) {
            member.addAll(actions(statement));
          } else if (role.equals("mrk-policy-guard.yaml/RuleRole")) {
            rule.addAll(actions(statement));
          }
        });
    // The central function reads the baseline with its own role, in its own account.
    rule.removeIf(
        a -> a.startsWith("logs:") || a.equals("sts:AssumeRole") || a.equals("ssm:GetParameter"));

    assertEquals(rule, member);
  }

  @Test
  void deployDoc_everyGrantedAction_isWrittenDown() throws IOException {
    String doc = Files.readString(CfnTemplate.repoRoot().resolve("docs/deploy.md"));

    forEachStatement(
        (role, statement) ->
            actions(statement)
                .forEach(
                    a -> assertTrue(doc.contains("`" + a + "`"), a + " is not in docs/deploy.md")));
  }

  interface StatementCheck {
    void check(String role, JsonNode statement);
  }

  /** Every statement of every role's inline policies, Fn::If branches included. */
  static void forEachStatement(StatementCheck check) {
    for (String file : TEMPLATES) {
      CfnTemplate template = CfnTemplate.load(file);
      for (String id : template.idsOfType("AWS::IAM::Role")) {
        for (JsonNode policy : template.properties(id).path("Policies")) {
          for (JsonNode statement : policy.at("/PolicyDocument/Statement")) {
            for (JsonNode branch : branches(statement)) {
              check.check(key(template, id), branch);
            }
          }
        }
      }
    }
  }

  static JsonNode statement(CfnTemplate template, String role, String sid) {
    for (JsonNode policy : template.properties(role).path("Policies")) {
      for (JsonNode statement : policy.at("/PolicyDocument/Statement")) {
        for (JsonNode branch : branches(statement)) {
          if (sid.equals(branch.path("Sid").asText())) {
            return branch;
          }
        }
      }
    }
    throw new AssertionError(role + " has no statement " + sid);
  }

  private static List<JsonNode> branches(JsonNode statement) {
    if (!statement.has("Fn::If")) {
      return List.of(statement);
    }
    List<JsonNode> branches = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      JsonNode branch = statement.path("Fn::If").get(i);
      if (!branch.equals(CfnTemplate.ref("AWS::NoValue"))) {
        branches.add(branch);
      }
    }
    return branches;
  }

  private static String key(CfnTemplate template, String logicalId) {
    return template.path().getFileName() + "/" + logicalId;
  }

  static List<String> actions(JsonNode statement) {
    return strings(statement.path("Action"));
  }

  private static List<String> resources(JsonNode statement) {
    return strings(statement.path("Resource"));
  }

  private static List<String> strings(JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(v -> values.add(v.isTextual() ? v.asText() : v.toString()));
    } else {
      values.add(node.isTextual() ? node.asText() : node.toString());
    }
    return values;
  }
}
