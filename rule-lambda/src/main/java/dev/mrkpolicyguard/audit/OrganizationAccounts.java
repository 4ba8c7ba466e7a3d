package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.aws.OrganizationsAccounts;
import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.cli.common.TerminalText;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;

/**
 * {@code audit --organization}: the ACTIVE accounts of the caller's organization
 * (organizations:ListAccounts, from the management account or a delegated administrator). The
 * accounts not ACTIVE are named on stderr, not audited.
 */
final class OrganizationAccounts {
  private OrganizationAccounts() {}

  static Loaded<List<String>> active(SdkClientFactory clients, LiveOptions live, PrintStream err) {
    List<OrganizationsAccounts.Account> all;
    try (UrlConnectionHttpClient http =
        (UrlConnectionHttpClient) UrlConnectionHttpClient.create()) {
      all =
          new OrganizationsAccounts(
                  http,
                  live.endpoint(),
                  partition(live.homeRegion()),
                  clients.ownCredentials(),
                  Thread::sleep)
              .list();
    } catch (OrganizationsAccounts.ListFailure e) {
      return Loaded.failed(
          "cannot list the organization's accounts with organizations:ListAccounts ("
              + TerminalText.escape(e.code())
              + "): "
              + TerminalText.escape(e.getMessage())
              + "; run it from the management account or a delegated administrator");
    }
    List<String> active = new ArrayList<>();
    StringJoiner others = new StringJoiner(", ");
    for (OrganizationsAccounts.Account account : all) {
      if (account.active()) {
        if (!active.contains(account.id())) {
          active.add(account.id());
        }
      } else {
        others.add(TerminalText.escape(account.id() + " (" + account.state() + ")"));
      }
    }
    if (active.isEmpty()) {
      return Loaded.failed("the organization lists no ACTIVE account");
    }
    err.println(
        "organization: "
            + active.size()
            + " ACTIVE account"
            + (active.size() == 1 ? "" : "s")
            + " to audit"
            + (others.length() == 0 ? "" : "; not ACTIVE, not audited: " + others));
    return Loaded.of(active);
  }

  /** The partition of {@code region}: aws, aws-us-gov or aws-cn. */
  static String partition(String region) {
    RegionMetadata metadata = Region.of(region).metadata();
    if (metadata != null) {
      return metadata.partition().id();
    }
    return region.startsWith("us-gov-")
        ? "aws-us-gov"
        : region.startsWith("cn-") ? "aws-cn" : "aws";
  }
}
