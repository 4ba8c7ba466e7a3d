package dev.mrkpolicyguard.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.aws.AccountRoles;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Captures several accounts concurrently, each through the key reads its opener gives, and keeps
 * every account in the result: one that cannot be opened or read is a {@link AccountCapture} with
 * its reason, never left out.
 */
final class MultiAccountCapture {
  /**
   * Accounts read at once. KMS quotas are per account and Region, so each account's own collector
   * bound ({@link LiveCapture#CONCURRENCY} keys) is what keeps each within its quotas; this bound
   * keeps the auditing side's threads and sts:AssumeRole calls in flight few.
   */
  static final int ACCOUNTS_AT_ONCE = 4;

  private final AccountOpener opener;
  private final PrintStream err;

  /** A capture that opens each account with {@code opener}, progress on {@code err}. */
  MultiAccountCapture(AccountOpener opener, PrintStream err) {
    this.opener = Objects.requireNonNull(opener, "opener");
    this.err = Objects.requireNonNull(err, "err");
  }

  /** Captures {@code accounts} (in that order in the result) in {@code regions}. */
  List<AccountCapture> capture(List<String> accounts, List<String> regions) {
    err.println(
        "progress: reading " + accounts.size() + " accounts, " + ACCOUNTS_AT_ONCE + " at once");
    AtomicInteger finished = new AtomicInteger();
    ExecutorService pool =
        Pools.daemons(Math.min(ACCOUNTS_AT_ONCE, accounts.size()), "mrk-policy-guard-account");
    try {
      List<Future<AccountCapture>> futures = new ArrayList<>();
      for (String account : accounts) {
        futures.add(
            pool.submit(
                () -> {
                  AccountCapture capture = one(account, regions);
                  err.println(
                      "progress: "
                          + finished.incrementAndGet()
                          + "/"
                          + accounts.size()
                          + " accounts read"
                          + (capture.reason() == null
                              ? ""
                              : " (" + account + " could not be read)"));
                  return capture;
                }));
      }
      List<AccountCapture> out = new ArrayList<>();
      for (Future<AccountCapture> future : futures) {
        out.add(Pools.join(future, "accounts"));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private AccountCapture one(String account, List<String> regions) {
    AccountRoles.Opened opened = opener.open(account);
    if (opened instanceof AccountRoles.Opened.Refused refused) {
      return AccountCapture.refused(account, refused.reason());
    }
    AccountRoles.Opened.Reader reader = (AccountRoles.Opened.Reader) opened;
    FleetCapture capture =
        new FleetCapture(reader.keys(), reader.caller(), LiveCapture.CONCURRENCY);
    PrintStream prefixed = prefixed(err, "account " + account + ": ");
    ReadOrError<ObjectNode> result =
        capture.collect(regions, new Progress(prefixed, regions, System::nanoTime));
    if (result.error() != null) {
      return AccountCapture.refused(account, result.error());
    }
    ObjectNode snapshot = result.value();
    String read = snapshot.path("account").asText();
    if (!read.equals(account)) {
      return AccountCapture.refused(
          account, "the role's session identifies as account " + read + ", not " + account);
    }
    return AccountCapture.read(account, snapshot);
  }

  /**
   * Progress lines of one account, each line led by the account so interleaved lines stay clear.
   */
  private static PrintStream prefixed(PrintStream err, String prefix) {
    return new PrintStream(OutputStream.nullOutputStream(), true) {
      @Override
      public void println(String line) {
        err.println(
            line.startsWith("progress: ")
                ? "progress: " + prefix + line.substring(10)
                : prefix + line);
      }
    };
  }
}
