package dev.mrkpolicyguard.engine.compare;

import dev.mrkpolicyguard.engine.eval.Caller;
import dev.mrkpolicyguard.engine.eval.Request;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A concrete request that the two policies decide differently: one KMS could really receive.
 *
 * @param caller who calls
 * @param identityPolicyAllows whether the caller's own IAM policies allow the action
 * @param action the action
 * @param context the condition keys present, as named in the policies, with their values as seen in
 *     the replica's Region
 */
public record Witness(
    Caller caller, boolean identityPolicyAllows, String action, Map<String, List<String>> context) {
  public Witness {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(action, "action");
    context = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(context));
  }

  /** The witness as a request for the evaluator. */
  public Request toRequest() {
    return new Request(caller, identityPolicyAllows, action, context);
  }
}
