package dev.mrkpolicyguard.engine.eval;

/** The key policy's answer to one request. */
public enum Decision {
  ALLOW,
  DENY
}
