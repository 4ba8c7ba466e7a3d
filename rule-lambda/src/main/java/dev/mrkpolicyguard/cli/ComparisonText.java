package dev.mrkpolicyguard.cli;

import dev.mrkpolicyguard.cli.common.TerminalText;
import dev.mrkpolicyguard.engine.compare.Comparison;
import dev.mrkpolicyguard.engine.compare.Difference;
import dev.mrkpolicyguard.engine.compare.Direction;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.rule.FindingWords;

/**
 * The text form of a comparison: what a security engineer reads first. Every value taken from the
 * policies (statement ids, principals, condition values) is escaped for the terminal, so a crafted
 * statement id cannot rewrite the verdict on the screen.
 */
final class ComparisonText {
  private ComparisonText() {}

  static String render(Comparison comparison, KeyContext primary, KeyContext replica) {
    StringBuilder out = new StringBuilder();
    out.append(headline(comparison, primary, replica)).append('\n');
    int n = 1;
    for (Difference d : comparison.differences()) {
      String who = d.direction() == Direction.REPLICA_ONLY ? "replica only" : "primary only";
      out.append(
          String.format(
              "%n%d. [%s, %s] %s%n",
              n++,
              who,
              d.kind().name().toLowerCase(),
              TerminalText.escape(FindingWords.witness(d))));
      if (d.witness().moved()) {
        out.append("   on the primary (")
            .append(primary.region())
            .append(") the same request is ")
            .append(TerminalText.escape(FindingWords.primaryRequest(d)))
            .append('\n');
      }
      out.append("   because ").append(TerminalText.escape(d.explanation())).append('\n');
    }
    if (comparison.reason() != null) {
      out.append("reason: ").append(TerminalText.escape(comparison.reason())).append('\n');
    }
    return out.toString();
  }

  private static String headline(Comparison c, KeyContext primary, KeyContext replica) {
    String where =
        TerminalText.escape(
            "replica in " + replica.region() + " vs primary in " + primary.region());
    return switch (c.verdict()) {
      case EQUIVALENT -> "EQUIVALENT: the " + where + " allow exactly the same requests.";
      case REPLICA_BROADER -> "REPLICA_BROADER: the " + where + ": the replica allows more.";
      case REPLICA_NARROWER -> "REPLICA_NARROWER: the " + where + ": the replica allows less.";
      case DIVERGENT -> "DIVERGENT: the " + where + ": each allows requests the other denies.";
      case UNDECIDED -> "UNDECIDED: the " + where + " could not be compared exactly.";
    };
  }
}
