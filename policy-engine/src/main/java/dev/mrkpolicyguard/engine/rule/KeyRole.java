package dev.mrkpolicyguard.engine.rule;

/** A KMS key's place among multi-Region keys. */
public enum KeyRole {
  /** A single-Region key. */
  SINGLE_REGION,
  /** The primary of a multi-Region key. */
  PRIMARY,
  /** A replica of a multi-Region key. */
  REPLICA
}
