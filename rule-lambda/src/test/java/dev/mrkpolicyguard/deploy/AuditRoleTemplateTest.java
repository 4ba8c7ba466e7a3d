package dev.mrkpolicyguard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * cloudformation/audit-role.yaml grants exactly the read-only actions of a live audit
 * (docs/audit.md, "Permissions") and trusts only the principal given as a parameter.
 */
class AuditRoleTemplateTest {
  private static final CfnTemplate TEMPLATE = CfnTemplate.load("cloudformation/audit-role.yaml");

  /** What a live audit calls with the role (STS GetCallerIdentity needs no permission). */
  private static final Set<String> AUDIT_READS =
      Set.of("kms:ListKeys", "kms:ListAliases", "kms:DescribeKey", "kms:GetKeyPolicy");

  @Test
  void actions_auditRole_exactlyTheLiveAuditReads() {
    Set<String> actions = new TreeSet<>();
    statements().forEach(s -> actions.addAll(actions(s)));

    assertEquals(new TreeSet<>(AUDIT_READS), actions);
  }

  @Test
  void actions_auditRole_readOnlyAllowsWithoutWildcards() {
    for (JsonNode statement : statements()) {
      assertEquals("Allow", statement.path("Effect").asText());
      assertFalse(statement.has("NotAction") || statement.has("NotResource"), "" + statement);
      for (String action : actions(statement)) {
        assertFalse(action.contains("*"), action);
        assertTrue(action.matches("kms:(List|Describe|Get)\\w+"), action + " is not a read");
      }
    }
  }

  @Test
  void resources_keyReads_onlyThisAccountsKeys() {
    for (JsonNode statement : statements()) {
      JsonNode resource = statement.get("Resource");
      if (actions(statement).contains("kms:DescribeKey")) {
        assertEquals(
            "arn:${AWS::Partition}:kms:*:${AWS::AccountId}:key/*",
            resource.path("Fn::Sub").asText());
      } else {
        assertEquals(Set.of("kms:ListKeys", "kms:ListAliases"), Set.copyOf(actions(statement)));
      }
    }
  }

  @Test
  void trust_auditRole_onlyTheAuditorParameterNoWildcard() {
    JsonNode trust = TEMPLATE.properties("AuditRole").path("AssumeRolePolicyDocument");
    JsonNode statements = trust.path("Statement");

    assertEquals(1, statements.size());
    assertEquals(CfnTemplate.ref("AuditorPrincipalArn"), statements.at("/0/Principal/AWS"));
    assertEquals("sts:AssumeRole", statements.at("/0/Action").asText());
    String pattern = TEMPLATE.root().at("/Parameters/AuditorPrincipalArn/AllowedPattern").asText();
    assertFalse("*".matches(pattern) || "arn:aws:iam::111122223333:root".matches(pattern));
    assertTrue("arn:aws:iam::111122223333:role/Auditor".matches(pattern));
  }

  private static List<JsonNode> statements() {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode policy : TEMPLATE.properties("AuditRole").path("Policies")) {
      policy.at("/PolicyDocument/Statement").forEach(out::add);
    }
    return out;
  }

  private static List<String> actions(JsonNode statement) {
    JsonNode action = statement.path("Action");
    List<String> out = new ArrayList<>();
    if (action.isTextual()) {
      out.add(action.asText());
    } else {
      action.forEach(a -> out.add(a.asText()));
    }
    return out;
  }
}
