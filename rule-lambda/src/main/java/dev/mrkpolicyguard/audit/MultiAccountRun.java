package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.aws.AccountReads;
import dev.mrkpolicyguard.aws.AccountRoles;
import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.cli.common.Arguments;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code audit --accounts} and {@code export --accounts} share: the accounts and role from the
 * options, the caller's own identity (its partition names the roles), and the capture of every
 * account through its role.
 *
 * @param accounts the 12-digit account ids, in the order given, without repeats
 * @param roleName the name of the read-only role in every account (cloudformation/audit-role.yaml)
 */
record MultiAccountRun(List<String> accounts, String roleName) {
  private static final String ROLE_NAME = "[\\w+=,.@-]{1,64}";

  MultiAccountRun {
    accounts = List.copyOf(accounts);
  }

  /**
   * Which of {@code --accounts}, {@code --role-name} and {@code --regions} are missing or alone.
   */
  static String conflicts(Arguments options) {
    boolean organization = options.flag("organization");
    if (organization && options.has("accounts")) {
      return "--accounts and --organization cannot be used together: name the accounts, or audit"
          + " every ACTIVE account of the organization";
    }
    boolean accounts = options.has("accounts") || organization;
    String source = organization ? "--organization" : "--accounts";
    if (accounts && !options.has("role-name")) {
      return source
          + " needs --role-name NAME: the read-only role to assume in each account"
          + " (cloudformation/audit-role.yaml)";
    }
    if (!accounts && options.has("role-name")) {
      return "--role-name goes with --accounts ID,ID or --organization (the accounts to assume it"
          + " in)";
    }
    if (accounts && !options.has("regions")) {
      return source + " needs --regions R1,R2: the Regions to read in every account";
    }
    return null;
  }

  /** The same role in other accounts: those of the organization, listed at run time. */
  MultiAccountRun withAccounts(List<String> listed) {
    return new MultiAccountRun(listed, roleName);
  }

  /** Reads {@code --accounts} and {@code --role-name}. */
  static ReadOrError<MultiAccountRun> parse(Arguments options) {
    List<String> accounts = new ArrayList<>();
    String given = options.flag("organization") ? "" : options.get("accounts").orElse("");
    for (String part :
        given.isEmpty() && options.flag("organization") ? new String[0] : given.split(",", -1)) {
      String account = part.trim();
      if (!account.matches("\\d{12}")) {
        return ReadOrError.failed(
            "--accounts takes 12-digit account ids separated by commas (e.g."
                + " 111122223333,444455556666); '"
                + account
                + "' is not one");
      }
      if (accounts.contains(account)) {
        return ReadOrError.failed("--accounts lists " + account + " twice");
      }
      accounts.add(account);
    }
    String roleName = options.get("role-name").orElse("");
    if (!roleName.matches(ROLE_NAME)) {
      return ReadOrError.failed(
          "--role-name takes an IAM role name (1 to 64 of letters, digits and +=,.@_-), not '"
              + roleName
              + "'");
    }
    return ReadOrError.of(new MultiAccountRun(accounts, roleName));
  }

  /**
   * Captures every account in {@code live}'s Regions, progress on {@code err}; fails (exit 2) only
   * when the caller's own credentials cannot identify it, as a one-account run does.
   */
  ReadOrError<List<AccountCapture>> capture(
      SdkClientFactory clients, LiveOptions live, PrintStream err) {
    AccountReads.Caller caller = AccountReads.caller(clients, live.homeRegion());
    if (caller instanceof AccountReads.Caller.Failed failed) {
      return ReadOrError.failed(failed.explanation());
    }
    String callerArn = ((AccountReads.Caller.Known) caller).arn();
    String partition = callerArn.split(":", -1)[1];
    AccountRoles roles = new AccountRoles(clients, roleName);
    return ReadOrError.of(
        new MultiAccountCapture(account -> roles.open(partition, account), err)
            .capture(accounts, live.regionNames()));
  }
}
