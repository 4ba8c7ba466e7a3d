package dev.mrkpolicyguard.iac;

/**
 * Why a resource of a template or plan could not be judged before it is deployed. Stable codes,
 * next to the engine's {@code FindingCode}s (docs/findings.md, "Deploy-time checks").
 */
public enum IacCode {
  /** The policy depends on values Terraform knows only after apply ({@code after_unknown}). */
  POLICY_UNKNOWN_UNTIL_APPLY,
  /** An intrinsic function, parameter or reference has no value before deployment. */
  INTRINSIC_UNRESOLVED,
  /** The replica's primary is neither in the inputs nor given by --primary-policy or --live. */
  PRIMARY_NOT_IN_INPUTS,
  /** The Region a resource will be created in is not known (give --region). */
  REGION_UNKNOWN,
  /** The primary's live policy could not be read (--live). */
  PRIMARY_POLICY_UNREADABLE,
  /** The account is not known and the policies name too many accounts to try each. */
  ACCOUNT_UNKNOWN
}
