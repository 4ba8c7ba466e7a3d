package dev.mrkpolicyguard.engine.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mrkpolicyguard.engine.compare.Comparison;
import dev.mrkpolicyguard.engine.compare.Difference;
import dev.mrkpolicyguard.engine.compare.Direction;
import dev.mrkpolicyguard.engine.compare.PolicyComparator;
import dev.mrkpolicyguard.engine.compare.Verdict;
import dev.mrkpolicyguard.engine.eval.Caller;
import dev.mrkpolicyguard.engine.eval.CompiledPolicy;
import dev.mrkpolicyguard.engine.eval.Decision;
import dev.mrkpolicyguard.engine.eval.Evaluator;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.eval.Request;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import dev.mrkpolicyguard.engine.properties.PolicyModel.Policy;
import dev.mrkpolicyguard.engine.properties.PolicyModel.Principal;
import dev.mrkpolicyguard.engine.properties.PolicyModel.Stmt;
import dev.mrkpolicyguard.engine.properties.PolicyModel.Style;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of {@link PolicyComparator} over randomly generated, realistic key policies: the
 * comparator's verdicts must be reflexive, invariant under meaning-preserving rewrites and Region
 * renaming, symmetric, backed by witnesses that the {@link Evaluator} confirms, and never claim
 * equivalence where sampled requests tell the policies apart.
 */
class ComparatorProperties {
  static final KeyContext US_EAST_1 =
      new KeyContext("arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab");
  static final KeyContext EU_WEST_1 = US_EAST_1.inRegion("eu-west-1");

  /**
   * UNDECIDED reasons that are acceptable for the generated policies. None is expected: every
   * construct in the pools has an exact partition.
   */
  private static final Set<String> ALLOWED_UNDECIDED = Set.of();

  private static final Set<String> UNDECIDED_SEEN = new ConcurrentSkipListSet<>();

  private final PolicyComparator comparator = new PolicyComparator();
  private final Evaluator evaluator = new Evaluator();

  @Provide
  Arbitrary<Policy> policies() {
    return PolicyGenerators.policy();
  }

  /** Choices that drive rewrites, mutations and spellings; they shrink toward fewer, first ones. */
  @Provide
  Arbitrary<Choices> choices() {
    return Choices.upTo(64);
  }

  @Provide
  Arbitrary<Tuple2<Policy, Policy>> reordered() {
    return PolicyGenerators.policy()
        .flatMap(p -> PolicyGenerators.shuffled(p).map(q -> Tuple.of(p, q)));
  }

  @Provide
  Arbitrary<Tuple2<Policy, Policy>> resided() {
    return PolicyGenerators.policy()
        .flatMap(p -> PolicyGenerators.resided(p).map(q -> Tuple.of(p, q)));
  }

  @Provide
  Arbitrary<Tuple2<Policy, Policy>> duplicated() {
    return PolicyGenerators.policy()
        .flatMap(p -> PolicyGenerators.duplicated(p).map(q -> Tuple.of(p, q)));
  }

  @Provide
  Arbitrary<Stmt> allowStatements() {
    return PolicyGenerators.statement(true);
  }

  @Provide
  Arbitrary<String> otherAccounts() {
    return Arbitraries.of("444455556666", "999988887777");
  }

  @Provide
  Arbitrary<String> crossAccountActions() {
    return Arbitraries.of("kms:Decrypt", "kms:*", "kms:CreateGrant");
  }

  /** 300 requests to the primary's key (us-east-1). */
  @Provide
  Arbitrary<List<Request>> primaryRequests() {
    return new RequestSampler("us-east-1").requests(300);
  }

  /** 300 requests to the replica's key (eu-west-1). */
  @Provide
  Arbitrary<List<Request>> replicaRequests() {
    return new RequestSampler("eu-west-1").requests(300);
  }

  @AfterContainer
  static void reportUndecided() {
    if (!UNDECIDED_SEEN.isEmpty()) {
      System.out.println("UNDECIDED comparisons seen:");
      UNDECIDED_SEEN.forEach(r -> System.out.println("  " + r));
    }
  }

