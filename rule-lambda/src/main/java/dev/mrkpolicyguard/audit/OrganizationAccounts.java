package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.aws.OrganizationsAccounts;
import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.cli.common.TerminalText;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * {@code audit --organization}: the ACTIVE accounts of the caller's organization
 * (organizations:ListAccounts, from the management account or a delegated administrator). The
 * accounts not ACTIVE are named on stderr, not audited.
 */
final class OrganizationAccounts {
  private OrganizationAccounts() {}

  static ReadOrError<List<String>> active(
      SdkClientFactory clients, LiveOptions live, PrintStream err) {
    List<OrganizationsAccounts.Account> all;
    try {
      all = OrganizationsAccounts.listAll(clients, live.endpoint(), live.homeRegion());
    } catch (OrganizationsAccounts.ListFailure e) {
      return ReadOrError.failed(
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
      return ReadOrError.failed("the organization lists no ACTIVE account");
    }
    err.println(
        "organization: "
            + active.size()
            + " ACTIVE account"
            + (active.size() == 1 ? "" : "s")
            + " to audit"
            + (others.length() == 0 ? "" : "; not ACTIVE, not audited: " + others));
    return ReadOrError.of(active);
  }
}
