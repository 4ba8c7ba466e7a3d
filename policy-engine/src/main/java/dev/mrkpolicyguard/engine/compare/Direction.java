package dev.mrkpolicyguard.engine.compare;

/** Which policy allows a request that the other denies. */
public enum Direction {
  REPLICA_ONLY,
  PRIMARY_ONLY
}