  // ---- 1. reflexivity ----

  @Property(tries = 80)
  void compare_samePolicy_isEquivalent(@ForAll("policies") Policy p) {
    KeyPolicy parsed = p.parsed();
    assertEquivalent(comparator.compareForKey(parsed, parsed, US_EAST_1), p, p);
    // "Itself" is the same key: a verbatim copy on another key (even one in the same Region, as a
    // replica) is not, since kms:MultiRegionKeyType differs.
    assertEquivalent(comparator.compareForKey(parsed, parsed, EU_WEST_1.asReplica()), p, p);
  }

  // ---- 2. meaning-preserving rewrites ----

  @Property(tries = 40)
  void compare_reorderedStatements_isEquivalent(@ForAll("reordered") Tuple2<Policy, Policy> pair) {
    assertRewriteEquivalent(pair.get1(), pair.get2());
  }

  @Property(tries = 40)
  void compare_renamedOrRemovedSids_isEquivalent(@ForAll("resided") Tuple2<Policy, Policy> pair) {
    assertRewriteEquivalent(pair.get1(), pair.get2());
  }

  @Property(tries = 40)
  void compare_principalsSplitAndMergedBack_isEquivalent(@ForAll("policies") Policy p) {
    Policy split = PolicyGenerators.splitPrincipals(p);
    Policy merged = PolicyGenerators.mergePrincipals(split);
    assertRewriteEquivalent(p, split);
    assertRewriteEquivalent(split, merged);
    assertRewriteEquivalent(p, merged);
  }

  @Property(tries = 60)
  void compare_actionListsSplit_isEquivalent(@ForAll("policies") Policy p) {
    assertRewriteEquivalent(p, PolicyGenerators.splitActions(p));
  }

  @Property(tries = 40)
  void compare_duplicatedStatement_isEquivalent(@ForAll("duplicated") Tuple2<Policy, Policy> pair) {
    assertRewriteEquivalent(pair.get1(), pair.get2());
  }

  /** Scalar or one-element array, {@code "*"} or {@code {"AWS":"*"}}, account id or root ARN. */
  @Property(tries = 60)
  void compare_syntacticVariants_isEquivalent(
      @ForAll("policies") Policy p, @ForAll("choices") Choices choices) {
    String variant = PolicyModel.render(p, new Style(choices, true, false));
    assertEquivalent(
        comparator.compareForKey(p.parsed(), PolicyModel.parse(variant), US_EAST_1), p, variant);
  }

  @Property(tries = 50)
  void compare_caseOfActionsAndConditionKeysChanged_isEquivalent(
      @ForAll("policies") Policy p, @ForAll("choices") Choices choices) {
    String variant = PolicyModel.render(p, new Style(choices, false, true));
    assertEquivalent(
        comparator.compareForKey(p.parsed(), PolicyModel.parse(variant), US_EAST_1), p, variant);
  }

  @Property(tries = 80)
  void compare_randomChainOfRewritesAndSpellings_isEquivalent(
      @ForAll("policies") Policy p,
      @ForAll("choices") Choices rewrites,
      @ForAll("choices") Choices spelling) {
    Policy rewritten = PolicyGenerators.rewrite(p, rewrites.cursor());
    String variant = PolicyModel.render(rewritten, new Style(spelling, true, true));
    assertEquivalent(
        comparator.compareForKey(p.parsed(), PolicyModel.parse(variant), US_EAST_1), p, variant);
  }

  // ---- 3. Region renaming ----

  /**
   * Over the whole pool, including {@code StringLike kms:ViaService "*.us-east-1.amazonaws.com"}.
   * Pins down that wildcard service labels are mapped: {@code "*.us-east-1.amazonaws.com"} becomes
   * {@code "*.eu-west-1.amazonaws.com"}.
   */
  @Property(tries = 80)
  void compare_regionRenamedReplica_isEquivalent(@ForAll("policies") Policy p) {
    assertRegionRenamedEquivalent(p);
  }

