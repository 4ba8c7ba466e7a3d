package dev.mrkpolicyguard.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.cli.common.TerminalText;
import dev.mrkpolicyguard.report.SafeJson;
import java.util.List;
import java.util.Objects;

/**
 * The audit of several accounts as one report: each account's own audit, or why it could not be
 * read, and an organisation summary. An account that could not be read makes the whole run partial
 * (exit 4), as a key that could not be read does.
 *
 * @param accounts every account asked for, in the order given
 */
record OrganizationReport(List<Account> accounts) {
  private static final ObjectMapper MAPPER = SafeJson.indented();

  OrganizationReport {
    accounts = List.copyOf(accounts);
  }

  /**
   * One account of the run.
   *
   * @param account the 12-digit account id
   * @param report its audit, or {@code null} when it could not be read
   * @param reason why it could not be read, or {@code null}
   */
  record Account(String account, AuditReport report, String reason) {
    Account {
      Objects.requireNonNull(account, "account");
      if ((report == null) == (reason == null)) {
        throw new IllegalArgumentException("exactly one of report and reason");
      }
    }
  }

  /** The key counts of every account read, added up. */
  AuditReport.Summary summary() {
    int[] sum = new int[10];
    for (Account a : read()) {
      AuditReport.Summary s = a.report().summary();
      int[] one = {
        s.keys(),
        s.multiRegion(),
        s.primaries(),
        s.replicas(),
        s.compliant(),
        s.nonCompliant(),
        s.deferred(),
        s.notApplicable(),
        s.notEvaluated(),
        s.unreadable()
      };
      for (int i = 0; i < sum.length; i++) {
        sum[i] += one[i];
      }
    }
    return new AuditReport.Summary(
        sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], sum[6], sum[7], sum[8], sum[9]);
  }

  /** The accounts that could be read. */
  List<Account> read() {
    return accounts.stream().filter(a -> a.report() != null).toList();
  }

  /** The accounts that could not be read, with why. */
  List<Account> unread() {
    return accounts.stream().filter(a -> a.report() == null).toList();
  }

  /**
   * {@link AuditReport#PARTIAL} when an account, or a key of one, could not be read; else {@link
   * AuditReport#FINDINGS} when some key is non-compliant; else {@link AuditReport#ALL_COMPLIANT}.
   */
  int exitCode() {
    if (!unread().isEmpty()
        || read().stream().anyMatch(a -> a.report().exitCode() == AuditReport.PARTIAL)) {
      return AuditReport.PARTIAL;
    }
    return read().stream().anyMatch(a -> a.report().exitCode() == AuditReport.FINDINGS)
        ? AuditReport.FINDINGS
        : AuditReport.ALL_COMPLIANT;
  }

  /** The organisation line, e.g. {@code 3 accounts: 2 read, 1 could not be read.}. */
  String accountsLine() {
    return accounts.size()
        + " accounts: "
        + read().size()
        + " read, "
        + unread().size()
        + " could not be read.";
  }

  /** A table per account, then the organisation summary and the accounts not read. */
  String table() {
    StringBuilder out = new StringBuilder();
    for (Account a : accounts) {
      out.append("== Account ").append(a.account()).append(" ==\n");
      if (a.report() == null) {
        out.append("Could not be read: ").append(TerminalText.escape(a.reason())).append("\n\n");
      } else {
        out.append(TableReport.render(a.report())).append('\n');
      }
    }
    out.append("== Organisation ==\n").append(accountsLine()).append('\n');
    out.append(TableReport.summary(summary())).append('\n');
    if (!unread().isEmpty()) {
      out.append("\nAccounts that could not be read:\n");
      for (Account a : unread()) {
        out.append("  ").append(TerminalText.escape(a.account() + ": " + a.reason())).append('\n');
      }
    }
    return out.toString();
  }

  /** One JSON object: the organisation summary, each account's report, the accounts not read. */
  String json() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("reportVersion", JsonReport.REPORT_VERSION);
    ObjectNode organisation = root.putObject("organization");
    organisation.put("accounts", accounts.size());
    organisation.put("accountsRead", read().size());
    organisation.put("accountsUnread", unread().size());
    ObjectNode summary = organisation.putObject("summary");
    AuditReport.Summary s = summary();
    summary.put("keys", s.keys()).put("multiRegion", s.multiRegion());
    summary.put("primaries", s.primaries()).put("replicas", s.replicas());
    summary.put("compliant", s.compliant()).put("nonCompliant", s.nonCompliant());
    summary.put("deferred", s.deferred()).put("notApplicable", s.notApplicable());
    summary.put("notEvaluated", s.notEvaluated()).put("unreadable", s.unreadable());
    root.put("exitCode", exitCode());
    ArrayNode list = root.putArray("accounts");
    ArrayNode unreadAccounts = root.putArray("unreadAccounts");
    try {
      for (Account a : accounts) {
        ObjectNode entry = list.addObject().put("account", a.account());
        if (a.report() == null) {
          entry.put("reason", a.reason());
          unreadAccounts.addObject().put("account", a.account()).put("reason", a.reason());
        } else {
          entry.set("report", MAPPER.readTree(JsonReport.render(a.report())));
        }
      }
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the audit as JSON", e);
    }
  }

  /** One self-contained page: the organisation summary, then a section per account. */
  String html() {
    StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n");
    out.append("<meta charset=\"utf-8\">\n<title>KMS multi-Region key audit: ")
        .append(accounts.size())
        .append(" accounts</title>\n<style>\n")
        .append(HtmlReport.css())
        .append("</style>\n</head>\n<body>\n<h1>KMS multi-Region key policy audit</h1>\n");
    out.append("<section id=\"organization\">\n<h2>Organisation</h2>\n<p>")
        .append(Html.escape(accountsLine()))
        .append("</p>\n<p>")
        .append(Html.escape(TableReport.summary(summary())))
        .append("</p>\n<ul>\n");
    for (Account a : accounts) {
      out.append("<li><a href=\"#account-")
          .append(a.account())
          .append("\">")
          .append(a.account())
          .append("</a>: ")
          .append(
              Html.escape(
                  a.report() == null
                      ? "could not be read: " + a.reason()
                      : TableReport.summary(a.report().summary())))
          .append("</li>\n");
    }
    out.append("</ul>\n</section>\n");
    HtmlReport page = new HtmlReport();
    for (Account a : accounts) {
      out.append("<section id=\"account-")
          .append(a.account())
          .append("\">\n<h2>Account ")
          .append(a.account())
          .append("</h2>\n");
      if (a.report() == null) {
        out.append("<p>Could not be read: ").append(Html.escape(a.reason())).append("</p>\n");
      } else {
        out.append(scoped(page.body(a.report()), "a" + a.account() + "-"));
      }
      out.append("</section>\n");
    }
    return out.append("</body>\n</html>\n").toString();
  }

  /**
   * {@code body} with its element ids and in-page links prefixed, so the sections of several
   * accounts keep unique ids. Text from policies and AWS is escaped ({@code "} as {@code &quot;}),
   * so only the report's own attributes match.
   */
  private static String scoped(String body, String prefix) {
    return body.replace("id=\"", "id=\"" + prefix).replace("href=\"#", "href=\"#" + prefix);
  }
}
