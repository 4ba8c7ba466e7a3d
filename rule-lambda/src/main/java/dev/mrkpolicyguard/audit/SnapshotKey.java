package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.core.KeyArn;
import dev.mrkpolicyguard.core.KeyReader;
import dev.mrkpolicyguard.core.ReadFailure;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import java.util.List;
import java.util.Objects;

/**
 * One key as captured in a snapshot: the parts of its DescribeKey metadata the audit uses, its
 * policy (or why it could not be read) and its aliases. A key the capture listed but could not
 * describe is one too ({@link #undescribed}), so that it is judged or listed, never dropped.
 *
 * @param arn the key's ARN
 * @param region the Region it was captured in (the Region of its ARN)
 * @param role single-Region, primary or replica; {@code null} for a key that could not be described
 *     and whose ID does not tell (a {@code mrk-} key)
 * @param primaryArn the primary's ARN for a multi-Region key (its own for a primary), else {@code
 *     null}
 * @param awsManaged whether KeyManager is {@code AWS}
 * @param keyState the KMS key state ({@code NotRead} when it could not be described)
 * @param policy the key's policy as GetKeyPolicy returned it, or the error that stopped it; {@link
 *     PolicyFact.NotNeeded} when it was not read
 * @param aliases the key's alias names in its Region
 * @param describeFailure why DescribeKey failed, or {@code null} when the key was described
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
    ReadFailure describeFailure,
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
      List<String> aliases,
      ReadFailure describeFailure) {
    this(
        arn,
        region,
        role,
        primaryArn,
        awsManaged,
        keyState,
        policy,
        aliases,
        describeFailure,
        null,
        null);
  }

  public SnapshotKey {
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(region, "region");
    if (role == null && describeFailure == null) {
      throw new IllegalArgumentException("a described key has a role: " + arn);
    }
    Objects.requireNonNull(keyState, "keyState");
    Objects.requireNonNull(policy, "policy");
    aliases = List.copyOf(aliases);
  }

  /** A key as DescribeKey described it. */
  public SnapshotKey(
      String arn,
      String region,
      KeyRole role,
      String primaryArn,
      boolean awsManaged,
      String keyState,
      PolicyFact policy,
      List<String> aliases) {
    this(arn, region, role, primaryArn, awsManaged, keyState, policy, aliases, null);
  }

  /**
   * A key the capture listed but could not describe ({@code failure}). Its ID still says whether it
   * is single-Region, as it does for the rule, which reads nothing of such keys.
   */
  public static SnapshotKey undescribed(
      String arn, String region, ReadFailure failure, PolicyFact policy, List<String> aliases) {
    String keyId = keyIdOf(arn);
    KeyRole role = KeyReader.isSingleRegionKeyId(keyId) ? KeyRole.SINGLE_REGION : null;
    return new SnapshotKey(
        arn,
        region,
        role,
        null,
        false,
        KeyReader.STATE_NOT_READ,
        policy,
        aliases,
        Objects.requireNonNull(failure, "failure"));
  }

  /** Whether DescribeKey answered for this key. */
  public boolean described() {
    return describeFailure == null;
  }

  /** The role's name, or {@code UNKNOWN} for a key that could not be described. */
  public String roleName() {
    return role == null ? "UNKNOWN" : role.name();
  }

  /** The key id: the last part of the ARN. */
  public String keyId() {
    return keyIdOf(arn);
  }

  /**
   * Whether this is a multi-Region key (primary or replica, or a {@code mrk-} key not described).
   */
  public boolean multiRegion() {
    return role != KeyRole.SINGLE_REGION;
  }

  /** The Region of the primary for a multi-Region key, else {@code null}. */
  public String primaryRegion() {
    if (primaryArn == null) {
      return null;
    }
    return KeyArn.parse(primaryArn)
        .map(KeyArn::region)
        .orElseGet(() -> primaryArn.split(":", 5)[3]);
  }

  /**
   * The key ID of {@code arn}, parsed as a {@link KeyArn}. A value that is not a key ARN (a
   * snapshot is untrusted input) keeps what the text after {@code :key/} always gave: the text
   * after it, or everything after the fourth character when there is no {@code :key/}.
   */
  private static String keyIdOf(String arn) {
    return KeyArn.parse(arn)
        .map(KeyArn::keyId)
        .orElseGet(() -> arn.substring(arn.indexOf(":key/") + ":key/".length()));
  }
}