  /** The same property over policies without wildcard service patterns; this one passes. */
  @Property(tries = 80)
  void compare_regionRenamedReplicaWithoutWildcardServicePattern_isEquivalent(
      @ForAll("policies") Policy p) {
    Assume.that(!p.json().contains("*.us-east-1"));
    assertRegionRenamedEquivalent(p);
  }

  private void assertRegionRenamedEquivalent(Policy p) {
    String primary = p.json();
    // The replica's own facts: its Region, and REPLICA where the primary says PRIMARY.
    String replica =
        primary.replace("us-east-1", "eu-west-1").replace("\"PRIMARY\"", "\"REPLICA\"");
    Comparison c =
        comparator.compare(
            PolicyModel.parse(primary), US_EAST_1, PolicyModel.parse(replica), EU_WEST_1);
    assertEquivalent(c, primary, replica);
  }

  // ---- 4. witnesses ----

  @Property(tries = 80)
  void compare_reportedWitnesses_areConfirmedByEvaluator(
      @ForAll("policies") Policy p, @ForAll("choices") Choices edits) {
    Policy r = PolicyGenerators.mutate(p, edits.cursor());
    KeyPolicy primary = p.parsed();
    KeyPolicy replica = PolicyModel.parse(r.json().replace("us-east-1", "eu-west-1"));
    Comparison c = comparator.compare(primary, US_EAST_1, replica, EU_WEST_1);
    assumeDecided(c, p, r);
    assertWitnessesConfirmed(
        c, primary, US_EAST_1.asPrimary(), replica, EU_WEST_1.asReplica(), p, r);
    assertEquals(c.verdict() == Verdict.EQUIVALENT, c.differences().isEmpty(), "" + c);
  }

  /**
   * Across Regions, on verbatim copies, Region-renamed copies and mutations: every witness holds on
   * both keys, and corresponding requests sampled on the replica side (moved to the primary's
   * Region by this test's own rule, not the engine's) never contradict the verdict.
   */
  /** How a replica's policy was made from its primary's. */
  enum ReplicaKind {
    VERBATIM_COPY,
    REGION_RENAMED,
    MUTATED_AND_RENAMED
  }

  @Provide
  Arbitrary<ReplicaKind> replicaKinds() {
    return Arbitraries.of(ReplicaKind.class);
  }

  @Property(tries = 100)
  void compare_acrossRegions_verdictAgreesWithCorrespondingSampledRequests(
      @ForAll("policies") Policy p,
      @ForAll("replicaKinds") ReplicaKind kind,
      @ForAll("choices") Choices edits,
      @ForAll("replicaRequests") List<Request> onReplicaKey) {
    String replicaJson =
        switch (kind) {
          case VERBATIM_COPY -> p.json();
          case REGION_RENAMED ->
              p.json().replace("us-east-1", "eu-west-1").replace("\"PRIMARY\"", "\"REPLICA\"");
          case MUTATED_AND_RENAMED ->
              PolicyGenerators.mutate(p, edits.cursor())
                  .json()
                  .replace("us-east-1", "eu-west-1")
                  .replace("\"PRIMARY\"", "\"REPLICA\"");
        };
    KeyPolicy primary = p.parsed();
    KeyPolicy replica = PolicyModel.parse(replicaJson);
    Comparison c = comparator.compare(primary, US_EAST_1, replica, EU_WEST_1);
    Statistics.collect(c.verdict());
    assumeDecided(c, p, replicaJson);
    KeyContext primaryKey = US_EAST_1.asPrimary();
    KeyContext replicaKey = EU_WEST_1.asReplica();
    assertWitnessesConfirmed(c, primary, primaryKey, replica, replicaKey, p, replicaJson);
    CompiledPolicy cp = new CompiledPolicy(primary, primaryKey);
    CompiledPolicy cr = new CompiledPolicy(replica, replicaKey);
    for (Request onReplica : onReplicaKey) {
      Request onPrimary = moved(onReplica, "eu-west-1", "us-east-1");
      Decision dp = evaluator.evaluate(cp, onPrimary).decision();
      Decision dr = evaluator.evaluate(cr, onReplica).decision();
      if (dp == dr) {
        continue;
      }
      boolean replicaAllows = dr == Decision.ALLOW;
      boolean explained =
          c.verdict() == Verdict.DIVERGENT
              || (replicaAllows && c.verdict() == Verdict.REPLICA_BROADER)
              || (!replicaAllows && c.verdict() == Verdict.REPLICA_NARROWER);
      if (!explained) {
        fail(
            "verdict "
                + c.verdict()
                + " but the sampled requests "
                + onReplica
                + " / "
                + onPrimary
                + " differ\nprimary="
                + p
                + "\nreplica="
                + replicaJson);
      }
    }
  }

