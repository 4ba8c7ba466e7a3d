package dev.mrkpolicyguard.report;

import dev.mrkpolicyguard.engine.compare.Difference;
import dev.mrkpolicyguard.engine.compare.Witness;
import dev.mrkpolicyguard.engine.eval.Caller;
import dev.mrkpolicyguard.engine.rule.FindingCode;
import java.util.List;
import java.util.Map;

/** A witness of a finding as one sentence: the words the audit and check-iac reports share. */
public final class WitnessWords {
  private WitnessWords() {}

  /** One witness of a finding with {@code code} as a sentence, without the explanation. */
  public static String witness(FindingCode code, Difference d) {
    Witness w = d.witness();
    StringBuilder s = new StringBuilder(w.caller().text());
    s.append(
        switch (code) {
          case REPLICA_GRANTS_MORE, BASELINE_CEILING_EXCEEDED -> " may ";
          case REPLICA_GRANTS_LESS -> " may no longer ";
          default -> " is not allowed to ";
        });
    s.append(w.action());
    if (!w.context().isEmpty()) {
      s.append(" with ");
      boolean first = true;
      for (Map.Entry<String, List<String>> e : w.context().entrySet()) {
        s.append(first ? "" : ", ").append(e.getKey()).append('=');
        s.append(e.getValue().size() == 1 ? e.getValue().get(0) : e.getValue().toString());
        first = false;
      }
    }
    if (w.caller() instanceof Caller.Iam) {
      s.append(
          w.identityPolicyAllows()
              ? " (its IAM policies allow it)"
              : " (with no IAM policy allowing it)");
    }
    return s.toString();
  }
}
