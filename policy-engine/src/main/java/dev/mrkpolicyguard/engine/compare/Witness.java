package dev.mrkpolicyguard.engine.compare;

import dev.mrkpolicyguard.engine.eval.Caller;
import dev.mrkpolicyguard.engine.eval.Request;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pair of corresponding requests that the two policies decide differently, each one KMS could
 * really receive: one to the replica key (in the replica's terms) and the same request moved to the
 * primary key (Region-bearing values in the primary's Region).
 *
 * @param caller who calls the replica key
 * @param identityPolicyAllows whether the caller's own IAM policies allow the action
 * @param action the action
 * @param context the condition keys present in the request to the replica key, as named in the
 *     policies
 * @param primaryCaller who calls the primary key in the corresponding request (differs from {@code
 *     caller} only for a Regional service principal)
 * @param primaryContext the condition keys present in the corresponding request to the primary key
 */
public record Witness(
    Caller caller,
    boolean identityPolicyAllows,
    String action,
    Map<String, List<String>> context,
    Caller primaryCaller,
    Map<String, List<String>> primaryContext) {
  public Witness {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(primaryCaller, "primaryCaller");
    context = Collections.unmodifiableMap(new LinkedHashMap<>(context));
    primaryContext = Collections.unmodifiableMap(new LinkedHashMap<>(primaryContext));
  }

  /** A witness whose two requests are the same (both policies judged on one key). */
  public Witness(
      Caller caller,
      boolean identityPolicyAllows,
      String action,
      Map<String, List<String>> context) {
    this(caller, identityPolicyAllows, action, context, caller, context);
  }

  /** The request to the replica key, for the evaluator. */
  public Request toRequest() {
    return new Request(caller, identityPolicyAllows, action, context);
  }

  /** The corresponding request to the primary key, for the evaluator. */
  public Request toPrimaryRequest() {
    return new Request(primaryCaller, identityPolicyAllows, action, primaryContext);
  }

  /** Whether the two requests differ (some value moved between the Regions). */
  public boolean moved() {
    return !caller.equals(primaryCaller) || !context.equals(primaryContext);
  }
}
