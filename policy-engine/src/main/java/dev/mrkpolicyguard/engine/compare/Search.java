package dev.mrkpolicyguard.engine.compare;

import dev.mrkpolicyguard.engine.catalog.KmsCatalog;
import dev.mrkpolicyguard.engine.eval.Caller;
import dev.mrkpolicyguard.engine.eval.CompiledCondition;
import dev.mrkpolicyguard.engine.eval.CompiledStatement;
import dev.mrkpolicyguard.engine.eval.DerivedKeys;
import dev.mrkpolicyguard.engine.eval.Evaluator;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.eval.PrincipalMatch;
import dev.mrkpolicyguard.engine.eval.Request;
import dev.mrkpolicyguard.engine.policy.Effect;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The exploration of one request space: for each caller and action class, the value classes of only
 * the keys that the matching statements mention, with three-valued evaluation so that a subtree is
 * left as soon as both decisions are fixed. Bounded by a node count (memory) and by the
 * comparison's {@link Budget} (time), checked before each caller and action and every {@link
 * #CHECK_EVERY} nodes.
 */
final class Search {
  static final long MAX_NODES = 5_000_000L;

  /** Nodes searched between two looks at the clock: a look costs about as much as a node. */
  static final int CHECK_EVERY = 1024;

  static final int FALSE = 0;
  static final int TRUE = 1;
  static final int UNKNOWN = 2;

  private final RequestSpace space;
  private final KmsCatalog catalog;
  private final Budget budget;
  private final boolean replicaOnly;
  private final KeyContext[] keys;
  private final Map<CompiledCondition, byte[]> memo = new HashMap<>();
  private final boolean everyPair;

  /** The differences found, by class, in order of discovery. */
  final Map<Found.Key, Found> found = new LinkedHashMap<>();

  /** For each caller group, whether the primary (index 0) and the replica allow some request. */
  final Map<String, boolean[]> groupAllows = new HashMap<>();

  /** Why the search stopped before the end, or null. */
  String undecided;

  private long nodes;

  /**
   * A search of {@code space}; with {@code replicaOnly}, only requests the replica's policy allows
   * beyond the primary's are differences.
   */
  Search(RequestSpace space, KmsCatalog catalog, Budget budget, boolean replicaOnly) {
    this(space, catalog, budget, replicaOnly, false);
  }

  /**
   * A search; with {@code everyPair}, every caller, identity option and action class is searched
   * even where an earlier one of the same caller was the same search ({@link #signature}), as
   * before that was skipped: tests use it to show that skipping changes no comparison.
   */
  Search(
      RequestSpace space,
      KmsCatalog catalog,
      Budget budget,
      boolean replicaOnly,
      boolean everyPair) {
    this.space = space;
    this.catalog = catalog;
    this.budget = budget;
    this.replicaOnly = replicaOnly;
    this.keys = space.keys;
    this.everyPair = everyPair;
  }

  /** Searches every caller and action class; afterwards {@link #undecided} or the findings. */
  void run() {
    List<String> actions = space.actions;
    List<List<CompiledStatement>> statements =
        List.of(space.policies[0].statements(), space.policies[1].statements());
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
    for (PrincipalUniverse.Representative rep : space.principals.representatives) {
      PrincipalMatch[][] principalMatch = new PrincipalMatch[2][];
      for (int p = 0; p < 2; p++) {
        principalMatch[p] = new PrincipalMatch[statements.get(p).size()];
        for (int s = 0; s < statements.get(p).size(); s++) {
          principalMatch[p][s] = statements.get(p).get(s).matchPrincipal(rep.caller(p));
        }
      }
      Set<String> searched = new HashSet<>();
      for (boolean identity : rep.identityOptions()) {
        for (int a = 0; a < actions.size(); a++) {
          if (!everyPair
              && !searched.add(
                  signature(
                      rep, identity, actions.get(a), statements, principalMatch, actionMatch, a))) {
            continue;
          }
          searchPair(rep, identity, actions.get(a), statements, principalMatch, actionMatch, a);
          if (undecided != null) {
            return;
          }
        }
      }
    }
  }

