package dev.mrkpolicyguard.explain;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an AccessDenied message says: which kind of policy denied, explicitly or for want of an
 * allow, the ARN of the denying policy where the enhanced messages give it, and the caller it names
 * (IAM User Guide, "Troubleshoot access denied error messages": "User: ARN is not authorized to
 * perform: ACTION on resource: ARN because no TYPE policy allows the ACTION action" or "... with an
 * explicit deny in a TYPE policy"; only one policy type is named).
 *
 * @param kind the kind of policy named, or {@code null} when the message names none
 * @param explicit whether the message says explicit deny (else: no policy of that kind allows)
 * @param policyArn the ARN of the denying policy, or {@code null}
 * @param caller the principal ARN after {@code User:}, or {@code null}
 */
public record DenialMessage(PolicyKind kind, boolean explicit, String policyArn, String caller) {
  private static final Pattern CALLER = Pattern.compile("User: (arn:\\S+) is not authorized");
  private static final Pattern POLICY_ARN =
      Pattern.compile("arn:aws[a-z-]*:(?:iam|organizations)::[^\\s,;)]*:policy/[^\\s,;)]+");

  public DenialMessage {
    if (explicit) {
      Objects.requireNonNull(kind, "an explicit deny names a kind of policy");
    }
  }

  /** Reads {@code message}; empty when it is not an AccessDenied message of that form. */
  public static Optional<DenialMessage> parse(String message) {
    if (message == null) {
      return Optional.empty();
    }
    String lower = message.toLowerCase(Locale.ROOT);
    PolicyKind kind = null;
    boolean explicit = false;
    for (PolicyKind k : PolicyKind.values()) {
      String phrase = k.phrase().toLowerCase(Locale.ROOT);
      if (lower.contains("explicit deny in a " + phrase)
          || lower.contains("explicit deny in an " + phrase)) {
        kind = k;
        explicit = true;
        break;
      }
      if (lower.contains("because no " + phrase + " allows")) {
        kind = k;
        break;
      }
    }
    Matcher caller = CALLER.matcher(message);
    Matcher arn = POLICY_ARN.matcher(message);
    String callerArn = caller.find() ? caller.group(1) : null;
    if (kind == null && callerArn == null) {
      return Optional.empty();
    }
    return Optional.of(
        new DenialMessage(kind, explicit, arn.find() ? arn.group() : null, callerArn));
  }

  /** The message's finding in words, e.g. {@code an explicit deny in a service control policy}. */
  public String describe() {
    if (kind == null) {
      return "no kind of policy named";
    }
    return explicit
        ? "an explicit deny in " + kind.description()
        : "no allow in " + kind.description();
  }
}
