package dev.mrkpolicyguard.hook;

import static dev.mrkpolicyguard.hook.HookEvents.CREATE;
import static dev.mrkpolicyguard.hook.HookEvents.CREATE_DRIFTED;
import static dev.mrkpolicyguard.hook.HookEvents.PRIMARY_UPDATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.KeyDecider;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import dev.mrkpolicyguard.iac.PrimarySource;
import org.junit.jupiter.api.Test;

/** The hook's decisions on the sample requests, with a primary read from a fake. */
class ReplicaKeyHookTest {
  private static final PrimarySource PRIMARY =
      arn ->
          new PrimarySource.Primary(
              new PolicyFact.Known(HookEvents.primaryPolicy()),
              "ENCRYPT_DECRYPT",
              "SYMMETRIC_DEFAULT",
              "fake");
  private static final PrimarySource DENIED =
      arn ->
          new PrimarySource.Primary(
              new PolicyFact.Unreadable("AccessDeniedException", "kms:GetKeyPolicy was denied"),
              null,
              null,
              "fake");

  private static HookResponse answer(String file, FailureMode mode, PrimarySource primaries) {
    ReplicaKeyHook.Environment env =
        new ReplicaKeyHook.Environment("eu-west-1", Baseline.DEFAULT, null, primaries);
    return new ReplicaKeyHook(mode, new KeyDecider())
        .evaluate(HookRequest.from(HookEvents.json(file)), env);
  }

  @Test
  void evaluate_replicaWithThePrimarysPolicy_succeedsAndEchoesTheToken() {
    HookResponse response = answer(CREATE, FailureMode.WARN, PRIMARY);

    assertEquals(HookResponse.Status.SUCCESS, response.status());
    assertEquals("8b4a2f1e-3c5d-4e6f-9a0b-1c2d3e4f5a6b", response.clientRequestToken());
  }

  @Test
  void evaluate_driftedReplica_failsNonCompliantNamingTheWitnessAndTheFix() {
    HookResponse response = answer(CREATE_DRIFTED, FailureMode.WARN, PRIMARY);

    assertEquals(HookResponse.Status.FAILED, response.status());
    assertEquals("NonCompliant", response.errorCode());
    assertTrue(
        response.message().contains("444455556666:role/ExampleRole may kms:Decrypt"),
        response.message());
    assertTrue(
        response.message().contains("Fix: give the replica the primary's KeyPolicy"),
        response.message());
    assertEquals("REPLICA_GRANTS_MORE", response.annotations().get(0).name());
  }

  @Test
  void evaluate_unreadablePrimaryInWarnMode_succeedsWithAWarning() {
    HookResponse response = answer(CREATE, FailureMode.WARN, DENIED);

    assertEquals(HookResponse.Status.SUCCESS, response.status());
    assertTrue(
        response.message().startsWith("Warning: cannot verify PaymentsReplica"),
        response.message());
    assertTrue(response.message().contains("kms:GetKeyPolicy was denied"), response.message());
  }

  @Test
  void evaluate_unreadablePrimaryInFailMode_failsWithTheReason() {
    HookResponse response = answer(CREATE, FailureMode.FAIL, DENIED);

    assertEquals(HookResponse.Status.FAILED, response.status());
    assertEquals("NonCompliant", response.errorCode());
    assertTrue(response.message().contains("kms:GetKeyPolicy was denied"), response.message());
  }

  @Test
  void evaluate_primaryPolicyUpdateThatChangesAccess_warnsItsReplicasWillNotMatch() {
    HookResponse response = answer(PRIMARY_UPDATE, FailureMode.FAIL, PRIMARY);

    assertEquals(HookResponse.Status.SUCCESS, response.status());
    assertTrue(response.message().contains("will no longer match"), response.message());
    assertTrue(response.message().contains("kms:ReEncrypt"), response.message());
    assertEquals("PRIMARY_POLICY_CHANGED", response.annotations().get(0).name());
  }

  @Test
  void evaluate_keyPolicyAsAJsonString_isReadLikeAnObject() {
    ObjectNode event = (ObjectNode) HookEvents.json(CREATE_DRIFTED);
    ObjectNode props = (ObjectNode) event.at("/requestData/targetModel/resourceProperties");
    props.put("KeyPolicy", props.get("KeyPolicy").toString());
    ReplicaKeyHook.Environment env =
        new ReplicaKeyHook.Environment("eu-west-1", Baseline.DEFAULT, null, PRIMARY);

    HookResponse response =
        new ReplicaKeyHook(FailureMode.WARN, new KeyDecider())
            .evaluate(HookRequest.from(event), env);

    assertEquals("NonCompliant", response.errorCode());
  }

  @Test
  void evaluate_delete_hasNothingToCheck() {
    ObjectNode event = (ObjectNode) HookEvents.json(CREATE_DRIFTED);
    event.put("actionInvocationPoint", "DELETE_PRE_PROVISION");
    ReplicaKeyHook.Environment env =
        new ReplicaKeyHook.Environment("eu-west-1", Baseline.DEFAULT, null, DENIED);

    HookResponse response =
        new ReplicaKeyHook(FailureMode.FAIL, new KeyDecider())
            .evaluate(HookRequest.from(event), env);

    assertEquals(HookResponse.Status.SUCCESS, response.status());
  }

  @Test
  void stackRegion_isTakenFromTheStackArn() {
    assertEquals("eu-west-1", HookRequest.from(HookEvents.json(CREATE)).stackRegion());
  }
}
