package dev.mrkpolicyguard.explain;

/**
 * The kinds of policy an AccessDenied message can name (IAM User Guide, "Troubleshoot access denied
 * error messages"), with the words the message uses for each.
 */
public enum PolicyKind {
  /** The caller's IAM policies. */
  IDENTITY_POLICY("identity-based policy", "the caller's IAM policies (identity-based policies)"),
  /** For a KMS call, the key policy. */
  RESOURCE_POLICY("resource-based policy", "the key policy (a resource-based policy)"),
  /** An organization's service control policy. */
  SERVICE_CONTROL_POLICY("service control policy", "a service control policy (SCP)"),
  /** An organization's resource control policy. */
  RESOURCE_CONTROL_POLICY("resource control policy", "a resource control policy (RCP)"),
  /** The caller's permissions boundary. */
  PERMISSIONS_BOUNDARY("permissions boundary", "the caller's permissions boundary"),
  /** The policy passed when the caller's session was created. */
  SESSION_POLICY("session policy", "a session policy"),
  /** The policy of the VPC endpoint the call went through. */
  VPC_ENDPOINT_POLICY("VPC endpoint policy", "the VPC endpoint policy");

  private final String phrase;
  private final String description;

  PolicyKind(String phrase, String description) {
    this.phrase = phrase;
    this.description = description;
  }

  /** How AccessDenied messages name it, e.g. {@code service control policy}. */
  public String phrase() {
    return phrase;
  }

  /** How explain names it to a reader. */
  public String description() {
    return description;
  }
}
