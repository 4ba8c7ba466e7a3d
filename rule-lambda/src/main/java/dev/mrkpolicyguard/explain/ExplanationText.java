package dev.mrkpolicyguard.explain;

import dev.mrkpolicyguard.cli.common.TerminalText;
import dev.mrkpolicyguard.engine.eval.Caller;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.eval.Request;
import dev.mrkpolicyguard.engine.rule.FindingWords;
import dev.mrkpolicyguard.explain.Explanation.Branch;
import dev.mrkpolicyguard.explain.Explanation.StatementNote;
import dev.mrkpolicyguard.explain.Explanation.Subject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Explanations in English, one block per record, for a person to act on. Every line is escaped
 * ({@link dev.mrkpolicyguard.cli.common.TerminalText}): records and policies are untrusted text.
 */
public final class ExplanationText {
  /** The command that realigns a replica, as the text names it. */
  static final String REMEDIATE = "java -jar rule-lambda.jar remediate --key-arn ";

  /** Context keys every record has, left out of the text (the JSON shows them). */
  private static final Set<String> NOISE =
      Set.of(
          "aws:currenttime",
          "aws:epochtime",
          "aws:useragent",
          "aws:resourceaccount",
          "aws:tokenissuetime",
          "aws:viaawsservice",
          "aws:userid");

  private final List<String> lines = new ArrayList<>();

  /** Condition key spellings of the record being written, by lower-case name. */
  private final Map<String, String> names = new HashMap<>();

  private ExplanationText() {}

  /** The text of {@code report}. */
  public static String render(ExplainReport report) {
    ExplanationText text = new ExplanationText();
    for (Explanation e : report.results()) {
      text.explanation(e);
      text.lines.add("");
    }
    text.lines.add(summary(report));
    StringBuilder out = new StringBuilder();
    for (String line : text.lines) {
      out.append(TerminalText.escape(line)).append('\n');
    }
    return out.toString();
  }

  /** One line: how many records, how many explained. */
  public static String summary(ExplainReport report) {
    int all = report.results().size();
    int unexplained = report.unexplained().size();
    String s =
        all
            + (all == 1 ? " KMS record: " : " KMS records: ")
            + (all - unexplained)
            + " explained"
            + (unexplained == 0 ? "" : ", " + unexplained + " not explained (listed above)");
    if (report.otherServices() > 0) {
      s += "; " + report.otherServices() + " records of other services passed over";
    }
    return s + ".";
  }

  private void explanation(Explanation e) {
    lines.add(header(e.record()));
    if (e instanceof Explanation.Unexplained u) {
      lines.add("NOT EXPLAINED: " + u.problem());
    } else if (e instanceof Explanation.NotApplicable n) {
      lines.add(
          n.verdict()
              + ": "
              + (n.keyArn() == null ? "" : n.keyArn() + " is ")
              + n.reason()
              + (n.verdict() == Verdict.NOT_A_REPLICA
                  ? "; replica drift cannot be the reason"
                  : "; no key policy decides it"));
    } else {
      judged((Explanation.Judged) e);
    }
  }

  private static String header(Subject s) {
    StringBuilder h = new StringBuilder(s.where()).append(": ");
    if (s.eventName() == null) {
      return h.append("(not a readable record)").toString();
    }
    h.append("kms:").append(s.eventName());
    h.append(s.succeeded() ? " succeeded" : " failed with " + s.errorCode());
    if (s.eventTime() != null) {
      h.append(" at ").append(s.eventTime());
    }
    if (s.eventId() != null) {
      h.append(" (event ").append(s.eventId()).append(')');
    }
    return h.toString();
  }

