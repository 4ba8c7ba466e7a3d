package dev.mrkpolicyguard.engine.rule;

import dev.mrkpolicyguard.engine.compare.Difference;
import java.util.List;
import java.util.Objects;

/**
 * One reason a key is non-compliant.
 *
 * @param code the stable finding code
 * @param summary one short sentence, used in the 256-character annotation
 * @param differences the witness requests behind it (empty when there are none)
 */
public record Finding(FindingCode code, String summary, List<Difference> differences) {
  public Finding {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(summary, "summary");
    differences = List.copyOf(differences);
  }
}
