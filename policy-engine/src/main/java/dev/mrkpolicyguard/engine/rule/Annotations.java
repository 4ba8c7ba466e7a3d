package dev.mrkpolicyguard.engine.rule;

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
}
