package dev.mrkpolicyguard.localaws.kms;

/**
 * A lockout check that accepts every policy: chosen explicitly ({@code --lockout-check
 * permissive}).
 *
 * <p>With it the stand-in never answers the lockout-check {@code MalformedPolicyDocumentException};
 * tests of that path pass their own {@link LockoutCheck}.
 */
public final class PermissiveLockoutCheck implements LockoutCheck {
  public static final PermissiveLockoutCheck INSTANCE = new PermissiveLockoutCheck();

  private PermissiveLockoutCheck() {}

  @Override
  public boolean allowsPutKeyPolicy(String policyJson, String callerArn, String keyArn) {
    return true;
  }
}
