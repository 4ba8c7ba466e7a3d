package dev.mrkpolicyguard.reconcile;

import java.util.List;

/**
 * What one reconcile run did.
 *
 * @param activeAccounts ACTIVE accounts of the organisation (0 when they could not be listed)
 * @param added accounts whose statement was added (or found added by a concurrent run)
 * @param removed statement ids removed (or found already gone)
 * @param leftOut ACTIVE accounts without a statement because the policy would pass 20 KB
 * @param blocked ACTIVE accounts whose statement id is taken by a statement that does not cover
 *     them
 * @param failures calls that failed, each {@code what: Code: message}; the run then fails
 * @param policyBytes the policy's estimated size after the run
 * @param packFailedAccounts member accounts where the organization pack failed, each {@code ACCOUNT
 *     STATUS [ErrorCode][: message]}
 * @param packRePut the command that puts the pack again ("" when none failed or no pack is set)
 */
public record ReconcileReport(
    int activeAccounts,
    List<String> added,
    List<String> removed,
    List<String> leftOut,
    List<String> blocked,
    List<String> failures,
    int policyBytes,
    List<String> packFailedAccounts,
    String packRePut) {
  public ReconcileReport {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    leftOut = List.copyOf(leftOut);
    blocked = List.copyOf(blocked);
    failures = List.copyOf(failures);
    packFailedAccounts = List.copyOf(packFailedAccounts);
  }

  /** A run that could not start: nothing was changed. */
  static ReconcileReport failed(String failure) {
    return new ReconcileReport(
        0, List.of(), List.of(), List.of(), List.of(), List.of(failure), 0, List.of(), "");
  }
}
