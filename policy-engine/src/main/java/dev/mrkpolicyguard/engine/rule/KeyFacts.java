package dev.mrkpolicyguard.engine.rule;

import java.util.Objects;

/**
 * What the rule knows about one key when it decides: its metadata (from DescribeKey or a Config
 * item), its policy, and for a replica its primary's policy read in the primary's Region.
 *
 * @param keyArn the key's ARN
 * @param role single-Region, primary or replica
 * @param primaryArn the primary's ARN for a replica (and for a primary, its own), else {@code null}
 * @param awsManaged whether KMS manages the key (KeyManager AWS)
 * @param keyState the KMS key state, e.g. {@code Enabled}, {@code PendingDeletion}
 * @param policy the key's policy
 * @param primaryPolicy the primary's policy for a replica, else {@code null}
 */
public record KeyFacts(
    String keyArn,
    KeyRole role,
    String primaryArn,
    boolean awsManaged,
    String keyState,
    PolicyFact policy,
    PolicyFact primaryPolicy) {
  public KeyFacts {
    Objects.requireNonNull(keyArn, "keyArn");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(keyState, "keyState");
    if (role == KeyRole.REPLICA && primaryArn == null) {
      throw new IllegalArgumentException("a replica needs its primary's ARN: " + keyArn);
    }
  }

  /** The key id: the last part of the ARN. */
  public String keyId() {
    return keyArn.substring(keyArn.indexOf(":key/") + ":key/".length());
  }
}
