package dev.mrkpolicyguard.localaws.kms;

import dev.mrkpolicyguard.engine.eval.Caller;
import dev.mrkpolicyguard.engine.eval.Decision;
import dev.mrkpolicyguard.engine.eval.Evaluator;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.eval.Request;
import dev.mrkpolicyguard.engine.parse.ParseResult;
import dev.mrkpolicyguard.engine.parse.PolicyParser;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The KMS policy lockout safety check judged by our policy engine: the new policy must still let
 * the calling principal call {@code kms:PutKeyPolicy} on the key (KMS API Reference, PutKeyPolicy,
 * "BypassPolicyLockoutSafetyCheck"). The caller's IAM policies are assumed to allow it, as KMS only
 * checks that the key policy does not shut the caller out.
 */
public final class EngineLockoutCheck implements LockoutCheck {
  private final PolicyParser parser = new PolicyParser();
  private final Evaluator evaluator = new Evaluator();

  @Override
  public boolean allowsPutKeyPolicy(String policyJson, String callerArn, String keyArn) {
    ParseResult parsed = parser.parse(policyJson);
    Optional<Caller> caller = Caller.parse(callerArn);
    Optional<KeyContext> key = KeyContext.parse(keyArn);
    if (!(parsed instanceof ParseResult.Parsed policy) || caller.isEmpty() || key.isEmpty()) {
      return false;
    }
    Request request =
        new Request(
            caller.get(), true, "kms:PutKeyPolicy", Map.of("aws:SecureTransport", List.of("true")));
    return evaluator.evaluate(policy.policy(), key.get(), request) == Decision.ALLOW;
  }
}