  /**
   * What the search of one caller, identity option and action depends on besides the caller: the
   * statements taking part (as {@link #searchPair} picks them) and, for each of their conditions,
   * whether the action carries its key and always does; with a policy variable in a condition,
   * whether it carries each key a variable can name. Two searches of one caller with the same
   * signature bind the same conditions to the same dimensions and values and find the same
   * differences in the same caller group: the later one adds nothing (a difference is kept by
   * direction, group, kind and allowing statements, first found first), so it is skipped.
   */
  private String signature(
      PrincipalUniverse.Representative rep,
      boolean identity,
      String action,
      List<List<CompiledStatement>> all,
      PrincipalMatch[][] principalMatch,
      boolean[][][] actionMatch,
      int actionIndex) {
    StringBuilder out = new StringBuilder();
    for (int p = 0; p < 2; p++) {
      Caller caller = rep.caller(p);
      List<CompiledStatement> list = all.get(p);
      for (int i = 0; i < list.size(); i++) {
        CompiledStatement s = list.get(i);
        if (!takesPart(
            p, s, principalMatch[p][i], actionMatch[p][i][actionIndex], caller, identity)) {
          continue;
        }
        out.append(p).append(':').append(i).append('[');
        for (CompiledCondition c : s.conditions()) {
          out.append(catalog.available(action, c.key()) ? '1' : '0')
              .append(alwaysCarried(c.key(), action) ? '1' : '0');
          if (!c.variableValues().isEmpty()) {
            out.append('$');
            for (String name : VARIABLE_KEYS) {
              out.append(catalog.available(action, name) ? '1' : '0');
            }
          }
        }
        out.append(']');
      }
    }
    return out.toString();
  }

  /** The keys a policy variable can name whose presence depends on the action. */
  private static final List<String> VARIABLE_KEYS = variableKeys();

  private static List<String> variableKeys() {
    List<String> keys = new ArrayList<>(DerivedKeys.NAMES);
    keys.addAll(DerivedKeys.KEY_FACTS);
    keys.sort(null);
    return List.copyOf(keys);
  }

  /**
   * Whether statement {@code s} of policy {@code p} takes part in the search of {@code caller} with
   * the given identity option and an action it matches or not: it names the caller, and an Allow
   * also takes effect for it (a Deny applies whatever the caller's IAM policies say).
   */
  private boolean takesPart(
      int p,
      CompiledStatement s,
      PrincipalMatch match,
      boolean actionMatches,
      Caller caller,
      boolean identity) {
    if (match == PrincipalMatch.NONE || !actionMatches) {
      return false;
    }
    return s.effect() != Effect.ALLOW
        || CompiledStatement.takesEffect(match, caller, identity, keys[p]);
  }

