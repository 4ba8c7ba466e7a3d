package dev.mrkpolicyguard.engine.policy;

/** The {@code Effect} of a statement. */
public enum Effect {
  ALLOW,
  DENY
}