  /** The request moved from one Region to the other: Regional names and Region ARN fields swap. */
  private static Request moved(Request request, String from, String to) {
    Caller caller = request.caller();
    if (caller instanceof Caller.Service s) {
      caller = new Caller.Service(swapRegion(s.name(), from, to));
    }
    Map<String, List<String>> context = new java.util.LinkedHashMap<>();
    request
        .context()
        .forEach(
            (k, values) ->
                context.put(k, values.stream().map(v -> swapRegion(v, from, to)).toList()));
    return new Request(caller, request.identityPolicyAllows(), request.action(), context);
  }

  private static String swapRegion(String value, String a, String b) {
    java.util.regex.Matcher arn =
        java.util.regex.Pattern.compile("(arn:[^:]*:[^:]*:)([^:]*)(:.*)").matcher(value);
    if (arn.matches()) {
      String r = arn.group(2);
      String swapped = r.equals(a) ? b : r.equals(b) ? a : r;
      return arn.group(1) + swapped + arn.group(3);
    }
    java.util.regex.Matcher endpoint =
        java.util.regex.Pattern.compile("(.+)\\.([a-z0-9-]+)(\\.amazonaws\\.com(\\.cn)?)")
            .matcher(value);
    if (endpoint.matches()) {
      String r = endpoint.group(2);
      String swapped = r.equals(a) ? b : r.equals(b) ? a : r;
      return endpoint.group(1) + "." + swapped + endpoint.group(3);
    }
    return value;
  }

  /**
   * Witnesses are documented as requests KMS could really receive, so service callers and {@code
   * kms:ViaService} values must be well-formed service names. Pins down the fix for witnesses once
   * named {@code ":.amazonaws.com"}.
   */
  @Property(tries = 80)
  void compare_reportedWitnesses_useWellFormedServiceNames(
      @ForAll("policies") Policy p, @ForAll("choices") Choices edits) {
    Policy r = PolicyGenerators.mutate(p, edits.cursor());
    Comparison c = comparator.compareForKey(p.parsed(), r.parsed(), US_EAST_1);
    assumeDecided(c, p, r);
    String service = "[a-z0-9-]+(\\.[a-z0-9-]+)*\\.amazonaws\\.com(\\.cn)?";
    for (Difference d : c.differences()) {
      if (d.witness().caller() instanceof Caller.Service s) {
        assertTrue(s.name().matches(service), "service caller " + s.name() + " in " + d);
      }
      d.witness()
          .context()
          .forEach(
              (key, values) -> {
                if (key.equalsIgnoreCase("kms:ViaService")) {
                  for (String v : values) {
                    assertTrue(
                        v.matches("[a-z0-9-]+\\.us-east-1\\.amazonaws\\.com(\\.cn)?"),
                        "kms:ViaService " + v + " in " + d);
                  }
                }
              });
    }
  }

  // ---- 5. symmetry ----

