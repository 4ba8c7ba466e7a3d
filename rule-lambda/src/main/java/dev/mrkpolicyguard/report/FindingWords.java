package dev.mrkpolicyguard.report;

import dev.mrkpolicyguard.engine.compare.Difference;
import dev.mrkpolicyguard.engine.compare.Direction;
import dev.mrkpolicyguard.engine.compare.Witness;
import dev.mrkpolicyguard.engine.eval.Caller;
import dev.mrkpolicyguard.engine.rule.FindingCode;
import java.util.List;
import java.util.Map;

/**
 * Witnesses of findings and differences in English: the one place their words are made, for the
 * {@code compare} text, the audit table and HTML report, {@code check-iac} (text, JSON, SARIF), the
 * CloudFormation hook and remediation messages. A witness reads {@code CALLER may ACTION with
 * KEY=VALUE, ... (its IAM policies allow it)}; "may no longer" when the replica lost the access.
 * The words are plain text with values from policies in them: whoever shows them on a terminal
 * escapes them ({@code TerminalText}).
 */
public final class FindingWords {
  private FindingWords() {}

  /** One witness of a finding with {@code code} as a sentence, without the explanation. */
  public static String witness(FindingCode code, Difference d) {
    String verb =
        switch (code) {
          case REPLICA_GRANTS_MORE, BASELINE_CEILING_EXCEEDED -> " may ";
          case REPLICA_GRANTS_LESS -> " may no longer ";
          default -> " is not allowed to ";
        };
    return sentence(d.witness(), verb);
  }

  /**
   * One difference of a comparison as a sentence: what the replica's caller may do that the
   * primary's may not ({@link Direction#REPLICA_ONLY}), or may no longer do.
   */
  public static String witness(Difference d) {
    return sentence(
        d.witness(), d.direction() == Direction.REPLICA_ONLY ? " may " : " may no longer ");
  }

  /**
   * A difference as the request it is allowed for, whatever its direction: {@code CALLER may ACTION
   * with ...}; remediation says whether writing a policy grants or revokes it.
   */
  public static String request(Difference d) {
    return sentence(d.witness(), " may ");
  }

  /** The corresponding request to the primary key: its caller and context. */
  public static String primaryRequest(Difference d) {
    Witness w = d.witness();
    return w.primaryCaller().text() + with(w.primaryContext());
  }

  /** {@code with K=V, K2=[A, B]} for a request context, or nothing when it is empty. */
  public static String with(Map<String, List<String>> context) {
    if (context.isEmpty()) {
      return "";
    }
    StringBuilder s = new StringBuilder(" with ");
    boolean first = true;
    for (Map.Entry<String, List<String>> e : context.entrySet()) {
      s.append(first ? "" : ", ").append(e.getKey()).append('=');
      s.append(e.getValue().size() == 1 ? e.getValue().get(0) : e.getValue().toString());
      first = false;
    }
    return s.toString();
  }

  private static String sentence(Witness w, String verb) {
    StringBuilder s = new StringBuilder(w.caller().text()).append(verb).append(w.action());
    s.append(with(w.context()));
    if (w.caller() instanceof Caller.Iam) {
      s.append(
          w.identityPolicyAllows()
              ? " (its IAM policies allow it)"
              : " (with no IAM policy allowing it)");
    }
    return s.toString();
  }
}
