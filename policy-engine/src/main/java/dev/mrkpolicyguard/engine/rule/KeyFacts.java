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
 * @param keyUsage DescribeKey's {@code KeyUsage} (shared by a primary and its replicas), or {@code
 *     null} when unknown
 * @param keySpec DescribeKey's {@code KeySpec}, or {@code null} when unknown
 */
public record KeyFacts(
    String keyArn,
    KeyRole role,
    String primaryArn,
    boolean awsManaged,
    String keyState,
    PolicyFact policy,
    PolicyFact primaryPolicy,
    String keyUsage,
    String keySpec) {
  /** Facts without the key's usage and spec (every operation is then taken as possible). */
  public KeyFacts(
      String keyArn,
      KeyRole role,
      String primaryArn,
      boolean awsManaged,
      String keyState,
      PolicyFact policy,
      PolicyFact primaryPolicy) {
    this(keyArn, role, primaryArn, awsManaged, keyState, policy, primaryPolicy, null, null);
  }

  /** These facts with the key's DescribeKey {@code KeyUsage} and {@code KeySpec}. */
  public KeyFacts withUsage(String usage, String spec) {
    return new KeyFacts(
        keyArn, role, primaryArn, awsManaged, keyState, policy, primaryPolicy, usage, spec);
  }

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
