package dev.mrkpolicyguard.engine.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.engine.compare.Comparison;
import dev.mrkpolicyguard.engine.compare.Difference;
import dev.mrkpolicyguard.engine.compare.PolicyComparator;
import dev.mrkpolicyguard.engine.compare.Verdict;
import dev.mrkpolicyguard.engine.eval.CompiledPolicy;
import dev.mrkpolicyguard.engine.eval.Decision;
import dev.mrkpolicyguard.engine.eval.Evaluator;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import dev.mrkpolicyguard.engine.properties.PolicyModel.Policy;
import dev.mrkpolicyguard.engine.rule.Baseline;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The no-public-access ceiling is checked over the statements that can reach beyond it ({@link
 * Baseline#beyondNamedAccounts}): for any policy, that must find what checking the whole policy
 * finds, and every witness must be a request the whole policy allows and the ceiling denies.
 */
class CeilingProperties {
  private static final KeyContext KEY = ComparatorProperties.US_EAST_1;

  private final PolicyComparator comparator = new PolicyComparator();
  private final Evaluator evaluator = new Evaluator();

  @Provide
  Arbitrary<Policy> policies() {
    return PolicyGenerators.policy();
  }

  @Property(tries = 150)
  void containment_statementsBeyondNamedAccounts_sameAnswerAsTheWholePolicy(
      @ForAll("policies") Policy p) {
    KeyPolicy whole = p.parsed();
    KeyPolicy ceiling = Baseline.publicAccessCeiling(KEY, whole);
    KeyPolicy beyond = Baseline.beyondNamedAccounts(whole);
    Comparison full = comparator.containment(whole, ceiling, KEY);
    Assume.that(full.verdict() != Verdict.UNDECIDED);
    Statistics.collect(beyond == null ? "nothing beyond" : full.verdict());

    if (beyond == null) {
      assertTrue(full.differences().isEmpty(), () -> "exceeds the ceiling: " + p.json());
      return;
    }
    Comparison part = comparator.containment(beyond, ceiling, KEY);
    assertEquals(full.verdict(), part.verdict(), p::json);
    assertEquals(full.differences().isEmpty(), part.differences().isEmpty(), p::json);
    for (Difference d : part.differences()) {
      assertWitness(whole, ceiling, d, p);
    }
  }

  private void assertWitness(KeyPolicy whole, KeyPolicy ceiling, Difference d, Policy p) {
    CompiledPolicy inner = new CompiledPolicy(whole, KEY);
    CompiledPolicy outer = new CompiledPolicy(ceiling, KEY);
    var request = d.witness().toRequest();
    assertEquals(
        List.of(Decision.ALLOW, Decision.DENY),
        List.of(
            evaluator.evaluate(inner, request).decision(),
            evaluator.evaluate(outer, request).decision()),
        () -> "witness " + d.witness() + " of " + p.json());
  }
}
