package dev.mrkpolicyguard.reconcile;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The organization conformance pack, read from the management account or a delegated administrator
 * (Config GetOrganizationConformancePackDetailedStatus and DescribeOrganizationConformancePacks,
 * every page). Failures are thrown as {@link dev.mrkpolicyguard.core.AwsCallFailed}.
 */
public interface OrganizationPack {
  /** Every member account's deployment status of pack {@code name}. */
  List<Member> members(String name);

  /** The pack's definition, what a re-put must repeat. */
  Definition definition(String name);

  /** One member account's status (OrganizationConformancePackDetailedStatus). */
  record Member(String account, String status, String errorCode, String errorMessage) {
    /** CREATE_FAILED, UPDATE_FAILED or DELETE_FAILED. */
    public boolean failed() {
      return status.endsWith("_FAILED");
    }
  }

  /** What DescribeOrganizationConformancePacks gives of a pack (not its template). */
  record Definition(
      String name,
      List<String> excludedAccounts,
      Map<String, String> inputParameters,
      Optional<String> deliveryBucket) {
    public Definition {
      excludedAccounts = List.copyOf(excludedAccounts);
      inputParameters = Map.copyOf(inputParameters);
    }
  }
}
