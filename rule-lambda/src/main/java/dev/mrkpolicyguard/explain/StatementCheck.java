package dev.mrkpolicyguard.explain;

import dev.mrkpolicyguard.engine.catalog.KmsCatalog;
import dev.mrkpolicyguard.engine.eval.Caller;
import dev.mrkpolicyguard.engine.eval.CompiledCondition;
import dev.mrkpolicyguard.engine.eval.CompiledPolicy;
import dev.mrkpolicyguard.engine.eval.CompiledStatement;
import dev.mrkpolicyguard.engine.eval.Evaluator;
import dev.mrkpolicyguard.engine.eval.PrincipalMatch;
import dev.mrkpolicyguard.engine.eval.Request;
import dev.mrkpolicyguard.engine.policy.Effect;
import dev.mrkpolicyguard.engine.policy.PrincipalAtom;
import dev.mrkpolicyguard.explain.Explanation.StatementNote;
import dev.mrkpolicyguard.explain.Explanation.StatementNote.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Says what the statements of one policy do with one request: which allow or deny it, and for the
 * allow statements that could have applied, the first part that does not fit (the key, the
 * principal, a condition, or the IAM policy a delegated grant needs), in the order the evaluator
 * checks them (IAM User Guide, "Policy evaluation logic"; KMS Developer Guide, "Key policies").
 */
final class StatementCheck {
  /** At most this many near misses are named per policy. */
  static final int MAX_MISSES = 3;

  /** Rank of a statement that does not name the caller: shown only when nothing is nearer. */
  private static final int PRINCIPAL = 100;

  private final KmsCatalog catalog;

  StatementCheck(KmsCatalog catalog) {
    this.catalog = catalog;
  }

  /**
   * The statements behind {@code outcome}: the deciding ones, or for an implicit denial the allow
   * statements covering the action, those named {@code preferred} first, then those that name the
   * caller.
   */
  List<StatementNote> notes(
      CompiledPolicy policy, Evaluator.Outcome outcome, Request request, Set<String> preferred) {
    List<StatementNote> out = new ArrayList<>();
    if (!outcome.deciding().isEmpty()) {
      Role role = outcome.deciding().get(0).effect() == Effect.DENY ? Role.DENIES : Role.ALLOWS;
      for (CompiledStatement s : outcome.deciding()) {
        out.add(new StatementNote(s.source().label(), role, null));
      }
      return out;
    }
    out.addAll(counterparts(policy, request, preferred));
    List<Miss> misses = new ArrayList<>();
    for (CompiledStatement s : policy.statements()) {
      if (s.effect() == Effect.ALLOW && s.matchesAction(request.action())) {
        misses.add(miss(s, policy, request, preferred));
      }
    }
    misses.sort(Comparator.comparingInt(Miss::rank));
    boolean near = misses.stream().anyMatch(m -> m.rank() < PRINCIPAL);
    for (Miss m : misses) {
      if (out.size() >= MAX_MISSES || (near && m.rank() >= PRINCIPAL)) {
        break;
      }
      out.add(new StatementNote(m.statement().source().label(), Role.MISSES, m.detail()));
    }
    if (out.isEmpty()) {
      out.add(
          new StatementNote(
              null, Role.MISSES, "no statement allows " + request.action() + " on this key"));
    }
    return out;
  }

  /**
   * The statements named {@code preferred} (the other policy's deciding statements) that do not
   * even cover the action here, or their absence.
   */
  private static List<StatementNote> counterparts(
      CompiledPolicy policy, Request request, Set<String> preferred) {
    List<StatementNote> out = new ArrayList<>();
    for (String sid : preferred) {
      List<CompiledStatement> same =
          policy.statements().stream().filter(s -> sid.equals(s.source().sid())).toList();
      if (same.isEmpty()) {
        out.add(new StatementNote(null, Role.MISSES, "has no statement '" + sid + "'"));
      }
      for (CompiledStatement s : same) {
        if (!s.appliesToKey()) {
          out.add(
              new StatementNote(
                  s.source().label(), Role.MISSES, "does not apply to this key (its Resource)"));
        } else if (!s.matchesAction(request.action())) {
          out.add(
              new StatementNote(
                  s.source().label(), Role.MISSES, "does not cover " + request.action()));
        }
      }
    }
    return out;
  }

  /** Why one allow statement that covers the action does not allow the request. */
  private Miss miss(
      CompiledStatement s, CompiledPolicy policy, Request request, Set<String> preferred) {
    int bonus = preferred.contains(s.source().sid()) ? 0 : 10;
    Caller caller = request.caller();
    PrincipalMatch match = s.matchPrincipal(caller);
    if (match == PrincipalMatch.NONE) {
      return new Miss(
          s, PRINCIPAL + bonus, "does not name the caller (it names " + principals(s) + ")");
    }
    Function<String, List<String>> lookup =
        name -> Evaluator.value(name, request, policy.key(), catalog);
    for (CompiledCondition c : s.conditions()) {
      List<String> values = lookup.apply(c.key());
      if (!c.holds(values, lookup)) {
        return new Miss(
            s,
            bonus + 2,
            "requires "
                + c.source().key()
                + " "
                + c.source().operator().text()
                + " "
                + list(c.source().values())
                + "; the request has "
                + (values == null ? "no " + c.source().key() : list(values)));
      }
    }
    if (!CompiledStatement.takesEffect(
        match, caller, request.identityPolicyAllows(), policy.key())) {
      String action = request.action();
      String detail =
          match == PrincipalMatch.DELEGATED
              ? "grants it to the caller's account, which takes effect only where the caller's IAM"
                  + " policies allow "
                  + action
              : "names the caller, who is in another account: its own IAM policies must allow "
                  + action
                  + " too";
      return new Miss(s, bonus + 1, detail);
    }
    // Unreachable for an implicit denial; kept so a miss is always explained.
    return new Miss(s, PRINCIPAL + bonus + 1, "does not apply");
  }

  private static String principals(CompiledStatement s) {
    List<String> names = new ArrayList<>();
    for (PrincipalAtom atom : s.source().principal().atoms()) {
      names.add(atom(atom));
    }
    String text = names.size() > 3 ? list(names.subList(0, 3)) + " and more" : list(names);
    return s.source().principal().negated() ? "everyone except " + text : text;
  }

  private static String atom(PrincipalAtom atom) {
    if (atom instanceof PrincipalAtom.Account a) {
      return "account " + a.accountId();
    }
    if (atom instanceof PrincipalAtom.Iam i) {
      return i.arn();
    }
    if (atom instanceof PrincipalAtom.Service v) {
      return "service " + v.name();
    }
    if (atom instanceof PrincipalAtom.Federated f) {
      return "federated " + f.provider();
    }
    if (atom instanceof PrincipalAtom.CanonicalUser c) {
      return "canonical user " + c.id();
    }
    if (atom instanceof PrincipalAtom.UniqueId u) {
      return "principal id " + u.id();
    }
    return "*";
  }

  private static String list(List<String> values) {
    return values.size() == 1 ? values.get(0) : values.toString();
  }

  private record Miss(CompiledStatement statement, int rank, String detail) {}
}
