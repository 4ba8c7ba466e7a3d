package dev.mrkpolicyguard.explain;

/** What {@code explain} concludes about one CloudTrail record of a KMS call (docs/explain.md). */
public enum Verdict {
  /**
   * The primary's policy allows the corresponding request on the primary key and the replica's
   * policy does not allow the request on the replica: the drift is the reason; {@code remediate}
   * realigns the replica.
   */
  DRIFT_EXPLAINS_DENIAL,
  /**
   * The replica's key policy allows the request: the denial came from somewhere else (IAM policies,
   * SCPs, RCPs, permissions boundaries, session policies, VPC endpoint policies).
   */
  KEY_POLICY_ALLOWS,
  /** Neither key policy allows it: not a replica-drift problem. */
  BOTH_DENY,
  /** The key is a single-Region key or a primary: replica drift cannot be the reason. */
  NOT_A_REPLICA,
  /** The call is not authorised by a key policy (no key is used, or KMS made it itself). */
  NOT_KEY_POLICY_ACTION
}
