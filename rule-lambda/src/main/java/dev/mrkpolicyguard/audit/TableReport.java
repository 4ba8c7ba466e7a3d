package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.cli.common.TerminalText;
import dev.mrkpolicyguard.engine.rule.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The table form of an audit: one row per multi-Region key, then a summary line; single-Region and
 * AWS managed keys are counted in the summary only. Every cell is escaped for the terminal before
 * the columns are measured: aliases, key ids and findings come from the snapshot.
 */
final class TableReport {
  private static final List<String> HEADER =
      List.of("ALIAS", "KEY ID", "REGION", "ROLE", "PRIMARY", "VERDICT", "FIRST FINDING");

  private TableReport() {}

  static String render(AuditReport report) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    for (AuditedKey k : report.multiRegionKeys()) {
      rows.add(
          Stream.of(
                  Words.alias(k.key(), "-"),
                  k.key().keyId(),
                  k.key().region(),
                  k.key().roleName(),
                  k.key().primaryRegion() == null ? "-" : k.key().primaryRegion(),
                  k.verdict(),
                  k.evaluation() == null
                      ? k.notEvaluated()
                      : k.firstFinding().map(TableReport::finding).orElse("-"))
              .map(TerminalText::escape)
              .toList());
    }
    int[] widths = new int[HEADER.size() - 1];
    for (List<String> row : rows) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      for (int i = 0; i < widths.length; i++) {
        out.append(String.format("%-" + widths[i] + "s  ", row.get(i)));
      }
      out.append(row.get(widths.length)).append('\n');
    }
    out.append('\n').append(summary(report.summary())).append('\n');
    List<AuditReport.Unjudged> unjudged = report.unjudged();
    if (!unjudged.isEmpty()) {
      out.append("\nCould not be judged (something it needs could not be read):\n");
      for (AuditReport.Unjudged u : unjudged) {
        out.append("  ").append(TerminalText.escape(u.subject() + ": " + u.reason())).append('\n');
      }
    }
    return out.toString();
  }

  /** The summary line, e.g. {@code 14 keys: 10 multi-Region (3 primaries, 7 replicas): ...}. */
  static String summary(AuditReport.Summary s) {
    return String.format(
        "%d keys: %d multi-Region (%d primaries, %d replicas): %d compliant, %d non-compliant,"
            + " %d deferred, %d not evaluated; %d not applicable (single-Region, AWS managed or"
            + " pending deletion); %d could not be read.",
        s.keys(),
        s.multiRegion(),
        s.primaries(),
        s.replicas(),
        s.compliant(),
        s.nonCompliant(),
        s.deferred(),
        s.notEvaluated(),
        s.notApplicable(),
        s.unreadable());
  }

  private static String finding(Finding f) {
    return f.code().name() + ": " + f.summary();
  }
}
