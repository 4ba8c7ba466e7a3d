package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.core.AwsCallFailed;
import dev.mrkpolicyguard.reconcile.AccountDirectory;
import dev.mrkpolicyguard.reconcile.OrgAccount;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * {@link AccountDirectory} over {@link OrganizationsAccounts} (ListAccounts, every page, with the
 * function's own credentials): "This operation can be called only from the organization's
 * management account or by a member account that is a delegated administrator" (Organizations API
 * ListAccounts).
 */
public final class OrganizationsDirectory implements AccountDirectory {
  private final SdkClientFactory clients;
  private final URI endpointOrNull;
  private final String homeRegion;

  public OrganizationsDirectory(SdkClientFactory clients, URI endpointOrNull, String homeRegion) {
    this.clients = Objects.requireNonNull(clients, "clients");
    this.endpointOrNull = endpointOrNull;
    this.homeRegion = Objects.requireNonNull(homeRegion, "homeRegion");
  }

  @Override
  public List<OrgAccount> accounts() {
    try {
      return OrganizationsAccounts.listAll(clients, endpointOrNull, homeRegion).stream()
          .map(a -> new OrgAccount(a.id(), a.state()))
          .toList();
    } catch (OrganizationsAccounts.ListFailure e) {
      throw new AwsCallFailed(
          "ListAccounts " + e.code() + ": " + e.getMessage(), e.getMessage(), e);
    }
  }
}
