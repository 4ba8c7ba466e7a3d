package dev.mrkpolicyguard.engine.rule;

import dev.mrkpolicyguard.engine.compare.Difference;
import dev.mrkpolicyguard.engine.eval.Caller;
import java.util.List;

/** Builds the 256-character annotation AWS Config shows: most important finding first. */
final class Annotations {
  private Annotations() {}

  /** The annotation for {@code findings} of key {@code keyId}. */
  static String of(List<Finding> findings, String keyId) {
    int total = 0;
    for (Finding f : findings) {
      total += Math.max(1, f.differences().size());
    }
    String more = total > 1 ? "; +" + (total - 1) + " more" : "";
    String suffix = more + ". Details: log key " + keyId;
    String head = findings.get(0).summary();
    if (head.endsWith(".")) {
      head = head.substring(0, head.length() - 1);
    }
    int room = KeyEvaluation.MAX_ANNOTATION - suffix.length();
    if (room < 20) {
      suffix = more.isEmpty() ? "" : more;
      room = KeyEvaluation.MAX_ANNOTATION - suffix.length();
    }
    if (head.length() > room) {
      head = head.substring(0, room - 3) + "...";
    }
    return head + suffix;
  }

  /** A request in a few words: who may (or may no longer) do what. */
  static String request(Difference d, boolean gains) {
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
}
