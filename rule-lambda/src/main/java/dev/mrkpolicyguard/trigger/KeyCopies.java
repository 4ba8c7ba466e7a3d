package dev.mrkpolicyguard.trigger;

import dev.mrkpolicyguard.core.KeyArn;
import dev.mrkpolicyguard.core.KeyState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What DescribeKey tells about a multi-Region key: its role, its state and every copy ({@code
 * MultiRegionConfiguration}: the primary and the replicas, by ARN).
 *
 * @param keyArn the key that was described
 * @param role PRIMARY or REPLICA (SINGLE_REGION for a key that is not multi-Region)
 * @param keyState e.g. {@code Enabled}, {@code Creating}, {@code Updating}
 * @param primaryArn the primary's ARN (the key itself when it is the primary)
 * @param replicaArns every replica's ARN
 */
public record KeyCopies(
    String keyArn, Role role, String keyState, String primaryArn, List<String> replicaArns) {
  /** A key's place among its copies. */
  public enum Role {
    PRIMARY,
    REPLICA,
    SINGLE_REGION
  }

  public KeyCopies {
    Objects.requireNonNull(keyArn, "keyArn");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(keyState, "keyState");
    replicaArns = List.copyOf(replicaArns);
  }

  /** Every copy's ARN, the primary first. */
  public List<String> copies() {
    List<String> all = new ArrayList<>();
    if (primaryArn != null) {
      all.add(primaryArn);
    }
    replicaArns.stream().filter(arn -> !all.contains(arn)).forEach(all::add);
    return all;
  }

  /** Whether the key is moving: being created as a replica, or changing its primary Region. */
  public boolean settling() {
    return KeyState.of(keyState).map(KeyState::settling).orElse(false);
  }

  /** The Region of a key ARN. */
  public static String regionOf(String arn) {
    return KeyArn.parse(arn).map(KeyArn::region).orElse("");
  }
}
