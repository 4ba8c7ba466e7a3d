package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.engine.compare.Difference;
import dev.mrkpolicyguard.engine.eval.CompiledPolicy;
import dev.mrkpolicyguard.engine.eval.CompiledStatement;
import dev.mrkpolicyguard.engine.eval.Decision;
import dev.mrkpolicyguard.engine.eval.Evaluator;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.parse.ParseResult;
import dev.mrkpolicyguard.engine.parse.PolicyParser;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import dev.mrkpolicyguard.engine.rule.Compliance;
import dev.mrkpolicyguard.engine.rule.Finding;
import dev.mrkpolicyguard.engine.rule.FindingCode;
import dev.mrkpolicyguard.engine.rule.FindingWords;
import dev.mrkpolicyguard.engine.rule.KeyFacts;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTML form of an audit: one self-contained page (inline CSS, no scripts, no external assets)
 * with the summary counts, the verdict of every multi-Region key, and for each non-compliant key
 * its witnesses in plain words; a drifted replica's policy is shown beside its primary's with the
 * statements that decide each witness highlighted. All policy text is escaped.
 */
final class HtmlReport {
  private static final String CSS =
      """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1b1f24}
      h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}
      h3{font-size:15px;margin:20px 0 6px}.meta{color:#57606a;margin:0 0 16px}
      .counts{display:flex;flex-wrap:wrap;gap:10px;padding:0;list-style:none}
      .counts li{border:1px solid #d0d7de;border-radius:6px;padding:8px 14px;min-width:110px}
      .counts .n{display:block;font-size:24px;font-weight:600}
      .c-compliant .n{color:#1a7f37}.c-non-compliant .n{color:#cf222e}
      .c-unreadable .n{color:#9a6700}
      table{border-collapse:collapse;width:100%}
      th,td{border-bottom:1px solid #d0d7de;padding:5px 8px;text-align:left;vertical-align:top}
      th{background:#f6f8fa}code{font:12px ui-monospace,Menlo,Consolas,monospace}
      td code,.v,td:nth-child(3),td:nth-child(5){white-space:nowrap}
      .v{font-weight:600;white-space:nowrap}.v-COMPLIANT{color:#1a7f37}
      .v-NON_COMPLIANT{color:#cf222e}.v-DEFERRED,.v-NOT_APPLICABLE{color:#57606a}
      .v-NOT_EVALUATED{color:#9a6700}
      .witnesses li{margin:4px 0}.why{color:#57606a}
      .code{font:600 12px ui-monospace,Menlo,Consolas,monospace}
      .side{display:grid;grid-template-columns:1fr 1fr;gap:12px}
      .side .pane h4{margin:6px 0;font-size:13px;min-height:2.9em}.pane h4{margin:6px 0;font-size:13px}
      .policy{font:12px/1.35 ui-monospace,Menlo,Consolas,monospace;background:#f6f8fa;
        border:1px solid #d0d7de;border-radius:6px;padding:8px;white-space:pre-wrap;
        word-break:break-all;margin:0}
      .stmt{display:block;border-left:4px solid;margin-left:-8px;padding-left:4px}
      .stmt.allows{background:#fff8c5;border-color:#bf8700}
      .stmt.denies{background:#ffebe9;border-color:#cf222e}
      .mark{font:600 11px system-ui,sans-serif;border-radius:4px;padding:0 5px;margin-right:4px}
      .mark.allows{background:#bf8700;color:#fff}.mark.denies{background:#cf222e;color:#fff}
      """;

  private final Evaluator evaluator = new Evaluator();
  private final PolicyParser parser = new PolicyParser();

  String render(AuditReport report) {
    Snapshot snapshot = report.snapshot();
    StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n");
    out.append("<meta charset=\"utf-8\">\n<title>KMS multi-Region key audit: account ")
        .append(Html.escape(snapshot.account()))
        .append("</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n<h1>KMS multi-Region key policy audit</h1>\n");
    return out.append(body(report)).append("</body>\n</html>\n").toString();
  }

  /** The page's content for one account, without the document around it. */
  String body(AuditReport report) {
    Snapshot snapshot = report.snapshot();
    StringBuilder out = new StringBuilder();
    out.append("<p class=\"meta\">Account ")
        .append(Html.escape(snapshot.account()))
        .append(" &middot; Regions ")
        .append(Html.escape(String.join(", ", snapshot.regions())))
        .append(
            snapshot.capturedAt() == null
                ? ""
                : " &middot; captured " + Html.escape(snapshot.capturedAt()))
        .append("</p>\n");
    summary(out, report);
    verdicts(out, report);
    details(out, report);
    return out.toString();
  }

