package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.core.ReadFailure;
import dev.mrkpolicyguard.engine.rule.KeyFacts;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A fleet of KMS keys captured at one time (format in docs/snapshot.md): the keys of one account in
 * the listed Regions.
 */
public final class Snapshot {
  /** The snapshot format version this code reads. */
  public static final int VERSION = 1;

  /** The error code of a primary's policy that the snapshot does not hold. */
  static final String NOT_IN_SNAPSHOT = "NotInSnapshot";

  private final String account;
  private final List<String> regions;
  private final String capturedAt;
  private final List<SnapshotKey> keys;
  private final List<NotRead> notRead;
  private final Map<String, SnapshotKey> byArn = new HashMap<>();

  /**
   * A snapshot of {@code keys} (in file order; ARNs unique) of {@code account} in {@code regions},
   * captured at {@code capturedAt} (as written in the file, may be {@code null}).
   */
  public Snapshot(String account, List<String> regions, String capturedAt, List<SnapshotKey> keys) {
    this(new Header(account, regions, capturedAt), keys, List.of());
  }

  /**
   * A snapshot with the {@code header} fields, its {@code keys}, and what the capture could not
   * read ({@code notRead}).
   */
  public Snapshot(Header header, List<SnapshotKey> keys, List<NotRead> notRead) {
    String account = header.account();
    List<String> regions = header.regions();
    String capturedAt = header.capturedAt();
    this.notRead = List.copyOf(notRead);
    this.account = Objects.requireNonNull(account, "account");
    this.regions = List.copyOf(regions);
    this.capturedAt = capturedAt;
    this.keys = List.copyOf(keys);
    for (SnapshotKey key : this.keys) {
      if (byArn.put(key.arn(), key) != null) {
        throw new IllegalArgumentException("key listed twice: " + key.arn());
      }
    }
  }

  /**
   * The fields that say what a snapshot is of.
   *
   * @param account the 12-digit account id
   * @param regions the Regions that were captured
   * @param capturedAt when, as written in the file, or {@code null}
   */
  public record Header(String account, List<String> regions, String capturedAt) {
    public Header {
      Objects.requireNonNull(account, "account");
      regions = List.copyOf(regions);
    }
  }

  /**
   * The Regions whose keys the capture could not list (docs/snapshot.md). Keys it listed but could
   * not describe are among {@link #keys()}.
   */
  public List<NotRead> notRead() {
    return notRead;
  }

  /** The 12-digit account id. */
  public String account() {
    return account;
  }

  /** The Regions that were captured. */
  public List<String> regions() {
    return regions;
  }

  /** When the snapshot was taken, as written in the file, or {@code null}. */
  public String capturedAt() {
    return capturedAt;
  }

  /** Every key, in file order: those of {@code keys}, then those only named in {@code unread}. */
  public List<SnapshotKey> keys() {
    return keys;
  }

  /**
   * What the rule knows about {@code key} (a described key): its own facts, and for a replica its
   * primary's policy as captured in this snapshot. A primary that is not in the snapshot, or whose
   * policy was not read, is an unreadable policy, so the replica fails closed instead of being
   * skipped.
   */
  public KeyFacts facts(SnapshotKey key) {
    if (!key.described()) {
      throw new IllegalArgumentException("not described, so it has no facts: " + key.arn());
    }
    return new KeyFacts(
        key.arn(),
        key.role(),
        key.primaryArn(),
        key.awsManaged(),
        key.keyState(),
        key.policy(),
        key.role() == KeyRole.REPLICA ? primaryPolicy(key) : null,
        key.keyUsage(),
        key.keySpec());
  }

  /**
   * Why the rule would not evaluate {@code key} this time, or {@code null} when it would decide it:
   * a read it needs (DescribeKey, the key's policy or its primary's) failed in a way that says
   * nothing about the key ({@link ReadFailure}). Single-Region and AWS managed keys need no policy.
   */
  public String notEvaluated(SnapshotKey key) {
    if (key.role() == KeyRole.SINGLE_REGION || key.awsManaged()) {
      return null;
    }
    if (!key.described()) {
      return key.describeFailure().unreadable() ? null : key.describeFailure().explanation();
    }
    if (toRetry(key.policy())) {
      return "Cannot read this key's policy: " + ((PolicyFact.Unreadable) key.policy()).message();
    }
    if (key.role() == KeyRole.REPLICA && toRetry(primaryPolicy(key))) {
      return "Cannot read the primary's policy ("
          + key.primaryRegion()
          + "): "
          + ((PolicyFact.Unreadable) primaryPolicy(key)).message();
    }
    return null;
  }

  /** Whether {@code fact} is a read failure that leaves a key not evaluated, not unreadable. */
  private static boolean toRetry(PolicyFact fact) {
    return fact instanceof PolicyFact.Unreadable u
        && !NOT_IN_SNAPSHOT.equals(u.errorCode())
        && !ReadFailure.isUnreadableCode(u.errorCode());
  }

  private PolicyFact primaryPolicy(SnapshotKey replica) {
    SnapshotKey primary = byArn.get(replica.primaryArn());
    if (primary == null) {
      return notInSnapshot(replica);
    }
    if (primary.policy() instanceof PolicyFact.NotNeeded) {
      return new PolicyFact.Unreadable(
          NOT_IN_SNAPSHOT,
          "primary "
              + replica.primaryArn()
              + "'s policy was not captured (its DescribeKey failed); capture the snapshot again");
    }
    return primary.policy();
  }

  private PolicyFact notInSnapshot(SnapshotKey replica) {
    String region = replica.primaryRegion();
    String hint =
        regions.contains(region)
            ? "it was not captured although " + region + " was; capture the snapshot again"
            : region
                + " was not captured; capture the snapshot (or run the audit) with that Region"
                + " in --regions too";
    return new PolicyFact.Unreadable(
        NOT_IN_SNAPSHOT,
        "primary " + replica.primaryArn() + " is not in the snapshot (" + hint + ")");
  }
}
