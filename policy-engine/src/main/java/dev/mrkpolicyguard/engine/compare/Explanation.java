package dev.mrkpolicyguard.engine.compare;

import dev.mrkpolicyguard.engine.catalog.KmsCatalog;
import dev.mrkpolicyguard.engine.eval.Caller;
import dev.mrkpolicyguard.engine.eval.CompiledCondition;
import dev.mrkpolicyguard.engine.eval.CompiledPolicy;
import dev.mrkpolicyguard.engine.eval.CompiledStatement;
import dev.mrkpolicyguard.engine.eval.Decision;
import dev.mrkpolicyguard.engine.eval.DerivedKeys;
import dev.mrkpolicyguard.engine.eval.Evaluator;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.eval.Request;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the differences a {@link Search} found into the {@link Comparison}: witnesses found under
 * assumptions about policy variables made concrete (or UNDECIDED), differences of who may call told
 * apart from differences of what and when, one difference per class, ranked, each with the
 * statements that decide it in English.
 */
final class Explanation {
  private static final Pattern VARIABLE_NAME = Pattern.compile("\\$\\{([^}',]+)");

  private final CompiledPolicy[] policies;
  private final KeyContext[] keys;
  private final Evaluator evaluator;
  private final KmsCatalog catalog;
  private final boolean replicaOnly;

  /**
   * For {@code policies} (primary, replica); with {@code replicaOnly}, the result of a containment
   * check, where the two are named "policy" and "reference".
   */
  Explanation(
      CompiledPolicy[] policies, Evaluator evaluator, KmsCatalog catalog, boolean replicaOnly) {
    this.policies = policies;
    this.keys = new KeyContext[] {policies[0].key(), policies[1].key()};
    this.evaluator = evaluator;
    this.catalog = catalog;
    this.replicaOnly = replicaOnly;
  }

  static Comparison undecided(String reason) {
    return new Comparison(Verdict.UNDECIDED, List.of(), reason);
  }

  /** The comparison of what {@code search} found. */
  Comparison result(Search search) {
    if (search.undecided != null) {
      return undecided(search.undecided);
    }
    List<Found> list = new ArrayList<>(search.found.values());
    List<Found> unreal = new ArrayList<>();
    for (Found f : list) {
      if (f.atomsUsed) {
        Witness concrete = concretize(f);
        if (concrete == null) {
          return undecided(
              "a difference depends on policy variables, and no value of them was found that"
                  + " shows it (the engine does not enumerate variable values)");
        }
        f.witness = concrete;
      }
      if (!realChain(f)) {
        unreal.add(f);
        continue;
      }
      boolean[] allows = search.groupAllows.getOrDefault(f.group, new boolean[2]);
      boolean narrowerAllowsGroup = f.direction == Direction.REPLICA_ONLY ? allows[0] : allows[1];
      if (!narrowerAllowsGroup) {
        f.kind = DifferenceKind.PRINCIPAL;
      }
    }
    list.removeAll(unreal);
    Map<Found.Key, Found> merged = new LinkedHashMap<>();
    for (Found f : list) {
      merged.putIfAbsent(f.resultKey(), f);
    }
    List<Found> ordered = new ArrayList<>(merged.values());
    ordered.sort(
        Comparator.comparingInt((Found f) -> f.kind.ordinal()).thenComparingInt(f -> f.order));
    List<Difference> differences = new ArrayList<>();
    boolean broader = false;
    boolean narrower = false;
    for (Found f : ordered) {
      differences.add(new Difference(f.direction, f.kind, f.witness, explain(f)));
      broader |= f.direction == Direction.REPLICA_ONLY;
      narrower |= f.direction == Direction.PRIMARY_ONLY;
    }
    if (!unreal.isEmpty()) {
      return new Comparison(
          Verdict.UNDECIDED,
          differences,
          "a difference was found only on a request whose aws:CalledViaFirst or aws:CalledViaLast"
              + " is not the first or last service of its aws:CalledVia, which no real request"
              + " carries, and no real chain of services was found that shows it");
    }
    return new Comparison(verdict(broader, narrower), differences, null);
  }

