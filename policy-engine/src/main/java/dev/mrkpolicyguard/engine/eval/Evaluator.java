package dev.mrkpolicyguard.engine.eval;

import dev.mrkpolicyguard.engine.catalog.KmsCatalog;
import dev.mrkpolicyguard.engine.policy.Effect;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Decides one request against one key policy, as KMS does for the key-policy part of authorization
 * (IAM User Guide, "Policy evaluation logic"; KMS Developer Guide, "Key policies in AWS KMS"): an
 * explicit deny that matches wins; otherwise an allow that matches and takes effect allows;
 * otherwise the request is denied.
 */
public final class Evaluator {
  private final KmsCatalog catalog;

  /** An evaluator using the shipped KMS catalogue. */
  public Evaluator() {
    this(KmsCatalog.standard());
  }

  /** An evaluator using {@code catalog} to know which condition keys each action carries. */
  public Evaluator(KmsCatalog catalog) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  /** The outcome of one evaluation with the statements that decided it. */
  public record Outcome(Decision decision, List<CompiledStatement> deciding) {
    public Outcome {
      Objects.requireNonNull(decision, "decision");
      deciding = List.copyOf(deciding);
    }
  }

  /** Evaluates {@code request} against {@code policy} attached to {@code key}. */
  public Decision evaluate(KeyPolicy policy, KeyContext key, Request request) {
    return evaluate(new CompiledPolicy(policy, key), request).decision();
  }

  /** Evaluates {@code request} against a compiled policy, reporting the deciding statements. */
  public Outcome evaluate(CompiledPolicy policy, Request request) {
    Function<String, List<String>> lookup = name -> value(name, request, policy.key(), catalog);
    List<CompiledStatement> denies = new ArrayList<>();
    List<CompiledStatement> allows = new ArrayList<>();
    for (CompiledStatement statement : policy.statements()) {
      if (!statement.matchesAction(request.action())) {
        continue;
      }
      PrincipalMatch match = statement.matchPrincipal(request.caller());
      if (match == PrincipalMatch.NONE || !conditionsHold(statement, lookup)) {
        continue;
      }
      if (statement.effect() == Effect.DENY) {
        denies.add(statement);
      } else if (CompiledStatement.takesEffect(
          match, request.caller(), request.identityPolicyAllows(), policy.key())) {
        allows.add(statement);
      }
    }
    if (!denies.isEmpty()) {
      return new Outcome(Decision.DENY, denies);
    }
    return allows.isEmpty()
        ? new Outcome(Decision.DENY, List.of())
        : new Outcome(Decision.ALLOW, allows);
  }

  private static boolean conditionsHold(
      CompiledStatement statement, Function<String, List<String>> lookup) {
    for (CompiledCondition condition : statement.conditions()) {
      if (!condition.holds(lookup.apply(condition.key()), lookup)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The value of a condition key in a request: derived keys follow from the caller and the key (and
   * are absent where the action does not carry them), the others come from the request context.
   */
  public static List<String> value(
      String normalizedKey, Request request, KeyContext key, KmsCatalog catalog) {
    if (DerivedKeys.isDerived(normalizedKey, key)) {
      return catalog.available(request.action(), normalizedKey)
          ? DerivedKeys.value(normalizedKey, request.caller(), key)
          : null;
    }
    if (DerivedKeys.absentFor(normalizedKey, request.caller())) {
      return null;
    }
    return request.context().get(normalizedKey);
  }
}