  private void judged(Explanation.Judged j) {
    KeyContext replica = new KeyContext(j.replicaArn());
    KeyContext primary = new KeyContext(j.primaryArn());
    names.clear();
    j.request().context().keySet().forEach(k -> names.put(k.toLowerCase(Locale.ROOT), k));
    for (Branch b : j.branches()) {
      b.example()
          .assumptions()
          .forEach(a -> names.putIfAbsent(a.fact().toLowerCase(Locale.ROOT), a.fact()));
    }
    lines.add("  caller: " + caller(j));
    lines.add("  key: " + j.replicaArn() + " (replica; primary in " + primary.region() + ")");
    lines.add("  request: " + j.request().action() + context(j.request().context()));
    j.request().notes().forEach(n -> lines.add("  from the record: " + n));
    if (j.message() != null
        && j.message().kind() != null
        && j.message().kind() != PolicyKind.IDENTITY_POLICY) {
      lines.add("  errorMessage: " + j.message().describe());
    }
    boolean first = true;
    for (Branch b : j.branches()) {
      String lead = first ? "" : "  otherwise, ";
      String condition = b.always() ? "" : " if " + conditions(b.when(), j.request().action());
      lines.add(lead + b.verdict() + condition + ": " + sentence(b, j, replica, primary));
      evidence(b, j, replica, primary, first ? "  " : "    ");
      first = false;
    }
  }

  private static String caller(Explanation.Judged j) {
    RebuiltRequest r = j.request();
    if (r.caller() == null) {
      return "a principal of account "
          + r.callerAccount()
          + " (the record names only the account; see the cases below)";
    }
    String text = r.caller().text();
    if (!(r.caller() instanceof Caller.Iam iam) || iam.isRoot()) {
      return text;
    }
    if (r.identityPolicyAllows() == null) {
      return text + " (whether its IAM policies allow " + r.action() + " is not in the record)";
    }
    return text
        + (r.identityPolicyAllows()
            ? " (its IAM policies allow " + r.action() + ")"
            : " (its IAM policies do not allow " + r.action() + ")");
  }

  private static String sentence(
      Branch b, Explanation.Judged j, KeyContext replica, KeyContext primary) {
    boolean succeeded = j.record().succeeded();
    String r = "the replica's policy (" + replica.region() + ")";
    String p = "the primary's policy (" + primary.region() + ")";
    return switch (b.verdict()) {
      case DRIFT_EXPLAINS_DENIAL ->
          succeeded
              ? p
                  + " allows the corresponding request and "
                  + r
                  + " does not: the call succeeded through a grant, or the replica's policy"
                  + " changed since"
              : p + " allows the corresponding request; " + r + " does not.";
      case KEY_POLICY_ALLOWS ->
          succeeded
              ? "the call succeeded and " + r + " allows it."
              : r + " allows this request: the key policy is not the reason for the denial.";
      case BOTH_DENY ->
          succeeded
              ? "neither key policy allows it as read now: the call succeeded through a grant, or"
                  + " the policies changed since"
              : "neither key policy allows it: this is not a replica-drift problem.";
      default -> throw new IllegalStateException("not a judged verdict: " + b.verdict());
    };
  }

  private void evidence(
      Branch b, Explanation.Judged j, KeyContext replica, KeyContext primary, String indent) {
    String r = "replica (" + replica.region() + ")";
    String p = "primary (" + primary.region() + ")";
    switch (b.verdict()) {
      case DRIFT_EXPLAINS_DENIAL -> {
        String moved = moved(b.example().replicaRequest(), b.example().primaryRequest());
        notes(indent, p, b.primary(), moved.isEmpty() ? "" : " (" + moved + ")");
        notes(indent, r + " lacks it:", b.replica(), "");
        lines.add(
            indent
                + "next: "
                + REMEDIATE
                + j.replicaArn()
                + " (a dry run; add --apply to realign the replica's policy with its primary's)");
      }
      case KEY_POLICY_ALLOWS -> {
        notes(indent, r, b.replica(), "");
        if (!j.record().succeeded()) {
          pointers(j, indent);
        }
      }
      default -> {
        notes(indent, r, b.replica(), "");
        notes(indent, p, b.primary(), "");
        lines.add(
            indent
                + "what would allow it: a statement allowing it in both policies (see what each"
                + " statement above lacks), or a grant for this caller and operation");
      }
    }
  }

