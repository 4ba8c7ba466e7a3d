package dev.mrkpolicyguard.engine.compare;

import dev.mrkpolicyguard.engine.catalog.KmsCatalog;
import dev.mrkpolicyguard.engine.eval.CompiledCondition;
import dev.mrkpolicyguard.engine.eval.CompiledPolicy;
import dev.mrkpolicyguard.engine.eval.CompiledStatement;
import dev.mrkpolicyguard.engine.eval.DerivedKeys;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.match.Glob;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The finite request space of one comparison: the classes of callers ({@link PrincipalUniverse}),
 * of actions, and of each condition key's values ({@link KeyDomain}) that the two policies can tell
 * apart. Index 0 is the primary's policy and key, 1 the replica's.
 */
final class RequestSpace {
  static final int MAX_STATES = 20_000;

  final CompiledPolicy[] policies;
  final KeyContext[] keys;
  final String[] regions;

  /** The value classes of each condition key a statement tests, by lower-case key. */
  final Map<String, KeyDomain> domains = new LinkedHashMap<>();

  /** Keys that are one fact with another key (aws:EpochTime with aws:CurrentTime). */
  final Map<String, String> linked = new HashMap<>();

  PrincipalUniverse principals;

  /** One representative action per class of actions the two policies cannot tell apart. */
  List<String> actions = List.of();

  /** Why no exact request space exists, or null. */
  String undecided;

  private RequestSpace(CompiledPolicy primary, CompiledPolicy replica) {
    this.policies = new CompiledPolicy[] {primary, replica};
    this.keys = new KeyContext[] {primary.key(), replica.key()};
    this.regions = new String[] {primary.key().region(), replica.key().region()};
  }

  /**
   * The request space of {@code primary} and {@code replica}, each compiled for its own key; if no
   * exact partition exists, its {@link #undecided} says why and the rest may be missing.
   */
  static RequestSpace of(CompiledPolicy primary, CompiledPolicy replica, KmsCatalog catalog) {
    return of(primary, replica, catalog, false);
  }

  /**
   * The request space, with action classes told apart by every derived key when {@code
   * everyDerivedKey} (how classes were drawn before {@link #derivedKeysTested}; tests show that
   * both give the same comparisons), else only by those a statement tests.
   */
  static RequestSpace of(
      CompiledPolicy primary, CompiledPolicy replica, KmsCatalog catalog, boolean everyDerivedKey) {
    RequestSpace space = new RequestSpace(primary, replica);
    space.buildDomains(catalog);
    if (space.undecided != null) {
      return space;
    }
    space.principals =
        new PrincipalUniverse(List.of(space.policies), space.regions, space.keys[1], MAX_STATES);
    if (space.principals.undecided != null) {
      space.undecided = space.principals.undecided;
      return space;
    }
    space.actions = space.actionClasses(catalog, everyDerivedKey);
    return space;
  }

  private void buildDomains(KmsCatalog catalog) {
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
              .computeIfAbsent(condition.key(), k -> List.of(new ArrayList<>(), new ArrayList<>()))
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

  /**
   * The keys derived from the caller or the key that a statement of either policy can test: those
   * its conditions name, and all of them when a condition value holds a policy variable (a variable
   * is resolved from the request like a key). An action's class depends on whether it carries these
   * only; a derived key no statement tests cannot tell two actions apart.
   */
  private Set<String> derivedKeysTested() {
    Set<String> tested = new LinkedHashSet<>();
    for (CompiledPolicy policy : policies) {
      for (CompiledStatement statement : policy.statements()) {
        for (CompiledCondition condition : statement.conditions()) {
          String key = condition.key();
          if (DerivedKeys.isDerived(key) || DerivedKeys.KEY_FACTS.contains(key)) {
            tested.add(key);
          }
          for (String value : condition.source().values()) {
            if (value.contains("${")) {
              tested.addAll(DerivedKeys.NAMES);
              tested.addAll(DerivedKeys.KEY_FACTS);
            }
          }
        }
      }
    }
    return tested;
  }

  /**
   * One representative action per class of actions the two policies cannot tell apart: actions
   * matched by the same action patterns, carrying the same of the condition keys the statements
   * test (and always carrying the same), among those the replica key can receive. The first action
   * of each class in the catalogue's witness order stands for it.
   */
  private List<String> actionClasses(KmsCatalog catalog, boolean everyDerivedKey) {
    // Equal patterns (the same action named in both policies) tell the same actions apart.
    Set<Glob> distinct = new LinkedHashSet<>();
    for (CompiledPolicy policy : policies) {
      for (CompiledStatement statement : policy.statements()) {
        if (statement.appliesToKey()) {
          distinct.addAll(statement.actionGlobs());
        }
      }
    }
    List<Glob> globs = new ArrayList<>(distinct);
    List<String> keyNames = new ArrayList<>(domains.keySet());
    if (everyDerivedKey) {
      keyNames.addAll(DerivedKeys.NAMES);
      keyNames.addAll(DerivedKeys.KEY_FACTS);
    } else {
      keyNames.addAll(derivedKeysTested());
    }
    List<String> all = new ArrayList<>(catalog.actions());
    all.add(KmsCatalog.FUTURE_ACTION);
    Map<BitSet, String> classes = new LinkedHashMap<>();
    String usage = keys[1].keyUsage().orElse(null);
    String spec = keys[1].keySpec().orElse(null);
    for (String action : all) {
      if (!KmsCatalog.possibleOn(action, usage, spec)) {
        continue;
      }
      BitSet signature = new BitSet();
      for (int i = 0; i < globs.size(); i++) {
        signature.set(2 * i, globs.get(i).matches(action));
      }
      for (int i = 0; i < keyNames.size(); i++) {
        signature.set(2 * (globs.size() + i), catalog.available(action, keyNames.get(i)));
        signature.set(2 * (globs.size() + i) + 1, Search.alwaysCarried(keyNames.get(i), action));
      }
      classes.putIfAbsent(signature, action);
    }
    return new ArrayList<>(classes.values());
  }
}