  /** The style sheet every page of the audit shares. */
  static String css() {
    return CSS;
  }

  private static void summary(StringBuilder out, AuditReport report) {
    AuditReport.Summary s = report.summary();
    out.append("<section id=\"summary\">\n<h2>Summary</h2>\n<ul class=\"counts\">\n");
    count(out, "multi-region", s.multiRegion(), "multi-Region keys");
    count(out, "compliant", s.compliant(), "compliant");
    count(out, "non-compliant", s.nonCompliant(), "non-compliant");
    count(out, "unreadable", s.unreadable(), "could not be read");
    count(out, "deferred", s.deferred(), "deferred");
    count(out, "not-evaluated", s.notEvaluated(), "not evaluated");
    count(out, "not-applicable", s.notApplicable(), "not applicable");
    out.append("</ul>\n<p>").append(Html.escape(TableReport.summary(s))).append("</p>\n");
    if (!report.unjudged().isEmpty()) {
      out.append("<p>Could not be judged (something it needs could not be read):</p>\n<ul>\n");
      for (AuditReport.Unjudged u : report.unjudged()) {
        out.append("<li><code>")
            .append(Html.escape(u.subject()))
            .append("</code>: ")
            .append(Html.escape(u.reason()))
            .append("</li>\n");
      }
      out.append("</ul>\n");
    }
    out.append("</section>\n");
  }

  private static void count(StringBuilder out, String id, int n, String label) {
    out.append("<li class=\"c-")
        .append(id)
        .append("\"><span class=\"n\" id=\"count-")
        .append(id)
        .append("\">")
        .append(n)
        .append("</span>")
        .append(label)
        .append("</li>\n");
  }

  private static void verdicts(StringBuilder out, AuditReport report) {
    out.append("<section id=\"keys\">\n<h2>Multi-Region keys</h2>\n<table id=\"verdicts\">\n");
    out.append("<thead><tr><th>Alias</th><th>Key id</th><th>Region</th><th>Role</th>")
        .append("<th>Primary Region</th><th>Verdict</th><th>First finding</th></tr></thead>\n")
        .append("<tbody>\n");
    for (AuditedKey k : report.multiRegionKeys()) {
      String verdict = k.verdict();
      out.append("<tr id=\"").append(anchor(k)).append("\">");
      cell(out, Words.alias(k.key(), ""));
      out.append("<td><code>").append(Html.escape(k.key().keyId())).append("</code></td>");
      cell(out, k.key().region());
      cell(out, k.key().roleName());
      cell(out, k.key().primaryRegion() == null ? "" : k.key().primaryRegion());
      out.append("<td class=\"v v-").append(verdict).append("\">").append(verdict).append("</td>");
      out.append("<td>");
      if (k.evaluation() == null) {
        out.append(Html.escape(k.notEvaluated()));
      }
      k.firstFinding()
          .ifPresent(
              f ->
                  out.append("<a class=\"code\" href=\"#detail-")
                      .append(anchor(k))
                      .append("\">")
                      .append(f.code().name())
                      .append("</a> ")
                      .append(Html.escape(f.summary())));
      out.append("</td></tr>\n");
    }
    out.append("</tbody>\n</table>\n</section>\n");
  }

  private static void cell(StringBuilder out, String text) {
    out.append("<td>").append(Html.escape(text)).append("</td>");
  }

  private void details(StringBuilder out, AuditReport report) {
    out.append("<section id=\"details\">\n<h2>Findings</h2>\n");
    for (AuditedKey k : report.multiRegionKeys()) {
      if (k.evaluation() != null && k.evaluation().compliance() == Compliance.NON_COMPLIANT) {
        detail(out, k, k.key().described() ? report.snapshot().facts(k.key()) : null);
      }
    }
    out.append("</section>\n");
  }

  private void detail(StringBuilder out, AuditedKey k, KeyFacts facts) {
    SnapshotKey key = k.key();
    out.append("<article id=\"detail-").append(anchor(k)).append("\">\n<h3>");
    out.append(Html.escape(Words.alias(key, "(no alias)"))).append(" &middot; <code>");
    out.append(Html.escape(key.keyId())).append("</code> in ").append(Html.escape(key.region()));
    out.append(" (").append(key.roleName().toLowerCase(Locale.ROOT)).append(")</h3>\n<ol>\n");
    Map<Difference, String> labels = new IdentityHashMap<>();
    for (Finding f : k.findings()) {
      out.append("<li><span class=\"code\">").append(f.code().name()).append("</span> ");
      out.append(Html.escape(f.summary()));
      if (!f.differences().isEmpty()) {
        out.append("\n<ul class=\"witnesses\">\n");
        for (Difference d : f.differences()) {
          String label = "W" + (labels.size() + 1);
          labels.put(d, label);
          out.append("<li><b>").append(label).append("</b> ");
          out.append(Html.escape(FindingWords.witness(f.code(), d)));
          out.append("<br><span class=\"why\">because ").append(Html.escape(d.explanation()));
          out.append("</span></li>\n");
        }
        out.append("</ul>");
      }
      out.append("</li>\n");
    }
    out.append("</ol>\n");
    policies(out, k, facts, labels);
    out.append("</article>\n");
  }

