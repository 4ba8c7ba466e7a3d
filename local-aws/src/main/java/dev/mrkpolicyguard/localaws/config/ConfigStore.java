package dev.mrkpolicyguard.localaws.config;

import dev.mrkpolicyguard.localaws.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Config rules (registered through this Java API), the evaluations stored for them and the
 * evaluation runs started, per account and Region.
 */
public final class ConfigStore {
  private final List<Registration> rules = new ArrayList<>();
  private final Map<Scope, List<StoredEvaluation>> history = new LinkedHashMap<>();
  private final Map<Scope, Map<ResultKey, StoredEvaluation>> latest = new LinkedHashMap<>();
  private final Map<Scope, List<List<String>>> started = new LinkedHashMap<>();
  private final Map<Scope, Map<String, Instant>> lastStarts = new LinkedHashMap<>();
  private final OrganizationPacks organizationPacks = new OrganizationPacks();

  /** The organization conformance packs: seed them and their member statuses here. */
  public OrganizationPacks organizationPacks() {
    return organizationPacks;
  }

  /** Registers a rule in one account and Region; PutEvaluations accepts any of its tokens. */
  public synchronized void registerRule(
      String account, String region, String ruleName, String... resultTokens) {
    rules.add(new Registration(account, region, ruleName, Set.of(resultTokens)));
  }

  /** Registers a rule in every account and Region (what the command line's rules do). */
  public synchronized void registerRuleEverywhere(String ruleName, String... resultTokens) {
    rules.add(new Registration(null, null, ruleName, Set.of(resultTokens)));
  }

  /** Every evaluation stored in the account and Region, in arrival order. */
  public synchronized List<StoredEvaluation> evaluations(String account, String region) {
    return List.copyOf(history.getOrDefault(new Scope(account, region), List.of()));
  }

  /** The rule names of every StartConfigRulesEvaluation call in the account and Region. */
  public synchronized List<List<String>> startedEvaluations(String account, String region) {
    return List.copyOf(started.getOrDefault(new Scope(account, region), List.of()));
  }

  public synchronized void reset() {
    rules.clear();
    history.clear();
    latest.clear();
    started.clear();
    lastStarts.clear();
    organizationPacks.reset();
  }

  synchronized Optional<String> ruleForToken(Scope scope, String token) {
    return rules.stream()
        .filter(r -> r.covers(scope) && r.tokens().contains(token))
        .map(Registration::ruleName)
        .findFirst();
  }

  synchronized boolean ruleExists(Scope scope, String ruleName) {
    return rules.stream().anyMatch(r -> r.covers(scope) && r.ruleName().equals(ruleName));
  }

  /** Stores an evaluation; Config keeps per resource the one with the latest ordering time. */
  synchronized void store(Scope scope, StoredEvaluation evaluation) {
    history.computeIfAbsent(scope, s -> new ArrayList<>()).add(evaluation);
    Map<ResultKey, StoredEvaluation> results =
        latest.computeIfAbsent(scope, s -> new LinkedHashMap<>());
    ResultKey key =
        new ResultKey(
            evaluation.configRuleName(), evaluation.resourceType(), evaluation.resourceId());
    StoredEvaluation current = results.get(key);
    if (current == null || !evaluation.orderingTimestamp().isBefore(current.orderingTimestamp())) {
      results.put(key, evaluation);
    }
  }

  synchronized List<StoredEvaluation> results(Scope scope, String ruleName) {
    return latest.getOrDefault(scope, Map.of()).values().stream()
        .filter(e -> e.configRuleName().equals(ruleName))
        .toList();
  }

  /** The names of the rules of the account and Region, each once, in registration order. */
  synchronized List<String> ruleNames(Scope scope) {
    return rules.stream()
        .filter(r -> r.covers(scope))
        .map(Registration::ruleName)
        .distinct()
        .toList();
  }

  /** When an evaluation of the rule was last started, if ever. */
  synchronized Optional<Instant> lastStart(Scope scope, String ruleName) {
    return Optional.ofNullable(lastStarts.getOrDefault(scope, Map.of()).get(ruleName));
  }

  synchronized void recordStart(Scope scope, List<String> ruleNames, Instant at) {
    started.computeIfAbsent(scope, s -> new ArrayList<>()).add(List.copyOf(ruleNames));
    Map<String, Instant> last = lastStarts.computeIfAbsent(scope, s -> new LinkedHashMap<>());
    ruleNames.forEach(name -> last.put(name, at));
  }

  private record Registration(String account, String region, String ruleName, Set<String> tokens) {
    boolean covers(Scope scope) {
      return (account == null || account.equals(scope.account()))
          && (region == null || region.equals(scope.region()));
    }
  }

  private record ResultKey(String ruleName, String resourceType, String resourceId) {}
}
