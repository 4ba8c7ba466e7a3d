package dev.mrkpolicyguard.remediation;

import dev.mrkpolicyguard.engine.compare.Comparison;
import dev.mrkpolicyguard.engine.compare.Difference;
import dev.mrkpolicyguard.engine.compare.Direction;
import dev.mrkpolicyguard.engine.rule.FindingWords;
import java.util.ArrayList;
import java.util.List;

/**
 * A comparison of a target policy (in the primary's place) with the replica's current one, in words
 * of what writing the target would change.
 */
final class DiffText {
  private DiffText() {}

  /** One line per difference class: "revokes: ..." or "grants: ...", with the statements. */
  static List<String> changes(Comparison comparison) {
    return changes(comparison, "primary", "replica");
  }

  /**
   * The same, naming the two policies {@code target} (in the comparison's primary place) and {@code
   * current} in the explanations: a restore compares the backup with the current policy.
   */
  static List<String> changes(Comparison comparison, String target, String current) {
    List<String> out = new ArrayList<>();
    for (Difference d : comparison.differences()) {
      boolean revokes = d.direction() == Direction.REPLICA_ONLY;
      out.add(
          (revokes ? "revokes: " : "grants: ")
              + FindingWords.request(d)
              + " ("
              + d.kind().name().toLowerCase(java.util.Locale.ROOT)
              + "; "
              + named(d.explanation(), target, current)
              + ")");
    }
    if (comparison.reason() != null) {
      out.add("undecided: " + comparison.reason());
    }
    return out;
  }

  private static String named(String explanation, String target, String current) {
    return explanation
        .replace("primary statement", target + " statement")
        .replace("replica statement", current + " statement")
        .replace("primary grants", target + " grants")
        .replace("replica grants", current + " grants");
  }
}
