package dev.mrkpolicyguard.engine.compare;

import java.util.List;
import java.util.Objects;

/**
 * The result of comparing two key policies.
 *
 * @param verdict the relation
 * @param differences one per difference class, most important first (empty when equivalent)
 * @param reason why the comparison is undecided, else {@code null}
 */
public record Comparison(Verdict verdict, List<Difference> differences, String reason) {
  public Comparison {
    Objects.requireNonNull(verdict, "verdict");
    differences = List.copyOf(differences);
    if ((verdict == Verdict.UNDECIDED) != (reason != null)) {
      throw new IllegalArgumentException("a reason is given exactly for UNDECIDED");
    }
  }
}
