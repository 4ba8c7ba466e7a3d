package dev.mrkpolicyguard.trigger;

import java.util.List;
import java.util.Objects;

/**
 * Which Regions need the rule run after a KMS change: those holding a copy whose verdict can change
 * without a configuration item of its own announcing it. Config's change trigger already
 * re-evaluates the key that was called (its policy and state are in its configuration item); what
 * no item announces is a replica's primary changing (docs/trigger.md, "Which Regions").
 *
 * <ul>
 *   <li>PutKeyPolicy on a primary: every replica's Region (each replica is compared with this
 *       policy). On a replica: none; only that replica's own verdict depends on it.
 *   <li>ReplicateKey: the new replica's Region, once the replica has left {@code Creating} (the
 *       rule decides nothing for a key being created).
 *   <li>UpdatePrimaryRegion: every copy's Region, the called key's own included (each replica now
 *       has another primary; the old primary is now judged as a replica and no configuration item
 *       carries the role), once the new primary has left {@code Updating}.
 *   <li>ScheduleKeyDeletion, CancelKeyDeletion: none. The key's own state is in its configuration
 *       item; a replica is judged against its primary's policy, which a pending deletion leaves
 *       readable and unchanged.
 * </ul>
 */
public final class TargetPlanner {
  /** Whether planning {@code change} needs the called key's copies (a DescribeKey). */
  public boolean needsCopies(KmsChange change) {
    return change.eventName().equals("PutKeyPolicy")
        || change.eventName().equals("UpdatePrimaryRegion");
  }

  /** The Regions to start the rule in; {@code copies} is read when {@link #needsCopies} says so. */
  public Plan plan(KmsChange change, KeyCopies copies) {
    return switch (change.eventName()) {
      case "PutKeyPolicy" -> putKeyPolicy(copies);
      case "ReplicateKey" -> replicateKey(change);
      case "UpdatePrimaryRegion" -> updatePrimaryRegion(change, copies);
      case "ScheduleKeyDeletion", "CancelKeyDeletion" ->
          new Plan(
              List.of(),
              "only the called key's own verdict changes; its configuration item covers it");
      default -> new Plan(List.of(), "not a change the trigger handles");
    };
  }

  private static Plan putKeyPolicy(KeyCopies copies) {
    if (copies.role() != KeyCopies.Role.PRIMARY) {
      return new Plan(
          List.of(),
          "a replica's policy: only its own verdict changes; its configuration item covers it");
    }
    List<Target> targets =
        copies.replicaArns().stream()
            .map(arn -> new Target(KeyCopies.regionOf(arn), null, "replica " + arn))
            .toList();
    return new Plan(targets, targets.isEmpty() ? "the primary has no replicas" : "");
  }

  private static Plan replicateKey(KmsChange change) {
    String replicaArn =
        change.keyArn().replace(":" + change.region() + ":", ":" + change.otherRegion() + ":");
    return new Plan(
        List.of(new Target(change.otherRegion(), replicaArn, "new replica " + replicaArn)), "");
  }

  private static Plan updatePrimaryRegion(KmsChange change, KeyCopies copies) {
    String newPrimary =
        change.keyArn().replace(":" + change.region() + ":", ":" + change.otherRegion() + ":");
    List<Target> targets =
        copies.copies().stream()
            .map(arn -> new Target(KeyCopies.regionOf(arn), newPrimary, "copy " + arn))
            .toList();
    return new Plan(targets, "");
  }

  /** The Regions to start the rule in, or why there are none. */
  public record Plan(List<Target> targets, String note) {
    public Plan {
      targets = List.copyOf(targets);
      Objects.requireNonNull(note, "note");
    }
  }

  /**
   * One Region to start the rule in.
   *
   * @param region the Region
   * @param settleOn a copy that must have left {@code Creating}/{@code Updating} first, or null
   * @param why the copy whose verdict may have changed, for the log
   */
  public record Target(String region, String settleOn, String why) {
    public Target {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(why, "why");
    }
  }
}
