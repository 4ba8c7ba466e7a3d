package dev.mrkpolicyguard.localaws.kms;

/** KMS key states, named as the KeyState enum of the KMS service model spells them. */
public enum KeyState {
  CREATING("Creating"),
  ENABLED("Enabled"),
  DISABLED("Disabled"),
  PENDING_DELETION("PendingDeletion"),
  PENDING_IMPORT("PendingImport"),
  PENDING_REPLICA_DELETION("PendingReplicaDeletion"),
  UNAVAILABLE("Unavailable"),
  UPDATING("Updating");

  private final String wire;

  KeyState(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public boolean pendingDeletion() {
    return this == PENDING_DELETION || this == PENDING_REPLICA_DELETION;
  }
}
