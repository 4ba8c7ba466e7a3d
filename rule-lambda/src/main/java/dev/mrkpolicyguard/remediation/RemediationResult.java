package dev.mrkpolicyguard.remediation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.engine.compare.Verdict;
import java.util.List;
import java.util.Objects;

/**
 * What a remediation run did, as the handler returns it and the SSM document branches on.
 *
 * @param outcome what happened
 * @param reason why, in words (always given)
 * @param verdictBefore how the replica related to the target before the run, when known
 * @param verdictAfter how it relates after the run, when it was read back (or unchanged)
 * @param backupUri where the policy in force before the write was saved, when it was
 * @param previousPolicySha256 SHA-256 (hex) of the replica's policy as first read, when read
 * @param diff for a dry run: what the write would change and the policy it would write
 */
public record RemediationResult(
    Outcome outcome,
    String reason,
    Verdict verdictBefore,
    Verdict verdictAfter,
    String backupUri,
    String previousPolicySha256,
    Diff diff) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public RemediationResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    if ((outcome == Outcome.DRY_RUN) != (diff != null)) {
      throw new IllegalArgumentException("a diff is given exactly for DRY_RUN");
    }
  }

  /**
   * What a write would change.
   *
   * @param changes each difference class in words, most important first
   * @param targetPolicy the policy document that would be written
   */
  public record Diff(List<String> changes, String targetPolicy) {
    public Diff {
      changes = List.copyOf(changes);
      Objects.requireNonNull(targetPolicy, "targetPolicy");
    }
  }

  /**
   * What a run knew of the replica when it ended, after reading its policy.
   *
   * @param before how the replica related to the target, when known
   * @param sha SHA-256 (hex) of the replica's policy as first read
   * @param backupUri where that policy was saved, or {@code null} before a backup was made
   */
  public record Known(Verdict before, String sha, String backupUri) {
    public Known {
      Objects.requireNonNull(sha, "sha");
    }

    /** Nothing backed up yet. */
    static Known read(Verdict before, String sha) {
      return new Known(before, sha, null);
    }
  }

  /** The replica already has the target policy; {@code verdict} holds before and after. */
  static RemediationResult noChange(String reason, Verdict verdict, String sha) {
    return new RemediationResult(Outcome.NO_CHANGE, reason, verdict, verdict, null, sha, null);
  }

  /** A run that refused after reading the replica's policy. */
  static RemediationResult refused(String reason, Known known) {
    return of(Outcome.REFUSED, reason, known, null);
  }

  /** A dry run: {@code diff} is what the write would change. */
  static RemediationResult dryRun(String reason, Known known, Diff diff) {
    return new RemediationResult(
        Outcome.DRY_RUN, reason, known.before(), null, known.backupUri(), known.sha(), diff);
  }

  /** The new policy is in force, read back as {@code after}. */
  static RemediationResult applied(String reason, Known known, Verdict after) {
    return of(Outcome.APPLIED, reason, known, after);
  }

  /** A run that failed after reading the replica's policy; {@code after} when it was read back. */
  static RemediationResult failed(String reason, Known known, Verdict after) {
    return of(Outcome.FAILED, reason, known, after);
  }

  private static RemediationResult of(Outcome outcome, String reason, Known known, Verdict after) {
    return new RemediationResult(
        outcome, reason, known.before(), after, known.backupUri(), known.sha(), null);
  }

  /** A run that stopped before reading the replica's policy. */
  static RemediationResult refused(String reason) {
    return new RemediationResult(Outcome.REFUSED, reason, null, null, null, null, null);
  }

  /** A run that failed before reading the replica's policy. */
  static RemediationResult failed(String reason) {
    return new RemediationResult(Outcome.FAILED, reason, null, null, null, null, null);
  }

  /**
   * The compact JSON form, outcome first, with no spaces: {@code {"outcome":"APPLIED",...}}. SSM's
   * {@code aws:branch} matches {@code "outcome":"FAILED"} in it with {@code Contains}; inside
   * string values quotes are escaped, so only the top-level field can match.
   */
  public String toJson() {
    ObjectNode out = MAPPER.createObjectNode();
    out.put("outcome", outcome.name());
    out.put("reason", reason);
    out.put("verdictBefore", verdictBefore == null ? null : verdictBefore.name());
    out.put("verdictAfter", verdictAfter == null ? null : verdictAfter.name());
    out.put("backupUri", backupUri);
    out.put("previousPolicySha256", previousPolicySha256);
    if (diff != null) {
      ObjectNode d = out.putObject("diff");
      ArrayNode changes = d.putArray("changes");
      diff.changes().forEach(changes::add);
      d.put("targetPolicy", diff.targetPolicy());
    }
    return out.toString();
  }
}