  /** Whether the budget is spent or the thread interrupted; if so, the search is undecided. */
  private boolean outOfTime() {
    String spent = budget.spent();
    if (spent != null) {
      undecided = spent;
      return true;
    }
    return false;
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
        CompiledStatement s = list.get(i);
        if (!takesPart(
            p, s, principalMatch[p][i], actionMatch[p][i][actionIndex], caller, identity)) {
          continue;
        }
        if (probe == null) {
          probe = new Request(caller, identity, action, Map.of());
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
    Arrays.fill(assignment, -1);
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
      boolean available = catalog.available(action, c.key());
      boolean fixedValue =
          DerivedKeys.isDerived(c.key(), key)
              || !available
              || DerivedKeys.absentFor(c.key(), probe.caller());
      if (fixedValue && !hasAtom) {
        List<String> value = available ? Evaluator.value(c.key(), probe, key, catalog) : null;
        if (!c.holds(value, name -> Evaluator.value(name, probe, key, catalog))) {
          return false;
        }
        continue;
      }
      Bound bound = new Bound(c, stmt.policy);
      bound.domain = space.domains.get(c.key());
      if (fixedValue) {
        bound.fixed = available ? Evaluator.value(c.key(), probe, key, catalog) : null;
        bound.keyDim = -1;
      } else {
        // Keys that are one fact (aws:CurrentTime and aws:EpochTime are one instant) share a
        // dimension: their domains' representatives are aligned.
        String dimKey = space.linked.getOrDefault(c.key(), c.key());
        bound.keyDim =
            dimIndex.computeIfAbsent(
                dimKey,
                k -> {
                  dims.add(new Dim(space.domains.get(k), false));
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
      state.record(primary == TRUE, replica == TRUE, assignment);
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
   * One value of each class of values of dimension {@code d} that no condition of this search tells
   * apart: values on which every condition bound to {@code d} holds alike lead to the same
   * decisions below, so one of them stands for all (the subtree for "absent" and the one for "some
   * other value" are often the same, and exploring both doubles the search per key).
   */
  int[] choices(List<Stmt> statements, List<Dim> dims, String action, int d) {
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

  /** Three-valued decision of policy {@code p}: TRUE for allow, FALSE for deny. */
  private int decide(PairState state, int p, int[] assignment) {
    boolean denyUnknown = false;
    boolean allowTrue = false;
    boolean allowUnknown = false;
    for (Stmt stmt : state.statements) {
      if (stmt.policy != p) {
        continue;
      }
      int truth = truth(stmt, assignment);
      boolean deny = stmt.source.effect() == Effect.DENY;
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

  int truth(Stmt stmt, int[] assignment) {
    int result = TRUE;
    for (Bound b : stmt.bound) {
      int t = truth(b, assignment);
      if (t == FALSE) {
        return FALSE;
      }
      if (t == UNKNOWN) {
        result = UNKNOWN;
      }
    }
    return result;
  }

  private int truth(Bound b, int[] assignment) {
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

  private void addFound(Found f) {
    found.putIfAbsent(f.key(), f);
  }

  private void markAllows(String group, boolean primary, boolean replica) {
    boolean[] allows = groupAllows.computeIfAbsent(group, g -> new boolean[2]);
    allows[0] |= primary;
    allows[1] |= replica;
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

    int[] choices(int d) {
      if (choices == null) {
        choices = new int[dims.size()][];
      }
      if (choices[d] == null) {
        choices[d] = Search.this.choices(statements, dims, action, d);
      }
      return choices[d];
    }

    void record(boolean primary, boolean replica, int[] assignment) {
      allowsSomewhere[0] |= primary;
      allowsSomewhere[1] |= replica;
      markAllows(rep.group(), primary, replica);
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
        if (stmt.policy == p && truth(stmt, assignment) == TRUE) {
          out.append(stmt.source.source().index()).append(',');
        }
      }
      return out.toString();
    }

    /**
     * The request of {@code assignment} on both keys: each dimension's value (the first possible
     * one where the search left it open), the derived keys the statements test, and readable
     * callers of the same class.
     */
    private Witness witness(int[] assignment) {
      List<Map<String, List<String>>> contexts =
          List.of(new LinkedHashMap<>(), new LinkedHashMap<>());
      for (int i = 0; i < assignment.length; i++) {
        Dim dim = dims.get(i);
        if (dim.atom) {
          continue;
        }
        int value = assignment[i] >= 0 ? assignment[i] : firstPossible(dim);
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
            List<String> shown = domain.sides.get(side).get(value);
            if (shown != null) {
              contexts.get(side).put(domain.displayName, shown);
            }
          }
        }
      }
      Caller[] shown = {space.principals.display(rep, 0), space.principals.display(rep, 1)};
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
        addFound(f);
      }
    }
  }

  /**
   * Whether every request for {@code action} carries {@code key}: CreateGrant always has its
   * operations (KMS API Reference, CreateGrant: {@code Operations} is required).
   */
  static boolean alwaysCarried(String key, String action) {
    return key.equals("kms:grantoperations") && action.equals("kms:CreateGrant");
  }

  /** A statement taking part in one caller/action search. */
  static final class Stmt {
    final int policy;
    final CompiledStatement source;
    final List<Bound> bound = new ArrayList<>();

    Stmt(int policy, CompiledStatement source) {
      this.policy = policy;
      this.source = source;
    }
  }

  /** A condition bound to search dimensions. */
  static final class Bound {
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

  /** A search dimension: a condition key's value classes, or a policy-variable atom. */
  record Dim(KeyDomain domain, boolean atom) {}
}