  @Property(tries = 60)
  void compare_swappedArguments_givesMirroredVerdict(
      @ForAll("policies") Policy p, @ForAll("choices") Choices edits) {
    Policy r = PolicyGenerators.mutate(p, edits.cursor());
    Comparison forward = comparator.compareForKey(p.parsed(), r.parsed(), US_EAST_1);
    Comparison backward = comparator.compareForKey(r.parsed(), p.parsed(), US_EAST_1);
    assumeDecided(forward, p, r);
    assumeDecided(backward, r, p);
    Verdict expected =
        switch (forward.verdict()) {
          case REPLICA_BROADER -> Verdict.REPLICA_NARROWER;
          case REPLICA_NARROWER -> Verdict.REPLICA_BROADER;
          default -> forward.verdict();
        };
    assertEquals(
        expected,
        backward.verdict(),
        "forward " + forward + "\nbackward " + backward + "\np=" + p + "\nr=" + r);
  }

  // ---- 6. soundness against sampled requests ----

  @Property(tries = 80)
  void compare_verdict_agreesWithSampledRequests(
      @ForAll("policies") Policy p,
      @ForAll boolean rewriteOnly,
      @ForAll("choices") Choices edits,
      @ForAll("primaryRequests") List<Request> requests) {
    Policy r =
        rewriteOnly
            ? PolicyGenerators.rewrite(p, edits.cursor())
            : PolicyGenerators.mutate(p, edits.cursor());
    KeyPolicy primary = p.parsed();
    KeyPolicy replica = r.parsed();
    Comparison c = comparator.compareForKey(primary, replica, US_EAST_1);
    Statistics.collect(c.verdict());
    assumeDecided(c, p, r);
    CompiledPolicy cp = new CompiledPolicy(primary, US_EAST_1);
    CompiledPolicy cr = new CompiledPolicy(replica, US_EAST_1);
    for (Request request : requests) {
      Decision dp = evaluator.evaluate(cp, request).decision();
      Decision dr = evaluator.evaluate(cr, request).decision();
      if (dp == dr) {
        continue;
      }
      boolean replicaAllows = dr == Decision.ALLOW;
      boolean explained =
          c.verdict() == Verdict.DIVERGENT
              || (replicaAllows && c.verdict() == Verdict.REPLICA_BROADER)
              || (!replicaAllows && c.verdict() == Verdict.REPLICA_NARROWER);
      if (!explained) {
        fail(
            "verdict "
                + c.verdict()
                + " but the sampled request "
                + request
                + " is "
                + (replicaAllows ? "allowed only by the replica" : "allowed only by the primary")
                + "\nprimary="
                + p
                + "\nreplica="
                + r);
      }
    }
    assertWitnessesConfirmed(c, primary, replica, US_EAST_1, p, r);
  }

  // ---- 7. containment ----

  @Property(tries = 60)
  void containment_policyInItself_hasNoDifferences(@ForAll("policies") Policy p) {
    Comparison c = comparator.containment(p.parsed(), p.parsed(), US_EAST_1);
    assumeDecided(c, p, p);
    assertTrue(c.differences().isEmpty(), "differences: " + c.differences() + "\n" + p);
  }

  @Property(tries = 80)
  void containment_policyInPolicyWithExtraAllow_hasNoDifferences(
      @ForAll("policies") Policy p, @ForAll("allowStatements") Stmt extra) {
    Policy wider = withStatement(p, extra);
    Comparison c = comparator.containment(p.parsed(), wider.parsed(), US_EAST_1);
    assumeDecided(c, p, wider);
    assertTrue(c.differences().isEmpty(), "differences: " + c.differences() + "\n" + wider);
  }

