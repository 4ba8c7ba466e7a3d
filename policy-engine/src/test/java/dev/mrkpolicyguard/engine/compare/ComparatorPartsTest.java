package dev.mrkpolicyguard.engine.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.engine.Policies;
import dev.mrkpolicyguard.engine.catalog.KmsCatalog;
import dev.mrkpolicyguard.engine.eval.CompiledPolicy;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The comparator's parts: budget, request space, grouping of differences, verdict. */
class ComparatorPartsTest {
  private static final KeyContext KEY =
      new KeyContext("arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab");

  @Test
  void spent_noBudget_neverReadsTheClock() {
    AtomicLong reads = new AtomicLong();
    Budget budget = new Budget(Budget.NONE, reads::incrementAndGet);

    assertNull(budget.spent());
    assertEquals(1, reads.get(), "only the start is read");
  }

  @Test
  void spent_clockPastTheBudget_saysHowLongTheBudgetWas() {
    AtomicLong now = new AtomicLong();
    Budget budget = new Budget(Duration.ofMillis(1500).toNanos(), now::get);

    assertNull(budget.spent());
    now.set(Duration.ofSeconds(2).toNanos());
    assertEquals(
        PolicyComparator.OUT_OF_TIME + " (1.5 s) before it could search every request",
        budget.spent());
  }

  @Test
  void spent_interruptedThread_stopsEvenWithoutABudget() {
    Budget budget = new Budget(Budget.NONE, () -> 0L);
    Thread.currentThread().interrupt();
    try {
      assertEquals(
          "the comparison was interrupted before it could search every request", budget.spent());
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void resultKey_principalDifferences_mergeWhateverStatementsAllow() {
    Found a = found(DifferenceKind.PRINCIPAL, "0,");
    Found b = found(DifferenceKind.PRINCIPAL, "1,");
    Found c = found(DifferenceKind.CONDITION, "0,");
    Found d = found(DifferenceKind.CONDITION, "1,");

    assertEquals(a.resultKey(), b.resultKey());
    assertNotEquals(a.key(), b.key());
    assertNotEquals(c.resultKey(), d.resultKey());
    assertNotEquals(a.resultKey(), c.resultKey());
  }

  @Test
  void verdict_eachCombinationOfDirections_namesIt() {
    assertEquals(Verdict.EQUIVALENT, Explanation.verdict(false, false));
    assertEquals(Verdict.REPLICA_BROADER, Explanation.verdict(true, false));
    assertEquals(Verdict.REPLICA_NARROWER, Explanation.verdict(false, true));
    assertEquals(Verdict.DIVERGENT, Explanation.verdict(true, true));
  }

  @Test
  void of_samePatternsInBothPolicies_giveTheActionClassesOfOnePolicy() {
    String policy =
        """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
           "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}]}
        """;
    KmsCatalog catalog = KmsCatalog.standard();
    CompiledPolicy one = new CompiledPolicy(Policies.parse(policy), KEY);

    RequestSpace both =
        RequestSpace.of(one, new CompiledPolicy(Policies.parse(policy), KEY), catalog);

    assertNull(both.undecided);
    assertTrue(both.actions.contains("kms:Decrypt"), both.actions.toString());
    assertTrue(both.actions.contains("kms:Encrypt"), both.actions.toString());
    // A pattern named twice tells no more actions apart than once.
    RequestSpace self = RequestSpace.of(one, one, catalog);
    assertEquals(self.actions, both.actions);
  }

  @Test
  void of_currentTimeAndEpochTime_shareOneDimension() {
    String policy =
        """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
           "Action": "kms:Decrypt", "Resource": "*", "Condition": {
             "DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"},
             "NumericGreaterThan": {"aws:EpochTime": "1700000000"}}}]}
        """;
    CompiledPolicy compiled = new CompiledPolicy(Policies.parse(policy), KEY);

    RequestSpace space = RequestSpace.of(compiled, compiled, KmsCatalog.standard());

    assertNull(space.undecided);
    assertEquals("aws:currenttime", space.linked.get("aws:epochtime"));
    assertEquals(
        space.domains.get("aws:currenttime").reps.size(),
        space.domains.get("aws:epochtime").reps.size());
  }

  @Test
  void of_timeComparedAsString_isUndecidedWithTheReason() {
    String policy =
        """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
           "Action": "kms:Decrypt", "Resource": "*", "Condition": {
             "StringLike": {"aws:CurrentTime": "2030-*"},
             "NumericGreaterThan": {"aws:EpochTime": "1700000000"}}}]}
        """;
    CompiledPolicy compiled = new CompiledPolicy(Policies.parse(policy), KEY);

    RequestSpace space = RequestSpace.of(compiled, compiled, KmsCatalog.standard());

    assertEquals("time keys compared with StringLike cannot be partitioned", space.undecided);
  }

  private static Found found(DifferenceKind kind, String sids) {
    Found f = new Found();
    f.direction = Direction.REPLICA_ONLY;
    f.group = "account 111122223333";
    f.kind = kind;
    f.sids = sids;
    return f;
  }
}