  /**
   * Whether the witness's chain of calling services is one a real request carries, after making it
   * so where it is not and the difference still shows ({@link CalledViaChain}).
   */
  private boolean realChain(Found f) {
    Witness w = f.witness;
    if (CalledViaChain.consistent(w.context()) && CalledViaChain.consistent(w.primaryContext())) {
      return true;
    }
    Map<String, List<String>> replica = CalledViaChain.realistic(w.context());
    Map<String, List<String>> primary = CalledViaChain.realistic(w.primaryContext());
    if (replica == null || primary == null) {
      return false;
    }
    Witness real =
        new Witness(
            w.caller(), w.identityPolicyAllows(), w.action(), replica, w.primaryCaller(), primary);
    if (!confirms(f, real)) {
      return false;
    }
    f.witness = real;
    return true;
  }

  /** The verdict of a comparison with differences in the given directions. */
  static Verdict verdict(boolean broader, boolean narrower) {
    if (broader && narrower) {
      return Verdict.DIVERGENT;
    }
    if (broader) {
      return Verdict.REPLICA_BROADER;
    }
    return narrower ? Verdict.REPLICA_NARROWER : Verdict.EQUIVALENT;
  }

  /**
   * A concrete witness for a difference found under assumptions about policy variables: values of
   * the variables (each value present in the witness, or a fresh one) under which the evaluator
   * confirms the difference on both keys, or null if none does. A variable naming a key derived
   * from the caller is not chosen (the evaluator resolves it); {@code aws:username} exists only for
   * IAM users and takes an IAM name.
   */
  private Witness concretize(Found f) {
    Set<String> variables = new TreeSet<>();
    for (CompiledPolicy policy : policies) {
      for (CompiledStatement statement : policy.statements()) {
        for (CompiledCondition c : statement.conditions()) {
          for (String raw : c.variableValues()) {
            Matcher m = VARIABLE_NAME.matcher(raw);
            while (m.find()) {
              String name = m.group(1).trim();
              if (!DerivedKeys.isDerived(name.toLowerCase(Locale.ROOT), keys[1])) {
                variables.add(name);
              }
            }
          }
        }
      }
    }
    Witness fromCaller = withCallerVariables(f);
    if (fromCaller != null) {
      return fromCaller;
    }
    if (variables.isEmpty() || variables.size() > 3) {
      return null;
    }
    List<String> candidates = new ArrayList<>();
    f.witness.context().values().forEach(v -> v.forEach(candidates::add));
    candidates.add("example-value");
    List<String> names = new ArrayList<>(variables);
    int[] choice = new int[names.size()];
    int tries = 0;
    while (tries++ < 512) {
      Witness w = withVariables(f.witness, names, choice, candidates);
      if (w != null && confirms(f, w)) {
        return w;
      }
      int i = 0;
      while (i < choice.length && ++choice[i] == candidates.size()) {
        choice[i++] = 0;
      }
      if (i == choice.length) {
        return null;
      }
    }
    return null;
  }

  /**
   * A witness whose variables all follow from the caller ({@code aws:username}) or take their
   * default values: the key compared with a variable value carries that value, resolved for the
   * witness's caller on its key; null if no such value confirms the difference.
   */
  private Witness withCallerVariables(Found f) {
    Witness w = f.witness;
    if (confirms(f, w)) {
      return w;
    }
    for (int side = 0; side < 2; side++) {
      Request request = side == 0 ? w.toPrimaryRequest() : w.toRequest();
      KeyContext key = keys[side];
      for (CompiledStatement statement : policies[side].statements()) {
        for (CompiledCondition c : statement.conditions()) {
          if (c.variableValues().isEmpty()) {
            continue;
          }
          for (String value :
              c.resolvedVariableValues(name -> Evaluator.value(name, request, key, catalog))) {
            Map<String, List<String>> replica = withValue(w.context(), c, value);
            Map<String, List<String>> primary = withValue(w.primaryContext(), c, value);
            Witness candidate =
                new Witness(
                    w.caller(),
                    w.identityPolicyAllows(),
                    w.action(),
                    replica,
                    w.primaryCaller(),
                    primary);
            if (confirms(f, candidate)) {
              return candidate;
            }
          }
        }
      }
    }
    return null;
  }