  /**
   * The key's policy, beside its primary's for a replica whose comparison found drift; nothing for
   * a key that could not be described ({@code facts} null).
   */
  private void policies(
      StringBuilder out, AuditedKey k, KeyFacts facts, Map<Difference, String> labels) {
    if (facts == null || !(facts.policy() instanceof PolicyFact.Known own)) {
      return;
    }
    KeyContext key = new KeyContext(k.key().arn());
    if (facts.role() == dev.mrkpolicyguard.engine.rule.KeyRole.REPLICA) {
      key = key.asReplica();
    } else if (facts.role() == dev.mrkpolicyguard.engine.rule.KeyRole.PRIMARY) {
      key = key.asPrimary();
    }
    KeyPolicy policy = parse(own.json());
    Map<Integer, List<PolicyView.Mark>> ownMarks = new HashMap<>();
    Map<Integer, List<PolicyView.Mark>> primaryMarks = new HashMap<>();
    boolean drift = false;
    CompiledPolicy primary = null;
    if (facts.primaryPolicy() instanceof PolicyFact.Known known && parse(known.json()) != null) {
      // Each policy on its own key: the deciding statements of the primary's policy are those
      // of the corresponding request to the primary key.
      primary =
          new CompiledPolicy(parse(known.json()), new KeyContext(facts.primaryArn()).asPrimary());
    }
    for (Finding f : k.findings()) {
      boolean comparison =
          f.code() == FindingCode.REPLICA_GRANTS_MORE
              || f.code() == FindingCode.REPLICA_GRANTS_LESS;
      drift |= comparison && primary != null;
      for (Difference d : f.differences()) {
        if (policy != null && (comparison || f.code() == FindingCode.BASELINE_CEILING_EXCEEDED)) {
          mark(new CompiledPolicy(policy, key), d.witness().toRequest(), labels.get(d), ownMarks);
        }
        if (comparison && primary != null) {
          mark(primary, d.witness().toPrimaryRequest(), labels.get(d), primaryMarks);
        }
      }
    }
    String region = k.key().region();
    if (!drift) {
      out.append("<div class=\"pane\"><h4>Key policy in ").append(Html.escape(region));
      out.append("</h4>\n").append(PolicyView.render(own.json(), ownMarks)).append("</div>\n");
      return;
    }
    String primaryJson = ((PolicyFact.Known) facts.primaryPolicy()).json();
    String primaryRegion = new KeyContext(facts.primaryArn()).region();
    out.append("<div class=\"side\">\n<div class=\"pane\"><h4>Primary in ")
        .append(Html.escape(primaryRegion))
        .append(" (as captured; judged on the primary key, requests moved to ")
        .append(Html.escape(primaryRegion))
        .append(")</h4>\n")
        .append(PolicyView.render(primaryJson, primaryMarks))
        .append("</div>\n<div class=\"pane\"><h4>Replica in ")
        .append(Html.escape(region))
        .append("</h4>\n")
        .append(PolicyView.render(own.json(), ownMarks))
        .append("</div>\n</div>\n");
  }

  /** Marks the statements that decide {@code d} in {@code policy}: the allows, or the denies. */
  private void mark(
      CompiledPolicy policy,
      dev.mrkpolicyguard.engine.eval.Request request,
      String label,
      Map<Integer, List<PolicyView.Mark>> out) {
    Evaluator.Outcome outcome = evaluator.evaluate(policy, request);
    for (CompiledStatement s : outcome.deciding()) {
      out.computeIfAbsent(s.source().index(), i -> new ArrayList<>())
          .add(new PolicyView.Mark(label, outcome.decision() == Decision.ALLOW));
    }
  }

  private KeyPolicy parse(String json) {
    return parser.parse(json) instanceof ParseResult.Parsed parsed ? parsed.policy() : null;
  }

  private static String anchor(AuditedKey k) {
    return Html.escape(k.key().keyId() + "-" + k.key().region());
  }
}
