package dev.mrkpolicyguard.engine.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mrkpolicyguard.engine.compare.Comparison;
import dev.mrkpolicyguard.engine.compare.Exhaustive;
import dev.mrkpolicyguard.engine.compare.PolicyComparator;
import dev.mrkpolicyguard.engine.properties.PolicyModel.Policy;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The search's prunings (action classes by the derived keys statements test; a caller's search
 * skipped when an earlier one of the same caller was the same) change no comparison: verdict,
 * differences, witnesses and reason are those of the exhaustive search, for random pairs of a
 * policy and a rewrite or mutation of it, each judged on its own key.
 */
class PruningProperties {
  private final PolicyComparator comparator = new PolicyComparator();

  @Provide
  Arbitrary<Policy> policies() {
    return PolicyGenerators.policy();
  }

  @Provide
  Arbitrary<Choices> choices() {
    return Choices.upTo(64);
  }

  @Property(tries = 120)
  void compare_anyPair_sameAsTheExhaustiveSearch(
      @ForAll("policies") Policy p, @ForAll boolean rewriteOnly, @ForAll("choices") Choices edits) {
    Policy r =
        rewriteOnly
            ? PolicyGenerators.rewrite(p, edits.cursor())
            : PolicyGenerators.mutate(p, edits.cursor());
    var primaryKey = ComparatorProperties.US_EAST_1;
    var replicaKey = ComparatorProperties.EU_WEST_1;

    Comparison pruned = comparator.compare(p.parsed(), primaryKey, r.parsed(), replicaKey);
    Statistics.collect(pruned.verdict());

    assertEquals(
        Exhaustive.compare(p.parsed(), primaryKey, r.parsed(), replicaKey),
        pruned,
        () -> p.json() + "\nvs\n" + r.json());
  }
}