  private void pointers(Explanation.Judged j, String indent) {
    DenialMessage m = j.message();
    if (m != null && m.kind() == PolicyKind.RESOURCE_POLICY) {
      lines.add(
          indent
              + "the errorMessage names a resource-based policy, yet the key policy read now allows"
              + " it: it may have changed since "
              + Objects.requireNonNullElse(j.record().eventTime(), "the call")
              + ", or a fact the record does not hold decided it");
    }
    List<PolicyKind> others =
        j.pointsAt().stream().filter(k -> k != PolicyKind.RESOURCE_POLICY).toList();
    if (!others.isEmpty()) {
      List<String> named = new ArrayList<>();
      for (PolicyKind k : others) {
        String arn = m != null && m.kind() == k && m.policyArn() != null ? " " + m.policyArn() : "";
        named.add(k.description() + arn);
      }
      lines.add(indent + "the record points at: " + String.join(", ", named));
    }
    lines.add(
        indent
            + "look at: the caller's IAM policies, SCPs and RCPs, its permissions boundary and"
            + " session policy, and the VPC endpoint policy (grants only add access)");
  }

  private void notes(String indent, String side, List<StatementNote> notes, String suffix) {
    for (StatementNote n : notes) {
      String what =
          switch (n.role()) {
            case ALLOWS -> "allows it" + suffix;
            case DENIES -> "denies it explicitly";
            case MISSES -> n.detail();
          };
      lines.add(
          indent
              + side
              + " "
              + (n.statement() == null ? "" : "statement " + n.statement() + " ")
              + what);
    }
  }

  /** The values that differ in the corresponding request, e.g. {@code kms:ViaService=...}. */
  private String moved(Request replica, Request primary) {
    List<String> out = new ArrayList<>();
    // Request contexts have no order of their own: name the moved values alphabetically.
    for (Map.Entry<String, List<String>> e : new TreeMap<>(primary.context()).entrySet()) {
      if (!e.getValue().equals(replica.context().get(e.getKey()))) {
        out.add(name(e.getKey()) + "=" + FindingWords.values(e.getValue()));
      }
    }
    if (!replica.caller().text().equals(primary.caller().text())) {
      out.add(0, "caller " + primary.caller().text());
    }
    return String.join(", ", out);
  }

  private String name(String lower) {
    return names.getOrDefault(lower, lower);
  }

  /** The request's context in the words of every witness, less what every request has. */
  private static String context(Map<String, List<String>> context) {
    Map<String, List<String>> shown = new LinkedHashMap<>();
    context.forEach(
        (key, values) -> {
          if (!NOISE.contains(key.toLowerCase(Locale.ROOT))) {
            shown.put(key, values);
          }
        });
    return FindingWords.with(shown);
  }

  /** The cases of a branch in words: conjunctions joined by "or". */
  static String conditions(List<List<Assumption>> when, String action) {
    List<String> alternatives = new ArrayList<>();
    for (List<Assumption> conjunction : when) {
      List<String> parts = new ArrayList<>();
      conjunction.forEach(a -> parts.add(assumption(a, action)));
      alternatives.add(String.join(" and ", parts));
    }
    return String.join("; or if ", alternatives);
  }

  static String assumption(Assumption a, String action) {
    if (a instanceof Assumption.IdentityPolicy i) {
      return "the caller's IAM policies " + (i.allows() ? "allow " : "do not allow ") + action;
    }
    if (a instanceof Assumption.CallerIs c) {
      return c.named()
          ? "the caller is " + c.caller().text()
          : "the caller is a principal of "
              + ((Caller.Iam) c.caller()).accountId()
              + " that neither policy names";
    }
    if (a instanceof Assumption.KeyAbsent k) {
      return "the request has no " + k.key();
    }
    if (a instanceof Assumption.KeyValue v) {
      return v.key() + " is " + v.value();
    }
    Assumption.KeyOther o = (Assumption.KeyOther) a;
    return o.key()
        + (o.named().size() == 1 ? " is not " + o.named().get(0) : " is none of " + o.named());
  }
}
