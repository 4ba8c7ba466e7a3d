package dev.mrkpolicyguard.engine.rule;

import dev.mrkpolicyguard.engine.compare.Difference;
import dev.mrkpolicyguard.engine.compare.Direction;
import dev.mrkpolicyguard.engine.compare.Witness;
import dev.mrkpolicyguard.engine.eval.Caller;
import java.util.List;
import java.util.Map;

/**
 * Findings, their witnesses and differences in English: the one place their words are made, for the
 * Config annotations and finding summaries, the {@code compare} text, the audit table and HTML
 * report, {@code check-iac} (text, JSON, SARIF), the CloudFormation hook, {@code explain} and
 * remediation messages. A witness reads {@code CALLER may ACTION with KEY=VALUE, ... (its IAM
 * policies allow it)}; "may no longer" when the replica lost the access. The short form of a
 * summary, kept within Config's 256-character annotation, names the caller by its account (and role
 * or user when the policy names one): {@code 111122223333:role/BreakGlass may kms:Decrypt}. The
 * words are plain text with values from policies in them: whoever shows them on a terminal escapes
 * them ({@code TerminalText}), in HTML for HTML.
 */
public final class FindingWords {
  private FindingWords() {}

  /** Whether a finding's witnesses are requests the key allows (rather than ones it denies). */
  public static boolean grants(FindingCode code) {
    return code == FindingCode.REPLICA_GRANTS_MORE || code == FindingCode.BASELINE_CEILING_EXCEEDED;
  }

  /** One witness of a finding with {@code code} as a sentence, without the explanation. */
  public static String witness(FindingCode code, Difference d) {
    String verb =
        grants(code)
            ? " may "
            : code == FindingCode.REPLICA_GRANTS_LESS ? " may no longer " : " is not allowed to ";
    return sentence(d.witness(), verb);
  }

  /**
   * A request in a few words, for finding summaries and annotations: who may ({@code gains}) or may
   * no longer do what. Callers the comparison made up, and an account's root, are shown as their
   * account.
   */
  public static String brief(Difference d, boolean gains) {
    return who(d.witness().caller()) + (gains ? " may " : " may no longer ") + d.witness().action();
  }

  private static String who(Caller caller) {
    if (caller instanceof Caller.Iam iam) {
      String name = iam.text();
      String resource = name.substring(name.indexOf(':', name.indexOf("::") + 2) + 1);
      boolean generic = resource.equals("root") || iam.example();
      return generic ? iam.accountId() : iam.accountId() + ":" + resource;
    }
    if (caller instanceof Caller.Anonymous) {
      return "anyone (anonymous)";
    }
    return caller.text();
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
      s.append(values(e.getValue()));
      first = false;
    }
    return s.toString();
  }

  /** A context key's values: one as itself, several as {@code [A, B]}. */
  public static String values(List<String> values) {
    return values.size() == 1 ? values.get(0) : values.toString();
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
