package dev.mrkpolicyguard.reconcile;

import java.util.List;

/**
 * The organisation's accounts (Organizations ListAccounts, every page). Only the management account
 * or a delegated administrator may list them; a refusal or any other failure is thrown as {@link
 * dev.mrkpolicyguard.core.AwsCallFailed}, and the reconcile then changes nothing.
 */
@FunctionalInterface
public interface AccountDirectory {
  List<OrgAccount> accounts();
}
