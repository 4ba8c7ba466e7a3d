package dev.mrkpolicyguard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CloudFormation hook in the stack: what it targets, what it invokes, with which mode. */
class HookTemplateTest {
  private final CfnTemplate stack = CfnTemplate.load(LambdaWiringTest.STACK_FILE);

  @Test
  void lambdaHook_stack_replicaAndPrimaryKeysCreateAndUpdateBeforeProvisioning() {
    JsonNode hook = stack.properties("KeyPolicyHook");

    assertEquals(List.of("KeyPolicyHook"), stack.idsOfType("AWS::CloudFormation::LambdaHook"));
    assertEquals("[\"RESOURCE\"]", hook.path("TargetOperations").toString());
    assertEquals("[\"CREATE\",\"UPDATE\"]", hook.at("/TargetFilters/Actions").toString());
    assertEquals("[\"PRE_PROVISION\"]", hook.at("/TargetFilters/InvocationPoints").toString());
    assertEquals(
        "[\"AWS::KMS::ReplicaKey\",\"AWS::KMS::Key\"]",
        hook.at("/TargetFilters/TargetNames").toString());
  }

  @Test
  void lambdaHook_stack_invokesTheAliasWithTheInvokerRole() {
    JsonNode hook = stack.properties("KeyPolicyHook");

    assertEquals(CfnTemplate.ref("HookAlias"), hook.path("LambdaFunction"));
    assertEquals(CfnTemplate.getAtt("HookInvokerRole", "Arn"), hook.path("ExecutionRole"));
    assertEquals(
        CfnTemplate.ref("HookAlias"),
        LeastPrivilegeTest.statement(stack, "HookInvokerRole", "InvokeHookAlias").path("Resource"));
  }

  @Test
  void failureMode_stack_oneParameterForTheHookAndTheFunction() {
    assertEquals(
        CfnTemplate.ref("HookFailureMode"), stack.properties("KeyPolicyHook").path("FailureMode"));
    assertEquals(
        CfnTemplate.ref("HookFailureMode"),
        stack.properties("HookFunction").at("/Environment/Variables/HOOK_FAILURE_MODE"));
    assertEquals("WARN", stack.root().at("/Parameters/HookFailureMode/Default").asText());
  }

  @Test
  void hookResources_stack_allOnlyWhenDeployHook() {
    for (String id :
        List.of(
            "HookLogGroup",
            "HookRole",
            "HookFunction",
            "HookVersion",
            "HookAlias",
            "HookInvokerRole",
            "KeyPolicyHook")) {
      assertEquals("CreateHook", stack.resource(id).path("Condition").asText(), id);
    }
    assertEquals("false", stack.root().at("/Parameters/DeployHook/Default").asText());
  }

  @Test
  void hookHandler_stack_isARequestStreamHandlerInTheJar() throws ClassNotFoundException {
    String handler = stack.properties("HookFunction").path("Handler").asText();

    assertTrue(handler.endsWith("::handleRequest"));
    Class<?> type = Class.forName(handler.substring(0, handler.indexOf("::")));
    assertTrue(RequestStreamHandler.class.isAssignableFrom(type));
  }
}
