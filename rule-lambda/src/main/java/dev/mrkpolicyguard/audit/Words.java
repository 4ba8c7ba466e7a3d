package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.engine.compare.Difference;
import dev.mrkpolicyguard.engine.compare.Witness;
import dev.mrkpolicyguard.engine.eval.Caller;
import dev.mrkpolicyguard.engine.rule.FindingCode;
import java.util.List;
import java.util.Map;

/** Witness requests in plain words, shared by the report formats. */
final class Words {
  private Words() {}

  /** Whether a finding's witnesses are requests the key allows (rather than ones it denies). */
  static boolean grants(FindingCode code) {
    return code == FindingCode.REPLICA_GRANTS_MORE || code == FindingCode.BASELINE_CEILING_EXCEEDED;
  }

  /** One witness of a finding with {@code code} as a sentence, without the explanation. */
  static String witness(FindingCode code, Difference d) {
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

  /** The first alias of a key, or {@code fallback} when it has none. */
  static String alias(SnapshotKey key, String fallback) {
    return key.aliases().isEmpty() ? fallback : key.aliases().get(0);
  }
}
