package dev.mrkpolicyguard.engine.rule;

/**
 * The rule's answer for one key. AWS Config's PutEvaluations rejects INSUFFICIENT_DATA, so a key
 * that cannot be judged yet is {@link #DEFERRED}: no evaluation is posted this run, and the next
 * run decides it.
 */
public enum Compliance {
  COMPLIANT,
  NON_COMPLIANT,
  NOT_APPLICABLE,
  DEFERRED
}
