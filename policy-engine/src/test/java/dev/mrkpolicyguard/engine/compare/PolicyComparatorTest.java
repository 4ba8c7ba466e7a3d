package dev.mrkpolicyguard.engine.compare;

import static dev.mrkpolicyguard.engine.Policies.APP_ROLE;
import static dev.mrkpolicyguard.engine.Policies.PRIMARY_KEY;
import static dev.mrkpolicyguard.engine.Policies.REPLICA_KEY;
import static dev.mrkpolicyguard.engine.Policies.ROOT;
import static dev.mrkpolicyguard.engine.Policies.allow;
import static dev.mrkpolicyguard.engine.Policies.allowIf;
import static dev.mrkpolicyguard.engine.Policies.denyIf;
import static dev.mrkpolicyguard.engine.Policies.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.engine.Policies;
import dev.mrkpolicyguard.engine.eval.Decision;
import dev.mrkpolicyguard.engine.eval.Evaluator;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyComparatorTest {
  private final PolicyComparator comparator = new PolicyComparator();

  private Comparison compare(KeyPolicy primary, KeyPolicy replica) {
    Comparison c = comparator.compare(primary, PRIMARY_KEY, replica, REPLICA_KEY);
    Evaluator evaluator = new Evaluator();
    for (Difference d : c.differences()) {
      Decision p =
          evaluator.evaluate(primary, PRIMARY_KEY.asPrimary(), d.witness().toPrimaryRequest());
      Decision r = evaluator.evaluate(replica, REPLICA_KEY.asReplica(), d.witness().toRequest());
      boolean replicaOnly = d.direction() == Direction.REPLICA_ONLY;
      assertEquals(replicaOnly ? Decision.ALLOW : Decision.DENY, r, d::toString);
      assertEquals(replicaOnly ? Decision.DENY : Decision.ALLOW, p, d::toString);
    }
    return c;
  }

  @Test
  void compare_viaServiceDifferenceOnlyAtChinaEndpoints_namesAWellFormedEndpoint() {
    String likeRegion =
        "{\"StringLikeIfExists\":{\"kms:ViaService\":\"*.eu-west-1.amazonaws.com\"}}";
    KeyPolicy primary = of(allow(ROOT, "\"kms:*\""), allowIf("\"*\"", "\"kms:*\"", likeRegion));
    KeyPolicy replica = of(allow("\"*\"", "\"kms:*\""));

    Comparison c = comparator.compareForKey(primary, replica, REPLICA_KEY);

    assertEquals(
        "example.eu-west-1.amazonaws.com.cn",
        c.differences().get(0).witness().context().get("kms:ViaService").get(0));
  }

  @Test
  void compare_identicalConsolePolicies_areEquivalent() {
    KeyPolicy policy =
        of(allow(ROOT, "\"kms:*\""), allow(APP_ROLE, "[\"kms:Decrypt\",\"kms:Encrypt\"]"));
    assertEquals(Verdict.EQUIVALENT, compare(policy, policy).verdict());
  }

  @Test
  void compare_replicaAddsAccount_reportsReplicaBroaderWithThatAccount() {
    KeyPolicy primary = of(allow(ROOT, "\"kms:*\""));
    KeyPolicy replica =
        of(
            allow(ROOT, "\"kms:*\""),
            "{\"Sid\":\"Partner\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"444455556666\"},"
                + "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}");
    Comparison c = compare(primary, replica);
    assertEquals(Verdict.REPLICA_BROADER, c.verdict());
    Difference first = c.differences().get(0);
    assertEquals(DifferenceKind.PRINCIPAL, first.kind());
    assertTrue(first.witness().caller().text().contains("444455556666"));
    assertEquals("kms:Decrypt", first.witness().action());
    assertTrue(first.explanation().contains("'Partner'"), first.explanation());
  }

  @Test
  void compare_replicaWithDefaultPolicy_isNarrowerBecauseRolesLoseDirectAccess() {
    KeyPolicy primary = of(allow(ROOT, "\"kms:*\""), allow(APP_ROLE, "\"kms:Decrypt\""));
    KeyPolicy replica = of(allow(ROOT, "\"kms:*\""));
    Comparison c = compare(primary, replica);
    assertEquals(Verdict.REPLICA_NARROWER, c.verdict());
    Difference d = c.differences().get(0);
    assertEquals("arn:aws:iam::111122223333:role/AppRole", d.witness().caller().text());
    assertFalse(d.witness().identityPolicyAllows());
  }

  @Test
  void compare_starWithCallerAccountVersusRoot_isBroaderNotEquivalent() {
    KeyPolicy primary = of(allow(ROOT, "\"kms:Encrypt\""));
    KeyPolicy replica =
        of(
            allowIf(
                "\"*\"",
                "\"kms:Encrypt\"",
                "{\"StringEquals\":{\"kms:CallerAccount\":\"111122223333\"}}"));
    assertEquals(Verdict.REPLICA_BROADER, compare(primary, replica).verdict());
  }

  @Test
  void compare_regionalValuesMapped_areEquivalent() {
    KeyPolicy primary =
        of(
            allowIf(
                "{\"Service\":\"logs.us-east-1.amazonaws.com\"}",
                "\"kms:Encrypt*\"",
                "{\"ArnLike\":{\"kms:EncryptionContext:aws:logs:arn\":\"arn:aws:logs:us-east-1:111122223333:*\"}}"),
            allowIf(
                "\"*\"",
                "\"kms:Decrypt\"",
                "{\"StringEquals\":{\"kms:ViaService\":\"ec2.us-east-1.amazonaws.com\",\"kms:CallerAccount\":\"111122223333\"}}"));
    String replicaJson =
        "{\"Statement\":["
            + allowIf(
                "\"*\"",
                "\"KMS:decrypt\"",
                "{\"StringEquals\":{\"KMS:ViaService\":[\"ec2.eu-west-1.amazonaws.com\"],\"kms:calleraccount\":\"111122223333\"}}")
            + ","
            + allowIf(
                "{\"Service\":[\"logs.eu-west-1.amazonaws.com\"]}",
                "[\"kms:Encrypt*\"]",
                "{\"ArnLike\":{\"kms:EncryptionContext:aws:logs:arn\":\"arn:aws:logs:eu-west-1:111122223333:*\"}}")
            + "]}";
    assertEquals(Verdict.EQUIVALENT, compare(primary, Policies.parse(replicaJson)).verdict());
  }

  @Test
  void compare_replicaKeepsPrimaryRegionInViaService_isNarrower() {
    KeyPolicy primary =
        of(
            allowIf(
                "\"*\"",
                "\"kms:Decrypt\"",
                "{\"StringEquals\":{\"kms:ViaService\":\"ec2.us-east-1.amazonaws.com\",\"kms:CallerAccount\":\"111122223333\"}}"));
    Comparison c = compare(primary, primary);
    assertEquals(Verdict.REPLICA_NARROWER, c.verdict());
    assertEquals(
        "ec2.eu-west-1.amazonaws.com",
        c.differences().get(0).witness().context().get("kms:ViaService").get(0));
  }

  @Test
  void compare_addedDenyOnCondition_isNarrowerWithConditionWitness() {
    KeyPolicy primary = of(allow(APP_ROLE, "\"kms:Decrypt\""));
    KeyPolicy replica =
        of(
            allow(APP_ROLE, "\"kms:Decrypt\""),
            denyIf(
                "\"*\"",
                "\"kms:*\"",
                "{\"StringEquals\":{\"kms:EncryptionContext:purpose\":\"blocked\"}}"));
    Comparison c = compare(primary, replica);
    assertEquals(Verdict.REPLICA_NARROWER, c.verdict());
    assertEquals(DifferenceKind.CONDITION, c.differences().get(0).kind());
    assertEquals(
        "blocked",
        c.differences().get(0).witness().context().get("kms:EncryptionContext:purpose").get(0));
  }

  @Test
  void compare_addedDenyOnInsecureTransport_isEquivalentSinceKmsIsTlsOnly() {
    KeyPolicy primary = of(allow(APP_ROLE, "\"kms:Decrypt\""));
    KeyPolicy replica =
        of(
            allow(APP_ROLE, "\"kms:Decrypt\""),
            denyIf("\"*\"", "\"kms:*\"", "{\"Bool\":{\"aws:SecureTransport\":\"false\"}}"));
    assertEquals(Verdict.EQUIVALENT, compare(primary, replica).verdict());
  }

  @ParameterizedTest
  @CsvSource({"kms:*, kms:Describe*", "kms:ReEncrypt*, kms:ReEncryptFrom"})
  void compare_wildcardVersusNarrowerList_isNarrower(String primaryAction, String replicaAction) {
    KeyPolicy primary = of(allow(APP_ROLE, "\"" + primaryAction + "\""));
    KeyPolicy replica = of(allow(APP_ROLE, "\"" + replicaAction + "\""));
    assertEquals(Verdict.REPLICA_NARROWER, compare(primary, replica).verdict());
  }

  @Test
  void compare_reEncryptStarVersusBothActions_isEquivalent() {
    KeyPolicy primary = of(allow(APP_ROLE, "\"kms:ReEncrypt*\""));
    KeyPolicy replica = of(allow(APP_ROLE, "[\"kms:ReEncryptFrom\",\"kms:ReEncryptTo\"]"));
    assertEquals(Verdict.EQUIVALENT, compare(primary, replica).verdict());
  }

  @Test
  void compare_kmsStarVersusEveryKnownAction_differsOnFutureActions() {
    KeyPolicy primary = of(allow(APP_ROLE, "\"kms:*\""));
    StringBuilder all = new StringBuilder("[");
    for (String a : dev.mrkpolicyguard.engine.catalog.KmsCatalog.standard().actions()) {
      all.append(all.length() > 1 ? "," : "").append('"').append(a).append('"');
    }
    KeyPolicy replica = of(allow(APP_ROLE, all + "]"));
    Comparison c = compare(primary, replica);
    assertEquals(Verdict.REPLICA_NARROWER, c.verdict());
    assertEquals(
        dev.mrkpolicyguard.engine.catalog.KmsCatalog.FUTURE_ACTION,
        c.differences().get(0).witness().action());
  }

  @Test
  void compare_ipRangeNarrowed_isNarrowerWithAnAddressBetween() {
    KeyPolicy primary =
        of(
            allowIf(
                APP_ROLE, "\"kms:Decrypt\"", "{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}"));
    KeyPolicy replica =
        of(
            allowIf(
                APP_ROLE, "\"kms:Decrypt\"", "{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/16\"}}"));
    Comparison c = compare(primary, replica);
    assertEquals(Verdict.REPLICA_NARROWER, c.verdict());
    assertEquals("10.1.0.0", c.differences().get(0).witness().context().get("aws:SourceIp").get(0));
  }

  /**
   * A role session has no {@code aws:username} (IAM User Guide, global condition keys), so the
   * primary's condition never holds for role/AppRole: decided, with the role as witness.
   */
  @Test
  void compare_userNameVariableOnRoleGrant_isDecidedForTheRole() {
    KeyPolicy primary =
        of(
            allowIf(
                APP_ROLE,
                "\"kms:Decrypt\"",
                """
                {"StringEquals": {"kms:EncryptionContext:user": "${aws:username}"}}"""));
    KeyPolicy replica = of(allow(APP_ROLE, "\"kms:Decrypt\""));
    Comparison c = compare(primary, replica);
    assertEquals(Verdict.REPLICA_BROADER, c.verdict(), "" + c);
    assertEquals(Verdict.EQUIVALENT, compare(primary, primary).verdict());
  }

  @Test
  void compare_policyVariablesThatMatter_areUndecidedWithReason() {
    String grant =
        """
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*",
         "Condition": {"StringEquals": {"kms:EncryptionContext:Owner": "%s",
                                        "kms:CallerAccount": "111122223333"}}}""";
    KeyPolicy primary = of(grant.formatted("${aws:username}"));
    KeyPolicy replica = of(grant.formatted("${aws:username, 'shared'}"));
    Comparison c = compare(primary, replica);
    assertEquals(Verdict.UNDECIDED, c.verdict(), "" + c);
    assertTrue(c.reason().contains("policy variables"), c.reason());
    assertEquals(Verdict.EQUIVALENT, compare(primary, primary).verdict());
  }

  @Test
  void containment_policyInsideItselfPlusMore_hasNoDifferences() {
    KeyPolicy inner = of(allow(APP_ROLE, "\"kms:Decrypt\""));
    KeyPolicy outer = of(allow(APP_ROLE, "\"kms:Decrypt\""), allow(ROOT, "\"kms:*\""));
    assertTrue(comparator.containment(inner, outer, REPLICA_KEY).differences().isEmpty());
    assertFalse(comparator.containment(outer, inner, REPLICA_KEY).differences().isEmpty());
  }

  @ParameterizedTest
  @CsvSource({
    "regional-values-only, EQUIVALENT",
    "replica-adds-cross-account-decrypt, REPLICA_BROADER",
    "replica-default-policy, REPLICA_NARROWER",
    "replica-stale-region, REPLICA_NARROWER",
    "divergent, DIVERGENT"
  })
  void compare_examplePairs_giveTheDocumentedVerdict(String pair, Verdict expected)
      throws IOException {
    Path dir = Path.of("..", "examples", "policies", pair);
    KeyPolicy primary = Policies.parse(Files.readString(dir.resolve("primary.json")));
    KeyPolicy replica = Policies.parse(Files.readString(dir.resolve("replica.json")));
    assertEquals(expected, compare(primary, replica).verdict());
  }

  /** A clock that moves one second forward every time it is read, and counts the reads. */
  private static final class SteppingClock implements LongSupplier {
    final AtomicLong reads = new AtomicLong();

    @Override
    public long getAsLong() {
      return reads.getAndIncrement() * 1_000_000_000L;
    }
  }

  /**
   * Independent conditions, each of which alone decides the primary, against a replica that also
   * denies when every one of them has another value: the search enumerates every combination of the
   * values that are not {@code a} (2^keys), and at 22 keys it reaches the node limit only after
   * seconds to minutes. If the engine learns to decide this shape quickly, pick another that is
   * still slow: the budget must be checked inside one search, not only between searches.
   */
  private static KeyPolicy[] independentConditions(int keys) {
    StringBuilder allows = new StringBuilder(allow(ROOT, "\"kms:*\""));
    StringBuilder deny = new StringBuilder();
    for (int i = 0; i < keys; i++) {
      allows
          .append(',')
          .append(
              allowIf(
                  "\"*\"",
                  "\"kms:Decrypt\"",
                  "{\"StringEquals\":{\"kms:EncryptionContext:k" + i + "\":\"a\"}}"));
      deny.append(i == 0 ? "" : ",").append("\"kms:EncryptionContext:k" + i + "\":\"b\"");
    }
    KeyPolicy primary = of(allows.toString());
    KeyPolicy replica =
        of(
            allows.toString(),
            denyIf("\"*\"", "\"kms:Decrypt\"", "{\"StringEquals\":{" + deny + "}}"));
    return new KeyPolicy[] {primary, replica};
  }

  @Test
  void withTimeBudget_clockPastTheBudget_isUndecidedSayingTheBudgetRanOut() {
    KeyPolicy policy = of(allow(ROOT, "\"kms:*\""), allow(APP_ROLE, "\"kms:Decrypt\""));
    AtomicLong now = new AtomicLong();
    // Started at 0, and every later look says 11 s have passed.
    LongSupplier expired = () -> now.getAndSet(Duration.ofSeconds(11).toNanos());

    Comparison c =
        comparator
            .withTimeBudget(Duration.ofSeconds(10), expired)
            .compare(policy, PRIMARY_KEY, policy, REPLICA_KEY);

    assertEquals(Verdict.UNDECIDED, c.verdict());
    assertEquals(
        "the comparison ran out of its time budget (10 s) before it could search every request",
        c.reason());
    assertTrue(PolicyComparator.ranOutOfTime(c));
  }

  @Test
  void withTimeBudget_clockThatNeverMoves_decidesAsWithoutABudget() {
    KeyPolicy[] pair = independentConditions(8);
    PolicyComparator budgeted = comparator.withTimeBudget(Duration.ofMillis(1), () -> 42L);

    Comparison c = budgeted.compare(pair[0], PRIMARY_KEY, pair[1], REPLICA_KEY);

    assertEquals(Verdict.REPLICA_NARROWER, c.verdict());
    assertEquals(comparator.compare(pair[0], PRIMARY_KEY, pair[1], REPLICA_KEY), c);
    assertFalse(PolicyComparator.ranOutOfTime(c));
  }

  @Test
  void withTimeBudget_oneLongSearch_isStoppedFromInsideThatSearch() {
    KeyPolicy[] pair = independentConditions(22);
    SteppingClock clock = new SteppingClock();

    Comparison c =
        comparator
            .withTimeBudget(Duration.ofSeconds(60), clock)
            .compare(pair[0], PRIMARY_KEY, pair[1], REPLICA_KEY);

    assertEquals(Verdict.UNDECIDED, c.verdict());
    assertTrue(PolicyComparator.ranOutOfTime(c), c.reason());
    // One read to start, then one per caller and action and one per 1024 nodes: the 62nd read is
    // past the budget, long before the node limit (5,000,000 nodes) would be reached.
    assertEquals(62, clock.reads.get());
  }

  @Test
  void compare_interruptedThread_isUndecidedSayingSo() {
    KeyPolicy[] pair = independentConditions(22);
    Thread.currentThread().interrupt();
    Comparison c;
    try {
      c = comparator.compare(pair[0], PRIMARY_KEY, pair[1], REPLICA_KEY);
    } finally {
      Thread.interrupted();
    }

    assertEquals(Verdict.UNDECIDED, c.verdict());
    assertEquals("the comparison was interrupted before it could search every request", c.reason());
    assertFalse(PolicyComparator.ranOutOfTime(c));
  }

  @Test
  void withTimeBudget_zero_isRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> comparator.withTimeBudget(Duration.ZERO, System::nanoTime));
  }
}
