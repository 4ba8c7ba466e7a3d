package dev.mrkpolicyguard.engine.eval;

/**
 * How a statement's principal element covers a caller. KMS Developer Guide, "Allows access to the
 * AWS account and enables IAM policies": naming an account delegates to that account's IAM
 * policies; naming a principal directly (or {@code "*"}) grants without an IAM policy inside the
 * key's own account.
 */
public enum PrincipalMatch {
  /** The statement does not apply to the caller. */
  NONE,
  /** The caller's account is named: the grant needs an IAM policy allowing the action. */
  DELEGATED,
  /** The caller is named directly or by {@code "*"}. */
  DIRECT
}
