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
import dev.mrkpolicyguard.engine.eval.PrincipalMatch;
import dev.mrkpolicyguard.engine.eval.Request;
import dev.mrkpolicyguard.engine.match.Glob;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Decides whether two key policies allow exactly the same requests to a key, over the whole request
 * space, and if not, which way they differ, with one witness request per difference class.
 *
 * <p>The request space is infinite, but the two policies only tell finitely many classes of
 * requests apart: callers ({@link PrincipalUniverse}), actions (grouped by which action patterns
 * match them and which condition keys they carry), and for each condition key the classes of values
 * its conditions distinguish ({@link KeyDomain}). For each caller and action class the search
 * enumerates the value classes of only the keys that the matching statements mention, with
 * three-valued evaluation so that a subtree is left as soon as both decisions are fixed. Where no
 * exact partition exists (policy variables that matter, operators of mixed types on one key, a
 * partition too large), the answer is UNDECIDED with the reason, never a guess.
 *
 * <p>The search is bounded by a node count, which bounds memory but not time: a small policy of
 * independent conditions can take minutes to reach it. A comparator made with {@link
 * #withTimeBudget} also gives up, UNDECIDED with {@link #OUT_OF_TIME} in the reason, once one
 * comparison has run longer than its budget, or when its thread is interrupted. The budget is
 * checked before each caller and action and every {@value #CHECK_EVERY} nodes of a search; the
 * partitions built before the search are bounded by their state limit instead.
 */
public final class PolicyComparator {
  private static final int MAX_STATES = 20_000;
  private static final java.util.regex.Pattern VARIABLE_NAME =
      java.util.regex.Pattern.compile("\\$\\{([^}',]+)");
  private static final long MAX_NODES = 5_000_000L;

  /** Nodes searched between two looks at the clock: a look costs about as much as a node. */
  static final int CHECK_EVERY = 1024;

  /** The start of the reason of a comparison that ran out of its time budget. */
  public static final String OUT_OF_TIME = "the comparison ran out of its time budget";

  private final KmsCatalog catalog;
  private final Evaluator evaluator;
  private final long budgetNanos;
  private final LongSupplier nanoTime;

  /** A comparator using the shipped KMS catalogue, with no time budget. */
  public PolicyComparator() {
    this(KmsCatalog.standard());
  }

  /** A comparator using {@code catalog}, with no time budget. */
  public PolicyComparator(KmsCatalog catalog) {
    this(catalog, Long.MAX_VALUE, System::nanoTime);
  }

  private PolicyComparator(KmsCatalog catalog, long budgetNanos, LongSupplier nanoTime) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.evaluator = new Evaluator(catalog);
    this.budgetNanos = budgetNanos;
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /**
   * This comparator with a time budget for each comparison, measured by {@code nanoTime} (as {@link
   * System#nanoTime}; tests pass a fake clock): a comparison that runs longer is UNDECIDED with a
   * reason starting with {@link #OUT_OF_TIME}.
   */
  public PolicyComparator withTimeBudget(Duration budget, LongSupplier nanoTime) {
    if (budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("a time budget must be positive, got " + budget);
    }
    return new PolicyComparator(catalog, budget.toNanos(), nanoTime);
  }

  private static String seconds(long nanos) {
    long millis = Duration.ofNanos(nanos).toMillis();
    return (millis % 1000 == 0 ? String.valueOf(millis / 1000) : String.valueOf(millis / 1000.0))
        + " s";
  }

  /** Whether {@code comparison} is UNDECIDED because it ran out of its time budget. */
  public static boolean ranOutOfTime(Comparison comparison) {
    return comparison.verdict() == Verdict.UNDECIDED && comparison.reason().startsWith(OUT_OF_TIME);
  }

  /**
   * Compares a replica's policy with its primary's, each judged on its own key: the primary's
   * policy decides requests to the primary key (its ARN, its Region, {@code kms:MultiRegionKeyType}
   * PRIMARY), the replica's requests to the replica key (REPLICA), over pairs of corresponding
   * requests (Region-bearing values moved between the two Regions). Differences are reported in the
   * replica's terms, each witness with the corresponding request to the primary.
   */
  public Comparison compare(
      KeyPolicy primary, KeyContext primaryKey, KeyPolicy replica, KeyContext replicaKey) {
    KeyContext p = primaryKey.asPrimary();
    KeyContext r = replicaKey.asReplica();
    return new Search(new CompiledPolicy(primary, p), new CompiledPolicy(replica, r), false).run();
  }

  /** Compares two policies as they would apply to the same key. */
  public Comparison compareForKey(KeyPolicy primary, KeyPolicy replica, KeyContext key) {
    return new Search(new CompiledPolicy(primary, key), new CompiledPolicy(replica, key), false)
        .run();
  }

  /**
   * Whether {@code inner} allows nothing that {@code outer} denies, for the same key. The result's
   * differences are the requests {@code inner} allows beyond {@code outer} (direction {@link
   * Direction#REPLICA_ONLY}, with {@code inner} in the replica's place).
   */
  public Comparison containment(KeyPolicy inner, KeyPolicy outer, KeyContext key) {
    return new Search(new CompiledPolicy(outer, key), new CompiledPolicy(inner, key), true).run();
  }

  /** One comparison run. Index 0 is the primary, 1 the replica. */
  private final class Search {
    private final CompiledPolicy[] policies;
    private final KeyContext[] keys;
    private final String[] regions;
    private final boolean replicaOnly;
    private final Map<String, KeyDomain> domains = new LinkedHashMap<>();
    private final Map<String, String> linked = new HashMap<>();
    private final Map<CompiledCondition, byte[]> memo = new HashMap<>();
    private final Map<String, Found> found = new LinkedHashMap<>();
    private final Map<String, boolean[]> groupAllows = new HashMap<>();
    private String undecided;
    private long nodes;
    private PrincipalUniverse principals;
    private final long started = nanoTime.getAsLong();

    Search(CompiledPolicy primary, CompiledPolicy replica, boolean replicaOnly) {
      this.policies = new CompiledPolicy[] {primary, replica};
      this.keys = new KeyContext[] {primary.key(), replica.key()};
      this.regions = new String[] {primary.key().region(), replica.key().region()};
      this.replicaOnly = replicaOnly;
    }

    Comparison run() {
      buildDomains();
      if (undecided != null) {
        return undecidedResult();
      }
      principals = new PrincipalUniverse(List.of(policies), regions, keys[1], MAX_STATES);
      if (principals.undecided != null) {
        undecided = principals.undecided;
        return undecidedResult();
      }
      List<String> actions = actionClasses();
      List<List<CompiledStatement>> statements =
          List.of(policies[0].statements(), policies[1].statements());
      // Which statement matches which action class, computed once for all callers.
      boolean[][][] actionMatch = new boolean[2][][];
      for (int p = 0; p < 2; p++) {
        actionMatch[p] = new boolean[statements.get(p).size()][actions.size()];
        for (int s = 0; s < statements.get(p).size(); s++) {
          for (int a = 0; a < actions.size(); a++) {
            actionMatch[p][s][a] = statements.get(p).get(s).matchesAction(actions.get(a));
          }
        }
      }
      for (PrincipalUniverse.Representative rep : principals.representatives) {
        PrincipalMatch[][] principalMatch = new PrincipalMatch[2][];
        for (int p = 0; p < 2; p++) {
          principalMatch[p] = new PrincipalMatch[statements.get(p).size()];
          for (int s = 0; s < statements.get(p).size(); s++) {
            principalMatch[p][s] = statements.get(p).get(s).matchPrincipal(rep.caller(p));
          }
        }
        for (boolean identity : rep.identityOptions()) {
          for (int a = 0; a < actions.size(); a++) {
            searchPair(rep, identity, actions.get(a), statements, principalMatch, actionMatch, a);
            if (undecided != null) {
              return undecidedResult();
            }
          }
        }
      }
      return result();
    }

    /** Whether the budget is spent or the thread interrupted; if so, the search is undecided. */
    private boolean outOfTime() {
      if (budgetNanos == Long.MAX_VALUE && !Thread.currentThread().isInterrupted()) {
        return false;
      }
      if (Thread.currentThread().isInterrupted()) {
        undecided = "the comparison was interrupted before it could search every request";
        return true;
      }
      if (nanoTime.getAsLong() - started > budgetNanos) {
        undecided =
            OUT_OF_TIME + " (" + seconds(budgetNanos) + ") before it could search every request";
        return true;
      }
      return false;
    }

    private Comparison undecidedResult() {
      return new Comparison(Verdict.UNDECIDED, List.of(), undecided);
    }

    private void buildDomains() {
      Map<String, List<List<CompiledCondition>>> byKey = new LinkedHashMap<>();
      Map<String, String> names = new HashMap<>();
      for (int side = 0; side < 2; side++) {
        for (CompiledStatement statement : policies[side].statements()) {
          if (!statement.appliesToKey()) {
            continue;
          }
          for (CompiledCondition condition : statement.conditions()) {
            if (DerivedKeys.isDerived(condition.key(), keys[side])) {
              continue;
            }
            byKey
                .computeIfAbsent(
                    condition.key(), k -> List.of(new ArrayList<>(), new ArrayList<>()))
                .get(side)
                .add(condition);
            names.putIfAbsent(condition.key(), condition.source().key());
          }
        }
      }
      if (byKey.containsKey("aws:currenttime") && byKey.containsKey("aws:epochtime")) {
        // One instant, written two ways (IAM User Guide, global condition keys).
        KeyDomain[] time =
            KeyDomain.instant(
                byKey.remove("aws:currenttime"),
                names.get("aws:currenttime"),
                byKey.remove("aws:epochtime"),
                names.get("aws:epochtime"));
        if (time[0].undecided != null) {
          undecided = time[0].undecided;
          return;
        }
        domains.put("aws:currenttime", time[0]);
        domains.put("aws:epochtime", time[1]);
        linked.put("aws:epochtime", "aws:currenttime");
      }
      for (Map.Entry<String, List<List<CompiledCondition>>> e : byKey.entrySet()) {
        KeyDomain domain =
            KeyDomain.build(
                e.getKey(), names.get(e.getKey()), e.getValue(), catalog, regions, MAX_STATES);
        if (domain.undecided != null) {
          undecided = domain.undecided;
          return;
        }
        domains.put(e.getKey(), domain);
      }
    }

    /** One representative action per class of actions the two policies cannot tell apart. */
    private List<String> actionClasses() {
      List<Glob> globs = new ArrayList<>();
      for (CompiledPolicy policy : policies) {
        for (CompiledStatement statement : policy.statements()) {
          if (statement.appliesToKey()) {
            globs.addAll(statement.actionGlobs());
          }
        }
      }
      List<String> keys = new ArrayList<>(domains.keySet());
      keys.addAll(DerivedKeys.NAMES);
      keys.addAll(DerivedKeys.KEY_FACTS);
      List<String> all = new ArrayList<>(catalog.actions());
      all.add(KmsCatalog.FUTURE_ACTION);
      Map<BitSet, String> classes = new LinkedHashMap<>();
      String usage = this.keys[1].keyUsage().orElse(null);
      String spec = this.keys[1].keySpec().orElse(null);
      for (String action : all) {
        if (!KmsCatalog.possibleOn(action, usage, spec)) {
          continue;
        }
        BitSet signature = new BitSet();
        for (int i = 0; i < globs.size(); i++) {
          signature.set(i, globs.get(i).matches(action));
        }
        for (int i = 0; i < keys.size(); i++) {
          signature.set(globs.size() + i, catalog.available(action, keys.get(i)));
        }
        classes.putIfAbsent(signature, action);
      }
      return new ArrayList<>(classes.values());
    }

    private void searchPair(
        PrincipalUniverse.Representative rep,
        boolean identity,
        String action,
        List<List<CompiledStatement>> all,
        PrincipalMatch[][] principalMatch,
        boolean[][][] actionMatch,
        int actionIndex) {
      if (outOfTime()) {
        return;
      }
      List<Stmt> statements = new ArrayList<>();
      List<Dim> dims = new ArrayList<>();
      Map<Object, Integer> dimIndex = new HashMap<>();
      for (int p = 0; p < 2; p++) {
        Caller caller = rep.caller(p);
        Request probe = null;
        List<CompiledStatement> list = all.get(p);
        for (int i = 0; i < list.size(); i++) {
          PrincipalMatch match = principalMatch[p][i];
          if (match == PrincipalMatch.NONE || !actionMatch[p][i][actionIndex]) {
            continue;
          }
          CompiledStatement s = list.get(i);
          if (probe == null) {
            probe = new Request(caller, identity, action, Map.of());
          }
          boolean effective = CompiledStatement.takesEffect(match, caller, identity, keys[p]);
          if (s.effect() == dev.mrkpolicyguard.engine.policy.Effect.ALLOW && !effective) {
            continue;
          }
          Stmt stmt = new Stmt(p, s);
          if (bindConditions(stmt, probe, action, dims, dimIndex)) {
            statements.add(stmt);
          }
        }
      }
      if (statements.isEmpty()) {
        return;
      }
      int[] assignment = new int[dims.size()];
      java.util.Arrays.fill(assignment, -1);
      PairState state = new PairState(rep, identity, action, statements, dims);
      dfs(state, assignment, 0);
      state.finish();
    }

    /** Binds each condition to a fixed truth or to dimensions; false if a condition is false. */
    private boolean bindConditions(
        Stmt stmt, Request probe, String action, List<Dim> dims, Map<Object, Integer> dimIndex) {
      KeyContext key = keys[stmt.policy];
      for (CompiledCondition c : stmt.source.conditions()) {
        boolean hasAtom = !c.variableValues().isEmpty();
        boolean fixedValue =
            DerivedKeys.isDerived(c.key(), key)
                || !catalog.available(action, c.key())
                || DerivedKeys.absentFor(c.key(), probe.caller());
        if (fixedValue && !hasAtom) {
          List<String> value = Evaluator.value(c.key(), probe, key, catalog);
          if (!catalog.available(action, c.key())) {
            value = null;
          }
          if (!c.holds(value, name -> Evaluator.value(name, probe, key, catalog))) {
            return false;
          }
          continue;
        }
        Bound bound = new Bound(c, stmt.policy);
        bound.domain = domains.get(c.key());
        if (fixedValue) {
          bound.fixed =
              catalog.available(action, c.key())
                  ? Evaluator.value(c.key(), probe, key, catalog)
                  : null;
          bound.keyDim = -1;
        } else {
          // Keys that are one fact (aws:CurrentTime and aws:EpochTime are one instant) share a
          // dimension: their domains' representatives are aligned.
          String dimKey = linked.getOrDefault(c.key(), c.key());
          bound.keyDim =
              dimIndex.computeIfAbsent(
                  dimKey,
                  k -> {
                    dims.add(new Dim(domains.get(k), false));
                    return dims.size() - 1;
                  });
        }
        if (hasAtom) {
          // The same condition text in both policies is the same unknown: one shared atom.
          String atomId =
              "atom|" + c.source().operator().text() + "|" + c.key() + "|" + c.variableValues();
          bound.atomDim =
              dimIndex.computeIfAbsent(
                  atomId,
                  k -> {
                    dims.add(new Dim(null, true));
                    return dims.size() - 1;
                  });
        }
        stmt.bound.add(bound);
      }
      return true;
    }

    private void dfs(PairState state, int[] assignment, int depth) {
      if (++nodes > MAX_NODES) {
        undecided = "the request space of these policies is too large to search exactly";
        return;
      }
      if (nodes % CHECK_EVERY == 0 && outOfTime()) {
        return;
      }
      int primary = decide(state, 0, assignment);
      int replica = decide(state, 1, assignment);
      if (primary != UNKNOWN && replica != UNKNOWN) {
        state.record(primary == TRUE, replica == TRUE, assignment, this);
        return;
      }
      int next = depth;
      while (next < assignment.length && assignment[next] >= 0) {
        next++;
      }
      if (next >= assignment.length) {
        undecided = "internal: decision not fixed after every dimension was assigned";
        return;
      }
      for (int v : state.choices(next)) {
        if (undecided != null) {
          break;
        }
        assignment[next] = v;
        dfs(state, assignment, next + 1);
      }
      assignment[next] = -1;
    }

    /**
     * One value of each class of values of dimension {@code d} that no condition of this search
     * tells apart: values on which every condition bound to {@code d} holds alike lead to the same
     * decisions below, so one of them stands for all (the subtree for "absent" and the one for
     * "some other value" are often the same, and exploring both doubles the search per key).
     */
    private int[] choices(List<Stmt> statements, List<Dim> dims, String action, int d) {
      Dim dim = dims.get(d);
      if (dim.atom) {
        return new int[] {0, 1};
      }
      boolean required = alwaysCarried(dim.domain.key, action);
      List<Bound> bounds = new ArrayList<>();
      for (Stmt stmt : statements) {
        for (Bound b : stmt.bound) {
          if (b.keyDim == d) {
            bounds.add(b);
          }
        }
      }
      Map<BitSet, Integer> classes = new LinkedHashMap<>();
      for (int v = 0; v < dim.domain.reps.size(); v++) {
        if (required && dim.domain.reps.get(v) == null) {
          continue;
        }
        BitSet signature = new BitSet();
        int bit = 0;
        for (Bound b : bounds) {
          signature.set(bit++, holds(b, b.domain, v, false));
          if (b.atomDim >= 0) {
            signature.set(bit++, holds(b, b.domain, v, true));
          }
        }
        classes.putIfAbsent(signature, v);
      }
      return classes.values().stream().mapToInt(Integer::intValue).toArray();
    }

    private boolean holds(Bound b, KeyDomain domain, int rep, boolean atom) {
      byte[] table = memo.computeIfAbsent(b.condition, c -> new byte[domain.reps.size() * 2]);
      int index = rep * 2 + (atom ? 1 : 0);
      if (table[index] == 0) {
        boolean holds = b.condition.holdsAssuming(domain.sides.get(b.side).get(rep), v -> atom);
        table[index] = (byte) (holds ? 2 : 1);
      }
      return table[index] == 2;
    }

    private static final int FALSE = 0;
    private static final int TRUE = 1;
    private static final int UNKNOWN = 2;

    /** Three-valued decision of policy {@code p}: TRUE for allow, FALSE for deny. */
    private int decide(PairState state, int p, int[] assignment) {
      boolean denyUnknown = false;
      boolean allowTrue = false;
      boolean allowUnknown = false;
      for (Stmt stmt : state.statements) {
        if (stmt.policy != p) {
          continue;
        }
        int truth = truth(stmt, assignment, state.dims);
        boolean deny = stmt.source.effect() == dev.mrkpolicyguard.engine.policy.Effect.DENY;
        if (truth == TRUE && deny) {
          return FALSE;
        }
        if (truth == UNKNOWN) {
          if (deny) {
            denyUnknown = true;
          } else {
            allowUnknown = true;
          }
        } else if (truth == TRUE) {
          allowTrue = true;
        }
      }
      if (denyUnknown) {
        return UNKNOWN;
      }
      if (allowTrue) {
        return TRUE;
      }
      return allowUnknown ? UNKNOWN : FALSE;
    }

    private int truth(Stmt stmt, int[] assignment, List<Dim> dims) {
      int result = TRUE;
      for (Bound b : stmt.bound) {
        int t = truth(b, assignment, dims);
        if (t == FALSE) {
          return FALSE;
        }
        if (t == UNKNOWN) {
          result = UNKNOWN;
        }
      }
      return result;
    }

    private int truth(Bound b, int[] assignment, List<Dim> dims) {
      int rep = 0;
      if (b.keyDim >= 0) {
        rep = assignment[b.keyDim];
        if (rep < 0) {
          return UNKNOWN;
        }
      }
      boolean atom = false;
      if (b.atomDim >= 0) {
        if (assignment[b.atomDim] < 0) {
          return UNKNOWN;
        }
        atom = assignment[b.atomDim] == 1;
      }
      if (b.keyDim < 0) {
        final boolean a = atom;
        return b.condition.holdsAssuming(b.fixed, v -> a) ? TRUE : FALSE;
      }
      return holds(b, b.domain, rep, atom) ? TRUE : FALSE;
    }

    void addFound(String groupKey, Found f) {
      Found existing = found.get(groupKey);
      if (existing == null) {
        found.put(groupKey, f);
      }
    }

    void markAllows(String group, boolean primary, boolean replica) {
      boolean[] allows = groupAllows.computeIfAbsent(group, g -> new boolean[2]);
      allows[0] |= primary;
      allows[1] |= replica;
    }

    private Comparison result() {
      if (undecided != null) {
        return undecidedResult();
      }
      List<Found> list = new ArrayList<>(found.values());
      for (Found f : list) {
        if (f.atomsUsed) {
          Witness concrete = concretize(f);
          if (concrete == null) {
            undecided =
                "a difference depends on policy variables, and no value of them was found that"
                    + " shows it (the engine does not enumerate variable values)";
            return undecidedResult();
          }
          f.witness = concrete;
        }
        boolean[] allows = groupAllows.getOrDefault(f.group, new boolean[2]);
        boolean narrowerAllowsGroup = f.direction == Direction.REPLICA_ONLY ? allows[0] : allows[1];
        if (!narrowerAllowsGroup) {
          f.kind = DifferenceKind.PRINCIPAL;
        }
      }
      Map<String, Found> merged = new LinkedHashMap<>();
      for (Found f : list) {
        String k =
            f.kind == DifferenceKind.PRINCIPAL
                ? f.direction + "|" + f.group + "|P"
                : f.direction + "|" + f.group + "|" + f.kind + "|" + f.sids;
        merged.putIfAbsent(k, f);
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
      Verdict verdict =
          broader && narrower
              ? Verdict.DIVERGENT
              : broader
                  ? Verdict.REPLICA_BROADER
                  : narrower ? Verdict.REPLICA_NARROWER : Verdict.EQUIVALENT;
      return new Comparison(verdict, differences, null);
    }

    /**
     * A concrete witness for a difference found under assumptions about policy variables: values of
     * the variables (each value present in the witness, or a fresh one) under which the evaluator
     * confirms the difference on both keys, or null if none does. A variable naming a key derived
     * from the caller is not chosen (the evaluator resolves it); {@code aws:username} exists only
     * for IAM users and takes an IAM name.
     */
    private Witness concretize(Found f) {
      java.util.Set<String> variables = new java.util.TreeSet<>();
      for (CompiledPolicy policy : policies) {
        for (CompiledStatement statement : policy.statements()) {
          for (CompiledCondition c : statement.conditions()) {
            for (String raw : c.variableValues()) {
              java.util.regex.Matcher m = VARIABLE_NAME.matcher(raw);
              while (m.find()) {
                String name = m.group(1).trim();
                if (!DerivedKeys.isDerived(name.toLowerCase(java.util.Locale.ROOT), keys[1])) {
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

    private Witness withVariables(
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
        if (name.toLowerCase(java.util.Locale.ROOT).startsWith("aws:principaltag/")
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
      StringBuilder out =
          new StringBuilder(statements.size() == 1 ? " statement " : " statements ");
      for (int i = 0; i < statements.size(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        out.append(statements.get(i).source().label());
      }
      return out.toString();
    }

    /** Per caller/action search state. */
    private final class PairState {
      final PrincipalUniverse.Representative rep;
      final boolean identity;
      final String action;
      final List<Stmt> statements;
      final List<Dim> dims;
      final boolean[] allowsSomewhere = new boolean[2];
      final List<Found> pending = new ArrayList<>();
      private int[][] choices;

      int[] choices(int d) {
        if (choices == null) {
          choices = new int[dims.size()][];
        }
        if (choices[d] == null) {
          choices[d] = Search.this.choices(statements, dims, action, d);
        }
        return choices[d];
      }

      PairState(
          PrincipalUniverse.Representative rep,
          boolean identity,
          String action,
          List<Stmt> statements,
          List<Dim> dims) {
        this.rep = rep;
        this.identity = identity;
        this.action = action;
        this.statements = statements;
        this.dims = dims;
      }

      void record(boolean primary, boolean replica, int[] assignment, Search search) {
        allowsSomewhere[0] |= primary;
        allowsSomewhere[1] |= replica;
        search.markAllows(rep.group(), primary, replica);
        if (primary == replica || (replicaOnly && !replica)) {
          return;
        }
        Direction direction = replica ? Direction.REPLICA_ONLY : Direction.PRIMARY_ONLY;
        String sids = allowingSids(replica ? 1 : 0, assignment);
        for (Found f : pending) {
          if (f.direction == direction && f.sids.equals(sids)) {
            return;
          }
        }
        Found f = new Found();
        f.direction = direction;
        f.group = rep.group();
        f.sids = sids;
        f.order = found.size() + pending.size();
        f.atomsUsed = atomsAssigned(assignment);
        f.witness = witness(assignment);
        pending.add(f);
      }

      private boolean atomsAssigned(int[] assignment) {
        for (int i = 0; i < assignment.length; i++) {
          if (dims.get(i).atom && assignment[i] >= 0) {
            return true;
          }
        }
        return false;
      }

      private String allowingSids(int p, int[] assignment) {
        StringBuilder out = new StringBuilder();
        for (Stmt stmt : statements) {
          if (stmt.policy == p && truth(stmt, assignment, dims) == TRUE) {
            out.append(stmt.source.source().index()).append(',');
          }
        }
        return out.toString();
      }

      private Witness witness(int[] assignment) {
        List<Map<String, List<String>>> contexts =
            List.of(new LinkedHashMap<>(), new LinkedHashMap<>());
        for (int i = 0; i < assignment.length; i++) {
          Dim dim = dims.get(i);
          if (dim.atom) {
            continue;
          }
          int rep = assignment[i] >= 0 ? assignment[i] : firstPossible(dim);
          List<KeyDomain> shownDomains = new ArrayList<>(List.of(dim.domain));
          for (Stmt stmt : statements) {
            for (Bound b : stmt.bound) {
              if (b.keyDim == i && !shownDomains.contains(b.domain)) {
                shownDomains.add(b.domain);
              }
            }
          }
          for (KeyDomain domain : shownDomains) {
            for (int side = 0; side < 2; side++) {
              List<String> value = domain.sides.get(side).get(rep);
              if (value != null) {
                contexts.get(side).put(domain.displayName, value);
              }
            }
          }
        }
        Caller[] shown = {principals.display(rep, 0), principals.display(rep, 1)};
        for (int side = 0; side < 2; side++) {
          Request probe = new Request(shown[side], identity, action, Map.of());
          Map<String, List<String>> context = contexts.get(side);
          for (Stmt stmt : statements) {
            for (CompiledCondition c : stmt.source.conditions()) {
              if (DerivedKeys.isDerived(c.key(), keys[side])
                  && !context.containsKey(c.source().key())) {
                List<String> value = Evaluator.value(c.key(), probe, keys[side], catalog);
                if (value != null) {
                  context.put(c.source().key(), value);
                }
              }
            }
          }
        }
        return new Witness(shown[1], identity, action, contexts.get(1), shown[0], contexts.get(0));
      }

      private int firstPossible(Dim dim) {
        boolean required = alwaysCarried(dim.domain.key, action);
        for (int v = 0; v < dim.domain.reps.size(); v++) {
          if (!required || dim.domain.reps.get(v) != null) {
            return v;
          }
        }
        return 0;
      }

      void finish() {
        for (Found f : pending) {
          boolean narrowerAllows =
              f.direction == Direction.REPLICA_ONLY ? allowsSomewhere[0] : allowsSomewhere[1];
          f.kind = narrowerAllows ? DifferenceKind.CONDITION : DifferenceKind.ACTION;
          addFound(f.direction + "|" + f.group + "|" + f.kind + "|" + f.sids, f);
        }
      }
    }
  }

  /** A statement taking part in one caller/action search. */
  private static final class Stmt {
    final int policy;
    final CompiledStatement source;
    final List<Bound> bound = new ArrayList<>();

    Stmt(int policy, CompiledStatement source) {
      this.policy = policy;
      this.source = source;
    }
  }

  /** A condition bound to search dimensions. */
  private static final class Bound {
    final CompiledCondition condition;
    final int side;
    KeyDomain domain;
    int keyDim = -1;
    int atomDim = -1;
    List<String> fixed;

    Bound(CompiledCondition condition, int side) {
      this.condition = condition;
      this.side = side;
    }
  }

  /**
   * Whether every request for {@code action} carries {@code key}: CreateGrant always has its
   * operations (KMS API Reference, CreateGrant: {@code Operations} is required).
   */
  private static boolean alwaysCarried(String key, String action) {
    return key.equals("kms:grantoperations") && action.equals("kms:CreateGrant");
  }

  /** A search dimension: a condition key's value classes, or a policy-variable atom. */
  private record Dim(KeyDomain domain, boolean atom) {}

  /** A difference found, before ranking. */
  private static final class Found {
    Direction direction;
    DifferenceKind kind;
    String group;
    String sids;
    int order;
    boolean atomsUsed;
    Witness witness;
  }
}
