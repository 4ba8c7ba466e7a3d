package dev.mrkpolicyguard.engine.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One request to a KMS key, with the one fact from outside the key policy that decides it: whether
 * the caller's own IAM policies allow the action.
 *
 * @param caller who calls
 * @param identityPolicyAllows whether the caller's IAM policies allow the action (ignored for
 *     callers without IAM policies: services and anonymous callers; always true for a root user)
 * @param action the action, e.g. {@code kms:Decrypt}
 * @param context condition keys present in the request (names case-insensitive) and their values;
 *     single-valued keys have one value
 */
public record Request(
    Caller caller, boolean identityPolicyAllows, String action, Map<String, List<String>> context) {
  public Request {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(action, "action");
    Map<String, List<String>> copy = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : Objects.requireNonNull(context).entrySet()) {
      copy.put(e.getKey().toLowerCase(Locale.ROOT), List.copyOf(e.getValue()));
    }
    context = Map.copyOf(copy);
  }
}
