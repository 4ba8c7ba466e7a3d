package dev.mrkpolicyguard.reconcile;

/** Lets the deployment contract tests measure one statement as the plan does. */
public final class PermissionPlanTestAccess {
  private PermissionPlanTestAccess() {}

  public static int statementBytes(String account, String aliasArn) {
    return PermissionPlan.statementBytes(account, aliasArn);
  }
}
