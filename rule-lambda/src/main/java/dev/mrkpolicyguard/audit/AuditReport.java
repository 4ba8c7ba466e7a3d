package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.engine.rule.Compliance;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rule's decisions for every key of a snapshot, in snapshot order.
 *
 * @param snapshot what was audited
 * @param keys one entry per key of the snapshot
 */
public record AuditReport(Snapshot snapshot, List<AuditedKey> keys) {
  /** Exit code: every judged key is compliant. */
  public static final int ALL_COMPLIANT = 0;

  /** Exit code: some key has findings. */
  public static final int FINDINGS = 1;

  /** Exit code: some key could not be judged because something it needs could not be read. */
  public static final int PARTIAL = 4;

  public AuditReport {
    Objects.requireNonNull(snapshot, "snapshot");
    keys = List.copyOf(keys);
  }

  /** The counts shown in every format's summary. */
  public record Summary(
      int keys,
      int multiRegion,
      int primaries,
      int replicas,
      int compliant,
      int nonCompliant,
      int deferred,
      int notApplicable,
      int notEvaluated,
      int unreadable) {}

  /** Counts of keys by kind and verdict. */
  public Summary summary() {
    return new Summary(
        keys.size(),
        (int) keys.stream().filter(k -> k.key().multiRegion()).count(),
        (int) keys.stream().filter(k -> k.key().role() == KeyRole.PRIMARY).count(),
        (int) keys.stream().filter(k -> k.key().role() == KeyRole.REPLICA).count(),
        count(Compliance.COMPLIANT),
        count(Compliance.NON_COMPLIANT),
        count(Compliance.DEFERRED),
        count(Compliance.NOT_APPLICABLE),
        (int) keys.stream().filter(k -> k.evaluation() == null).count(),
        unjudged().size());
  }

  /**
   * The multi-Region keys, each key id's keys together (in order of first appearance), its primary
   * first and then its replicas by Region.
   */
  public List<AuditedKey> multiRegionKeys() {
    Map<String, Integer> group = new HashMap<>();
    for (AuditedKey k : keys) {
      group.putIfAbsent(k.key().keyId(), group.size());
    }
    return keys.stream()
        .filter(k -> k.key().multiRegion())
        .sorted(
            Comparator.<AuditedKey>comparingInt(k -> group.get(k.key().keyId()))
                .thenComparing(k -> k.key().role() != KeyRole.PRIMARY)
                .thenComparing(k -> k.key().region()))
        .toList();
  }

  /**
   * Something that could not be judged, with why.
   *
   * @param subject a key ARN, or the Region whose keys could not be listed
   * @param region its Region
   * @param reason why, in words
   */
  public record Unjudged(String subject, String region, String reason) {}

  /**
   * Everything that makes the audit partial: the keys that could not be judged (the key, its policy
   * or its primary's policy could not be read, or a read failed in a way to retry), in snapshot
   * order, then the Regions whose keys could not be listed.
   */
  public List<Unjudged> unjudged() {
    List<Unjudged> out = new ArrayList<>();
    for (AuditedKey k : unreadable()) {
      out.add(new Unjudged(k.key().arn(), k.key().region(), k.unreadableReason()));
    }
    for (NotRead n : snapshot.notRead()) {
      out.add(new Unjudged(n.subject(), n.region(), n.reason()));
    }
    return out;
  }

  /** Keys that could not be judged because something they need could not be read. */
  public List<AuditedKey> unreadable() {
    return keys.stream().filter(AuditedKey::unreadable).toList();
  }

  /**
   * The exit code: {@link #PARTIAL} when some key could not be read or judged (the audit is
   * incomplete, even if other keys have findings), else {@link #FINDINGS} when some key is
   * non-compliant, else {@link #ALL_COMPLIANT}. Not applicable and deferred keys count against
   * nothing.
   */
  public int exitCode() {
    if (!unjudged().isEmpty()) {
      return PARTIAL;
    }
    return count(Compliance.NON_COMPLIANT) > 0 ? FINDINGS : ALL_COMPLIANT;
  }

  private int count(Compliance compliance) {
    return (int)
        keys.stream()
            .filter(k -> k.evaluation() != null && k.evaluation().compliance() == compliance)
            .count();
  }
}
