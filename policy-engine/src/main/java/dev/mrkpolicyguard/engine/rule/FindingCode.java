package dev.mrkpolicyguard.engine.rule;

/**
 * The stable vocabulary of findings. Codes never change meaning; new ones are added at the end.
 * docs/findings.md describes each.
 */
public enum FindingCode {
  /** The replica allows requests its primary (mapped to the replica's Region) denies. */
  REPLICA_GRANTS_MORE,
  /** The replica denies requests its primary allows: a failover gets AccessDenied. */
  REPLICA_GRANTS_LESS,
  /** The replica's policy could not be compared exactly with its primary's. */
  REPLICA_COMPARISON_UNDECIDED,
  /** The primary's policy could not be read, so the replica cannot be judged. */
  PRIMARY_POLICY_UNREADABLE,
  /** The key's own policy could not be read. */
  POLICY_UNREADABLE,
  /** The key's policy (or its primary's) is not a valid key policy. */
  POLICY_MALFORMED,
  /** The key's policy does not grant access the baseline's floor requires. */
  BASELINE_FLOOR_MISSING,
  /** The key's policy grants access beyond the baseline's ceiling. */
  BASELINE_CEILING_EXCEEDED,
  /** The key's policy could not be checked exactly against the baseline. */
  BASELINE_UNDECIDED,
  /**
   * The key itself could not be read (DescribeKey denied or not found), so nothing about it can be
   * judged. Decided outside the engine, by the callers that read keys.
   */
  KEY_UNREADABLE
}
