package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.engine.rule.KeyRole;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import java.util.List;
import java.util.Objects;

/**
 * One key as captured in a snapshot: the parts of its DescribeKey metadata the audit uses, its
 * policy (or why it could not be read) and its aliases.
 *
 * @param arn the key's ARN
 * @param region the Region it was captured in (the Region of its ARN)
 * @param role single-Region, primary or replica
 * @param primaryArn the primary's ARN for a multi-Region key (its own for a primary), else {@code
 *     null}
 * @param awsManaged whether KeyManager is {@code AWS}
 * @param keyState the KMS key state
 * @param policy the key's policy as GetKeyPolicy returned it, or the error that stopped it
 * @param aliases the key's alias names in its Region
 * @param keyUsage DescribeKey's {@code KeyUsage}, or {@code null} when the snapshot lacks it
 * @param keySpec DescribeKey's {@code KeySpec}, or {@code null} when the snapshot lacks it
 */
public record SnapshotKey(
    String arn,
    String region,
    KeyRole role,
    String primaryArn,
    boolean awsManaged,
    String keyState,
    PolicyFact policy,
    List<String> aliases,
    String keyUsage,
    String keySpec) {
  /** A key whose usage and spec the snapshot does not record. */
  public SnapshotKey(
      String arn,
      String region,
      KeyRole role,
      String primaryArn,
      boolean awsManaged,
      String keyState,
      PolicyFact policy,
      List<String> aliases) {
    this(arn, region, role, primaryArn, awsManaged, keyState, policy, aliases, null, null);
  }

  public SnapshotKey {
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(keyState, "keyState");
    Objects.requireNonNull(policy, "policy");
    aliases = List.copyOf(aliases);
  }

  /** The key id: the last part of the ARN. */
  public String keyId() {
    return arn.substring(arn.indexOf(":key/") + ":key/".length());
  }

  /** Whether this is a multi-Region key (primary or replica). */
  public boolean multiRegion() {
    return role != KeyRole.SINGLE_REGION;
  }

  /** The Region of the primary for a multi-Region key, else {@code null}. */
  public String primaryRegion() {
    return primaryArn == null ? null : primaryArn.split(":", 5)[3];
  }
}
