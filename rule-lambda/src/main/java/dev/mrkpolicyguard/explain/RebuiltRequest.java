package dev.mrkpolicyguard.explain;

import dev.mrkpolicyguard.engine.eval.Caller;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The request a CloudTrail record shows, as far as the record tells it: the action, the key, the
 * caller, the condition keys it holds, and which keys it shows to be absent. What it cannot tell is
 * left open for {@link Explainer} to try both ways.
 *
 * @param action the KMS action, e.g. {@code kms:Decrypt}
 * @param keyArn the key called
 * @param caller the caller, or {@code null} when the record names only its account ({@code
 *     AWSAccount}: a cross-account call seen from the key's account)
 * @param callerAccount the caller's account
 * @param callerHint for an account-only caller, what its principal id shows: {@code role}, {@code
 *     user}, or {@code null} when it shows neither
 * @param sessionName for an account-only role caller, the session name from its principal id
 * @param identityPolicyAllows whether the caller's IAM policies allow the action, where the record
 *     says so, else {@code null}
 * @param context the condition keys the record holds, with their canonical spelling and values
 * @param absent condition keys (lower case) the record shows the request did not carry; a name
 *     ending in {@code :} stands for every key it starts
 * @param notes where the less direct values came from, in words
 */
public record RebuiltRequest(
    String action,
    String keyArn,
    Caller caller,
    String callerAccount,
    String callerHint,
    String sessionName,
    Boolean identityPolicyAllows,
    Map<String, List<String>> context,
    Set<String> absent,
    List<String> notes) {
  public RebuiltRequest {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(keyArn, "keyArn");
    Objects.requireNonNull(callerAccount, "callerAccount");
    context = Collections.unmodifiableMap(new LinkedHashMap<>(context));
    absent = Set.copyOf(absent);
    notes = List.copyOf(notes);
  }

  /** Whether the record tells the value of {@code normalizedKey}, or that it is absent. */
  public boolean tells(String normalizedKey) {
    if (value(normalizedKey) != null || absent.contains(normalizedKey)) {
      return true;
    }
    for (String a : absent) {
      if (a.endsWith(":") && normalizedKey.startsWith(a)) {
        return true;
      }
    }
    return false;
  }

  /** The values of {@code normalizedKey} in the record, or {@code null}. */
  public List<String> value(String normalizedKey) {
    for (Map.Entry<String, List<String>> e : context.entrySet()) {
      if (e.getKey().toLowerCase(Locale.ROOT).equals(normalizedKey)) {
        return e.getValue();
      }
    }
    return null;
  }
}
