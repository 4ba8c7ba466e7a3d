package dev.mrkpolicyguard.engine.rule;

import dev.mrkpolicyguard.engine.compare.Comparison;
import dev.mrkpolicyguard.engine.compare.Difference;
import dev.mrkpolicyguard.engine.compare.Direction;
import dev.mrkpolicyguard.engine.compare.PolicyComparator;
import dev.mrkpolicyguard.engine.compare.Verdict;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.parse.ParseResult;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Decides one key's compliance from its facts and the baseline; pure, no AWS calls.
 *
 * <ul>
 *   <li>AWS managed and single-Region keys, and keys pending deletion: NOT_APPLICABLE.
 *   <li>Keys being created or moving their primary Region ({@code Creating}, {@code Updating}):
 *       DEFERRED, decided by the next run against the settled primary.
 *   <li>Disabled, PendingImport and Unavailable keys are judged like enabled ones: their policy
 *       takes effect as soon as they are usable again.
 *   <li>A replica is compared with its primary (mapped into the replica's Region); any difference,
 *       an undecidable comparison or an unreadable primary is NON_COMPLIANT: the rule fails closed.
 *   <li>Every multi-Region key is checked against the baseline's floor and ceilings.
 * </ul>
 */
public final class KeyDecider {
  private static final Set<String> PENDING_DELETION =
      Set.of("PendingDeletion", "PendingReplicaDeletion");
  private static final Set<String> IN_FLUX = Set.of("Creating", "Updating");
  private static final List<FindingCode> ORDER =
      List.of(
          FindingCode.REPLICA_GRANTS_MORE,
          FindingCode.BASELINE_CEILING_EXCEEDED,
          FindingCode.REPLICA_GRANTS_LESS,
          FindingCode.BASELINE_FLOOR_MISSING,
          FindingCode.PRIMARY_POLICY_UNREADABLE,
          FindingCode.POLICY_UNREADABLE,
          FindingCode.POLICY_MALFORMED,
          FindingCode.REPLICA_COMPARISON_UNDECIDED,
          FindingCode.BASELINE_UNDECIDED);

  /** Comparisons remembered at most, per decider; a run over a fleet reuses one decider. */
  /** The most the comparison cache holds: 32 MB, well inside a 512 MB function. */
  static final long MEMO_BYTES = 32L * 1024 * 1024;

  /** The most resolved baselines held: one per account, Region, role, usage and spec. */
  static final int MEMO_LIMIT = 4096;

  private final PolicyComparator comparator;
  private final ParsedPolicies parsed = new ParsedPolicies();
  private final ComparisonCache memo = new ComparisonCache(MEMO_BYTES);
  private final Map<List<Object>, ResolvedBaseline> resolvedBaselines = new ConcurrentHashMap<>();

  /** A decider using the shipped KMS catalogue. */
  public KeyDecider() {
    this(new PolicyComparator());
  }

  /** A decider using {@code comparator}. */
  public KeyDecider(PolicyComparator comparator) {
    this.comparator = Objects.requireNonNull(comparator, "comparator");
  }

  /** Decides {@code facts} against {@code baseline}. */
  public KeyEvaluation decide(KeyFacts facts, Baseline baseline) {
    String arn = facts.keyArn();
    if (facts.awsManaged()) {
      return notApplicable(arn, "AWS managed key: its policy is managed by AWS.");
    }
    if (facts.role() == KeyRole.SINGLE_REGION) {
      return notApplicable(arn, "Single-Region key: no replica policy to keep in step.");
    }
    if (PENDING_DELETION.contains(facts.keyState())) {
      return notApplicable(arn, "Key is " + facts.keyState() + ".");
    }
    if (IN_FLUX.contains(facts.keyState())) {
      return new KeyEvaluation(
          arn,
          Compliance.DEFERRED,
          List.of(),
          "Key is " + facts.keyState() + " (primary Region change or creation); decided next run.");
    }
    KeyContext key = asDescribed(new KeyContext(arn), facts);
    List<Finding> findings = new ArrayList<>();
    KeyPolicy policy =
        read(facts.policy(), "this key's policy", FindingCode.POLICY_UNREADABLE, findings);
    if (policy != null && facts.role() == KeyRole.REPLICA) {
      compareWithPrimary(facts, key, policy, findings);
    }
    if (policy != null) {
      checkBaseline(baseline, key, policy, ((PolicyFact.Known) facts.policy()).json(), findings);
    }
    findings.sort(Comparator.comparingInt(f -> ORDER.indexOf(f.code())));
    if (findings.isEmpty()) {
      String what =
          facts.role() == KeyRole.REPLICA
              ? "Replica policy grants exactly what the primary grants, and meets the baseline."
              : "Primary policy meets the baseline.";
      return new KeyEvaluation(arn, Compliance.COMPLIANT, List.of(), what);
    }
    return new KeyEvaluation(
        arn, Compliance.NON_COMPLIANT, findings, Annotations.of(findings, facts.keyId()));
  }

  private static KeyEvaluation notApplicable(String arn, String why) {
    return new KeyEvaluation(arn, Compliance.NOT_APPLICABLE, List.of(), why);
  }

  private KeyPolicy read(PolicyFact fact, String what, FindingCode unreadable, List<Finding> out) {
    if (fact instanceof PolicyFact.Unreadable u) {
      out.add(new Finding(unreadable, "Cannot read " + what + ": " + u.message(), List.of()));
      return null;
    }
    if (!(fact instanceof PolicyFact.Known known)) {
      out.add(new Finding(unreadable, "No " + what + " was read.", List.of()));
      return null;
    }
    ParseResult result = parsed.parse(known.json());
    if (result instanceof ParseResult.Invalid invalid) {
      out.add(
          new Finding(
              FindingCode.POLICY_MALFORMED,
              capitalise(what)
                  + " is not a valid key policy: "
                  + invalid.problems().get(0).describe(),
              List.of()));
      return null;
    }
    return ((ParseResult.Parsed) result).policy();
  }

  private void compareWithPrimary(
      KeyFacts facts, KeyContext key, KeyPolicy replica, List<Finding> findings) {
    KeyContext primaryKey = asDescribed(new KeyContext(facts.primaryArn()), facts).asPrimary();
    KeyPolicy primary =
        read(
            facts.primaryPolicy(),
            "the primary's policy (" + primaryKey.region() + ")",
            FindingCode.PRIMARY_POLICY_UNREADABLE,
            findings);
    if (primary == null) {
      return;
    }
    String primaryText = ((PolicyFact.Known) facts.primaryPolicy()).json();
    String replicaText = ((PolicyFact.Known) facts.policy()).json();
    Comparison c =
        memoised(
            List.of("compare", primaryText, primaryKey.region(), replicaText, place(key)),
            ComparisonCache.shareable(primaryText, key)
                && ComparisonCache.shareable(replicaText, key),
            () -> comparator.compare(primary, primaryKey, replica, key));
    String region = primaryKey.region();
    if (c.verdict() == Verdict.UNDECIDED) {
      findings.add(
          new Finding(
              FindingCode.REPLICA_COMPARISON_UNDECIDED,
              "Replica cannot be compared exactly with primary (" + region + "): " + c.reason(),
              List.of()));
      return;
    }
    List<Difference> more = filter(c.differences(), Direction.REPLICA_ONLY);
    List<Difference> less = filter(c.differences(), Direction.PRIMARY_ONLY);
    if (!more.isEmpty()) {
      findings.add(
          new Finding(
              FindingCode.REPLICA_GRANTS_MORE,
              "Replica grants more than primary ("
                  + region
                  + "): "
                  + FindingWords.brief(more.get(0), true),
              more));
    }
    if (!less.isEmpty()) {
      findings.add(
          new Finding(
              FindingCode.REPLICA_GRANTS_LESS,
              "Replica grants less than primary ("
                  + region
                  + "): "
                  + FindingWords.brief(less.get(0), false),
              less));
    }
  }

  private void checkBaseline(
      Baseline baseline, KeyContext key, KeyPolicy policy, String text, List<Finding> findings) {
    ResolvedBaseline resolved = resolve(baseline, key);
    boolean cacheable = ComparisonCache.shareable(text, key) && !resolved.keySpecific();
    KeyPolicy floor = resolved.floor();
    if (floor != null) {
      Comparison c =
          memoised(
              List.of("floor", text, baseline, place(key)),
              cacheable,
              () -> comparator.containment(floor, policy, key));
      if (c.verdict() == Verdict.UNDECIDED) {
        findings.add(
            new Finding(
                FindingCode.BASELINE_UNDECIDED,
                "Baseline floor cannot be checked exactly: " + c.reason(),
                List.of()));
      } else if (!c.differences().isEmpty()) {
        findings.add(
            new Finding(
                FindingCode.BASELINE_FLOOR_MISSING,
                "Baseline floor missing: " + FindingWords.brief(c.differences().get(0), true),
                c.differences()));
      }
    }
    for (Baseline.Ceiling ceiling : resolved.ceilings()) {
      KeyPolicy checked = ceiling.publicAccess() ? Baseline.beyondNamedAccounts(policy) : policy;
      if (checked == null) {
        continue;
      }
      Comparison c =
          memoised(
              List.of("ceiling", ceiling.name(), text, baseline, place(key)),
              cacheable,
              () ->
                  comparator.containment(
                      checked,
                      ceiling.publicAccess()
                          ? Baseline.publicAccessCeiling(key, policy)
                          : ceiling.policy(),
                      key));
      if (c.verdict() == Verdict.UNDECIDED) {
        findings.add(
            new Finding(
                FindingCode.BASELINE_UNDECIDED,
                "Baseline " + ceiling.name() + " cannot be checked exactly: " + c.reason(),
                List.of()));
      } else if (!c.differences().isEmpty()) {
        findings.add(
            new Finding(
                FindingCode.BASELINE_CEILING_EXCEEDED,
                "Exceeds baseline "
                    + ceiling.name()
                    + ": "
                    + FindingWords.brief(c.differences().get(0), true),
                c.differences()));
      }
    }
  }

  /**
   * A comparison, remembered across keys when it cannot depend on which key it is for ({@link
   * ComparisonCache#shareable}): then only the key's partition, account and Region can matter
   * (mapped values), and those are part of the memo key. Fleets created from templates share policy
   * texts, so a periodic run compares each text pair once.
   */
  private Comparison memoised(
      List<Object> memoKey, boolean cacheable, Supplier<Comparison> compute) {
    if (!cacheable) {
      return compute.get();
    }
    return memo.get(memoKey, compute);
  }

  /** A baseline with its placeholders filled in for one key. */
  private record ResolvedBaseline(
      KeyPolicy floor, List<Baseline.Ceiling> ceilings, boolean keySpecific) {}

  /**
   * The baseline's floor and ceilings for {@code key}, parsed once per partition, account and
   * Region unless the baseline names the key itself ({@code ${KeyArn}}).
   */
  private ResolvedBaseline resolve(Baseline baseline, KeyContext key) {
    boolean keySpecific =
        baseline.floorStatements().stream().anyMatch(s -> s.contains("${KeyArn}"))
            || baseline.ceilingStatements().stream().anyMatch(s -> s.contains("${KeyArn}"));
    if (keySpecific) {
      return new ResolvedBaseline(baseline.floor(key), baseline.ceilings(key), true);
    }
    List<Object> memoKey = List.of(baseline, place(key));
    ResolvedBaseline known = resolvedBaselines.get(memoKey);
    if (known == null) {
      known = new ResolvedBaseline(baseline.floor(key), baseline.ceilings(key), false);
      if (resolvedBaselines.size() >= MEMO_LIMIT) {
        resolvedBaselines.clear();
      }
      resolvedBaselines.put(memoKey, known);
    }
    return known;
  }

  private static String place(KeyContext key) {
    return key.partition()
        + ":"
        + key.region()
        + ":"
        + key.accountId()
        + ":"
        + key.multiRegionKeyType().orElse("-")
        + ":"
        + key.keyUsage().orElse("-")
        + ":"
        + key.keySpec().orElse("-");
  }

  /** The key with what DescribeKey said of it: its multi-Region role, usage and spec. */
  private static KeyContext asDescribed(KeyContext key, KeyFacts facts) {
    KeyContext described = key.withUsage(facts.keyUsage(), facts.keySpec());
    return switch (facts.role()) {
      case PRIMARY -> described.asPrimary();
      case REPLICA -> described.asReplica();
      default -> described;
    };
  }

  private static List<Difference> filter(List<Difference> all, Direction direction) {
    return all.stream().filter(d -> d.direction() == direction).toList();
  }

  private static String capitalise(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
