package dev.mrkpolicyguard.trigger;

import static dev.mrkpolicyguard.trigger.Fakes.arn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TargetPlannerTest {
  private final TargetPlanner planner = new TargetPlanner();
  private final KeyCopies primary =
      new KeyCopies(
          arn("us-east-1"),
          KeyCopies.Role.PRIMARY,
          "Enabled",
          arn("us-east-1"),
          List.of(arn("eu-west-1"), arn("ap-southeast-2")));
  private final KeyCopies replica =
      new KeyCopies(
          arn("eu-west-1"),
          KeyCopies.Role.REPLICA,
          "Enabled",
          arn("us-east-1"),
          List.of(arn("eu-west-1"), arn("ap-southeast-2")));

  private static KmsChange change(String name, String region, String other) {
    return new KmsChange(name, region, Fakes.ACCOUNT, arn(region), null, other);
  }

  private static List<String> regions(TargetPlanner.Plan plan) {
    return plan.targets().stream().map(TargetPlanner.Target::region).toList();
  }

  @Test
  void plan_putKeyPolicyOnPrimary_everyReplicasRegion() {
    var plan = planner.plan(change("PutKeyPolicy", "us-east-1", null), primary);

    assertEquals(List.of("eu-west-1", "ap-southeast-2"), regions(plan));
    assertTrue(plan.targets().stream().allMatch(t -> t.settleOn() == null));
  }

  @Test
  void plan_putKeyPolicyOnReplica_noRegion() {
    var plan = planner.plan(change("PutKeyPolicy", "eu-west-1", null), replica);

    assertEquals(List.of(), regions(plan));
    assertTrue(plan.note().contains("replica"));
  }

  @Test
  void plan_replicateKey_theNewReplicasRegionOnceCreated() {
    var change = change("ReplicateKey", "us-east-1", "eu-central-1");

    var plan = planner.plan(change, null);

    assertFalse(planner.needsCopies(change));
    assertEquals(List.of("eu-central-1"), regions(plan));
    assertEquals(arn("eu-central-1"), plan.targets().get(0).settleOn());
  }

  @Test
  void plan_updatePrimaryRegion_everyCopysRegionOnceTheNewPrimaryIsSettled() {
    var change = change("UpdatePrimaryRegion", "us-east-1", "eu-west-1");
    var after =
        new KeyCopies(
            arn("us-east-1"),
            KeyCopies.Role.REPLICA,
            "Updating",
            arn("eu-west-1"),
            List.of(arn("us-east-1"), arn("ap-southeast-2")));

    var plan = planner.plan(change, after);

    assertTrue(planner.needsCopies(change));
    assertEquals(List.of("eu-west-1", "us-east-1", "ap-southeast-2"), regions(plan));
    assertTrue(plan.targets().stream().allMatch(t -> t.settleOn().equals(arn("eu-west-1"))));
  }

  @Test
  void plan_scheduleAndCancelKeyDeletion_noRegionAndNoDescribeKey() {
    for (String name : List.of("ScheduleKeyDeletion", "CancelKeyDeletion")) {
      var change = change(name, "us-east-1", null);

      assertFalse(planner.needsCopies(change), name);
      assertEquals(List.of(), regions(planner.plan(change, null)), name);
    }
  }

  @Test
  void plan_primaryWithoutReplicas_noRegion() {
    var lone =
        new KeyCopies(
            arn("us-east-1"), KeyCopies.Role.PRIMARY, "Enabled", arn("us-east-1"), List.of());

    assertEquals(List.of(), regions(planner.plan(change("PutKeyPolicy", "us-east-1", null), lone)));
  }
}
