package dev.mrkpolicyguard.engine.compare;

/** How a replica's key policy relates to its primary's, over every possible request. */
public enum Verdict {
  /** Every request gets the same decision. */
  EQUIVALENT,
  /** The replica allows everything the primary allows, and more. */
  REPLICA_BROADER,
  /** The replica allows nothing beyond the primary, and less. */
  REPLICA_NARROWER,
  /** Each allows something the other denies. */
  DIVERGENT,
  /** The engine cannot decide exactly; the comparison says why. */
  UNDECIDED
}