  private static Map<String, List<String>> withValue(
      Map<String, List<String>> context, CompiledCondition c, String value) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    context.forEach(
        (name, values) -> {
          if (!name.equalsIgnoreCase(c.source().key())) {
            out.put(name, values);
          }
        });
    out.put(c.source().key(), List.of(value));
    return out;
  }

  private static Witness withVariables(
      Witness w, List<String> names, int[] choice, List<String> candidates) {
    Map<String, List<String>> replica = new LinkedHashMap<>(w.context());
    Map<String, List<String>> primary = new LinkedHashMap<>(w.primaryContext());
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      String value = candidates.get(choice[i]);
      if (name.equalsIgnoreCase("aws:username")
          && !(w.caller() instanceof Caller.Iam iam
              && iam.principalType().equals("User")
              && value.matches("[\\w+=,.@-]+"))) {
        return null;
      }
      if (name.toLowerCase(Locale.ROOT).startsWith("aws:principaltag/")
          && !(w.caller() instanceof Caller.Iam)) {
        return null;
      }
      replica.put(name, List.of(value));
      primary.put(name, List.of(value));
    }
    return new Witness(
        w.caller(), w.identityPolicyAllows(), w.action(), replica, w.primaryCaller(), primary);
  }

  private boolean confirms(Found f, Witness w) {
    boolean primaryAllows =
        evaluator.evaluate(policies[0], w.toPrimaryRequest()).decision() == Decision.ALLOW;
    boolean replicaAllows =
        evaluator.evaluate(policies[1], w.toRequest()).decision() == Decision.ALLOW;
    return f.direction == Direction.REPLICA_ONLY
        ? replicaAllows && !primaryAllows
        : primaryAllows && !replicaAllows;
  }

  /** Which statements of each policy decide the witness, in English. */
  private String explain(Found f) {
    Request request = f.witness.toRequest();
    Request primaryRequest = f.witness.toPrimaryRequest();
    Evaluator.Outcome primary = evaluator.evaluate(policies[0], primaryRequest);
    Evaluator.Outcome replica = evaluator.evaluate(policies[1], request);
    boolean replicaAllows = f.direction == Direction.REPLICA_ONLY;
    Evaluator.Outcome allowing = replicaAllows ? replica : primary;
    Evaluator.Outcome denying = replicaAllows ? primary : replica;
    String allowName =
        replicaOnly
            ? (replicaAllows ? "policy" : "reference")
            : (replicaAllows ? "replica" : "primary");
    String denyName =
        replicaOnly
            ? (replicaAllows ? "reference" : "policy")
            : (replicaAllows ? "primary" : "replica");
    StringBuilder out = new StringBuilder();
    out.append(allowName).append(labels(allowing.deciding())).append(" allows it; ");
    if (!denying.deciding().isEmpty()) {
      out.append(denyName).append(labels(denying.deciding())).append(" denies it");
    } else if (!f.witness.identityPolicyAllows()
        && evaluator
                .evaluate(
                    replicaAllows ? policies[0] : policies[1],
                    withIdentity(replicaAllows ? primaryRequest : request))
                .decision()
            == Decision.ALLOW) {
      out.append(denyName).append(" grants it only to callers whose IAM policies allow it");
    } else {
      out.append("no ").append(denyName).append(" statement does");
    }
    return out.toString();
  }

  private static Request withIdentity(Request request) {
    return new Request(request.caller(), true, request.action(), request.context());
  }

  private static String labels(List<CompiledStatement> statements) {
    StringBuilder out = new StringBuilder(statements.size() == 1 ? " statement " : " statements ");
    for (int i = 0; i < statements.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      out.append(statements.get(i).source().label());
    }
    return out.toString();
  }
}
