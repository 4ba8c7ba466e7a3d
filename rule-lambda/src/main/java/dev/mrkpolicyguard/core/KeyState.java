package dev.mrkpolicyguard.core;

import java.util.Optional;

/** A KMS key's state, as DescribeKey reports it (KMS developer guide, key-state). */
public enum KeyState {
  CREATING("Creating"),
  ENABLED("Enabled"),
  DISABLED("Disabled"),
  PENDING_DELETION("PendingDeletion"),
  PENDING_IMPORT("PendingImport"),
  PENDING_REPLICA_DELETION("PendingReplicaDeletion"),
  UNAVAILABLE("Unavailable"),
  UPDATING("Updating");

  private final String awsName;

  KeyState(String awsName) {
    this.awsName = awsName;
  }

  /** The state named {@code awsName} by KMS, or empty for a name this version does not know. */
  public static Optional<KeyState> of(String awsName) {
    for (KeyState state : values()) {
      if (state.awsName.equals(awsName)) {
        return Optional.of(state);
      }
    }
    return Optional.empty();
  }

  /** The name KMS uses, e.g. {@code PendingDeletion}. */
  public String awsName() {
    return awsName;
  }

  /** Whether the key is moving: being created as a replica, or changing its primary Region. */
  public boolean settling() {
    return this == CREATING || this == UPDATING;
  }

  /**
   * Whether a policy written now would be lost or refused: the key is going away or still settling.
   */
  public boolean refusesPolicyRewrite() {
    return this == PENDING_DELETION || this == PENDING_REPLICA_DELETION || settling();
  }
}