  @Property(tries = 80)
  void containment_policyWithExtraCrossAccountAllowInPolicy_hasDifferences(
      @ForAll("policies") Policy p,
      @ForAll("otherAccounts") String account,
      @ForAll("crossAccountActions") String action) {
    Stmt extra =
        new Stmt(
            "CrossAccount",
            true,
            List.of(Principal.aws("arn:aws:iam::" + account + ":root")),
            false,
            List.of(action),
            List.of());
    Policy wider = withStatement(p, extra);
    // The extra grant adds access unless p already allows that account or denies it the action.
    Request probe =
        new Request(
            new Caller.Iam("arn:aws:iam::" + account + ":root", null),
            true,
            action.equals("kms:CreateGrant") ? "kms:CreateGrant" : "kms:Decrypt",
            Map.of("aws:CurrentTime", List.of("2024-06-01T00:00:00Z")));
    Assume.that(
        evaluator.evaluate(wider.parsed(), US_EAST_1, probe) == Decision.ALLOW
            && evaluator.evaluate(p.parsed(), US_EAST_1, probe) == Decision.DENY);
    Comparison c = comparator.containment(wider.parsed(), p.parsed(), US_EAST_1);
    assumeDecided(c, wider, p);
    assertFalse(c.differences().isEmpty(), "no differences\n" + wider);
    for (Difference d : c.differences()) {
      assertEquals(Direction.REPLICA_ONLY, d.direction(), d.toString());
    }
    assertWitnessesConfirmed(c, p.parsed(), wider.parsed(), US_EAST_1, p, wider);
  }

  // ---- helpers ----

  private static Policy withStatement(Policy p, Stmt extra) {
    List<Stmt> list = new ArrayList<>(p.statements());
    list.add(extra);
    return new Policy(list);
  }

  private void assertRewriteEquivalent(Policy original, Policy rewritten) {
    assertEquivalent(
        comparator.compareForKey(original.parsed(), rewritten.parsed(), US_EAST_1),
        original,
        rewritten);
  }

  private static void assertEquivalent(Comparison c, Object primary, Object replica) {
    if (c.verdict() == Verdict.UNDECIDED) {
      UNDECIDED_SEEN.add(c.reason());
      if (ALLOWED_UNDECIDED.contains(c.reason())) {
        Assume.that(false);
      }
      fail("UNDECIDED: " + c.reason() + "\nprimary=" + primary + "\nreplica=" + replica);
    }
    assertEquals(
        Verdict.EQUIVALENT,
        c.verdict(),
        "differences: " + c.differences() + "\nprimary=" + primary + "\nreplica=" + replica);
    assertTrue(c.differences().isEmpty());
  }

  private static void assumeDecided(Comparison c, Object primary, Object replica) {
    if (c.verdict() == Verdict.UNDECIDED) {
      UNDECIDED_SEEN.add(c.reason());
      Assume.that(false);
    }
  }

  /** Each witness gets the decisions its direction states, from the evaluator. */
  private void assertWitnessesConfirmed(
      Comparison c,
      KeyPolicy primary,
      KeyPolicy replica,
      KeyContext key,
      Object primarySample,
      Object replicaSample) {
    assertWitnessesConfirmed(c, primary, key, replica, key, primarySample, replicaSample);
  }

  /** Every witness decides as stated: the primary's request on the primary key, and so on. */
  private void assertWitnessesConfirmed(
      Comparison c,
      KeyPolicy primary,
      KeyContext primaryKey,
      KeyPolicy replica,
      KeyContext replicaKey,
      Object primarySample,
      Object replicaSample) {
    for (Difference d : c.differences()) {
      Decision dp = evaluator.evaluate(primary, primaryKey, d.witness().toPrimaryRequest());
      Decision dr = evaluator.evaluate(replica, replicaKey, d.witness().toRequest());
      Decision expectedReplica =
          d.direction() == Direction.REPLICA_ONLY ? Decision.ALLOW : Decision.DENY;
      Decision expectedPrimary =
          d.direction() == Direction.REPLICA_ONLY ? Decision.DENY : Decision.ALLOW;
      if (dp != expectedPrimary || dr != expectedReplica) {
        fail(
            "witness not confirmed: "
                + d
                + "\nevaluator: primary "
                + dp
                + ", replica "
                + dr
                + "\nprimary="
                + primarySample
                + "\nreplica="
                + replicaSample);
      }
    }
  }
}
