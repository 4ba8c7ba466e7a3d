package dev.mrkpolicyguard.iac;

import dev.mrkpolicyguard.cli.common.TerminalText;
import dev.mrkpolicyguard.engine.compare.Difference;
import dev.mrkpolicyguard.engine.rule.Finding;
import dev.mrkpolicyguard.engine.rule.FindingWords;
import dev.mrkpolicyguard.engine.rule.KeyEvaluation;

/**
 * {@code check-iac}'s text output: one block per multi-Region key, then a summary. Everything that
 * comes from an input (file names, logical IDs, policy values in witnesses) is made printable.
 */
public final class IacTextReport {
  /** Witnesses shown per finding; JSON and SARIF carry them all. */
  static final int WITNESSES = 3;

  private IacTextReport() {}

  /** Renders {@code report}. */
  public static String render(IacReport report) {
    StringBuilder out = new StringBuilder();
    for (IacReport.Checked c : report.checked()) {
      IacResource r = c.resource();
      out.append(TerminalText.escape(r.location().toString()))
          .append(": ")
          .append(TerminalText.escape(r.name()))
          .append(" (")
          .append(r.type())
          .append(r.region() == null ? "" : " in " + TerminalText.escape(r.region()))
          .append(")");
      if (c.outcome() instanceof IacReport.Outcome.Judged j) {
        judged(out, r, j);
      } else {
        IacReport.Outcome.NotJudged n = (IacReport.Outcome.NotJudged) c.outcome();
        out.append(" NOT JUDGED\n  ")
            .append(n.code().name())
            .append(": ")
            .append(TerminalText.escape(n.reason()))
            .append('\n');
      }
    }
    if (!report.checked().isEmpty()) {
      out.append('\n');
    }
    out.append(summary(report)).append('\n');
    return out.toString();
  }

  /** One line: how many keys, how many of each outcome. */
  public static String summary(IacReport report) {
    int n = report.checked().size();
    return n
        + " multi-Region key"
        + (n == 1 ? "" : "s")
        + " in "
        + report.inputs().size()
        + " input"
        + (report.inputs().size() == 1 ? "" : "s")
        + ": "
        + report.compliant()
        + " compliant, "
        + report.nonCompliant()
        + " non-compliant, "
        + report.notJudged()
        + " not judged"
        + (report.outOfTime() == 0
            ? ""
            : "; "
                + report.outOfTime()
                + " of the non-compliant ran out of their comparison time budget (--time-budget)")
        + ".";
  }

  private static void judged(StringBuilder out, IacResource r, IacReport.Outcome.Judged j) {
    KeyEvaluation e = j.evaluation();
    if (j.primary() != null) {
      out.append(", replica of ").append(TerminalText.escape(j.primary()));
    }
    out.append(' ').append(e.compliance().name()).append('\n');
    for (String note : j.notes()) {
      out.append("  note: ").append(TerminalText.escape(note)).append('\n');
    }
    if (e.findings().isEmpty()) {
      out.append("  ").append(TerminalText.escape(e.annotation())).append('\n');
    }
    for (Finding f : e.findings()) {
      out.append("  ")
          .append(f.code().name())
          .append(": ")
          .append(TerminalText.escape(f.summary()))
          .append('\n');
      int shown = 0;
      for (Difference d : f.differences()) {
        if (shown++ == WITNESSES) {
          out.append("    ... ")
              .append(f.differences().size() - WITNESSES)
              .append(" more (--format json lists every one)\n");
          break;
        }
        out.append("    - ")
            .append(TerminalText.escape(FindingWords.witness(f.code(), d)))
            .append("\n      because ")
            .append(TerminalText.escape(d.explanation()))
            .append('\n');
      }
      out.append("    fix: ")
          .append(TerminalText.escape(IacWords.fix(f.code(), r.region())))
          .append('\n');
    }
  }
}
