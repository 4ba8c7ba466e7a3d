package dev.mrkpolicyguard.engine.compare;

import dev.mrkpolicyguard.engine.catalog.KmsCatalog;
import dev.mrkpolicyguard.engine.eval.CompiledPolicy;
import dev.mrkpolicyguard.engine.eval.Evaluator;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import java.time.Duration;
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
 * checked before each caller and action and every {@value Search#CHECK_EVERY} nodes of a search;
 * the partitions built before the search are bounded by their state limit instead.
 *
 * <p>The parts: {@link RequestSpace} builds the classes of callers, actions and values ({@link
 * PrincipalUniverse}, {@link KeyDomain}); {@link Search} explores them within the {@link Budget};
 * {@link Explanation} turns what it found ({@link Found}, grouped by {@link Found.Key}) into the
 * result.
 */
public final class PolicyComparator {
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
    this(catalog, Budget.NONE, System::nanoTime);
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
    return run(new CompiledPolicy(primary, p), new CompiledPolicy(replica, r), false, false);
  }

  /**
   * {@link #compare}, searched exhaustively as before two prunings: action classes told apart by
   * every key derived from the caller or the key, tested or not, and every caller, identity option
   * and action class searched even where an earlier search of the same caller was the same. Tests
   * use it to show that the prunings change no comparison.
   */
  Comparison compareExhaustively(
      KeyPolicy primary, KeyContext primaryKey, KeyPolicy replica, KeyContext replicaKey) {
    return run(
        new CompiledPolicy(primary, primaryKey.asPrimary()),
        new CompiledPolicy(replica, replicaKey.asReplica()),
        false,
        true);
  }

  /** Compares two policies as they would apply to the same key. */
  public Comparison compareForKey(KeyPolicy primary, KeyPolicy replica, KeyContext key) {
    return run(new CompiledPolicy(primary, key), new CompiledPolicy(replica, key), false, false);
  }

  /**
   * Whether {@code inner} allows nothing that {@code outer} denies, for the same key. The result's
   * differences are the requests {@code inner} allows beyond {@code outer} (direction {@link
   * Direction#REPLICA_ONLY}, with {@code inner} in the replica's place).
   */
  public Comparison containment(KeyPolicy inner, KeyPolicy outer, KeyContext key) {
    return run(new CompiledPolicy(outer, key), new CompiledPolicy(inner, key), true, false);
  }

  /** One comparison: index 0 is the primary, 1 the replica. */
  private Comparison run(
      CompiledPolicy primary, CompiledPolicy replica, boolean replicaOnly, boolean exhaustive) {
    Budget budget = new Budget(budgetNanos, nanoTime);
    RequestSpace space = RequestSpace.of(primary, replica, catalog, exhaustive);
    if (space.undecided != null) {
      return Explanation.undecided(space.undecided);
    }
    Search search = new Search(space, catalog, budget, replicaOnly, exhaustive);
    search.run();
    Comparison result =
        new Explanation(space.policies, evaluator, catalog, replicaOnly).result(search);
    return regionBound(result, primary, replica, replicaOnly);
  }

  /**
   * A result that would rest on a VPC endpoint or VPC named without its Region is UNDECIDED (with
   * what was found): such a resource reaches at most one of the two keys, so the policies alone
   * cannot tell which way, if at all, the keys differ through it ({@link RegionBoundValues}). Found
   * differences in both directions stand as they are.
   */
  private static Comparison regionBound(
      Comparison result, CompiledPolicy primary, CompiledPolicy replica, boolean replicaOnly) {
    if (replicaOnly
        || primary.key().region().equals(replica.key().region())
        || result.verdict() == Verdict.DIVERGENT
        || result.verdict() == Verdict.UNDECIDED) {
      return result;
    }
    String named = RegionBoundValues.named(primary, replica);
    if (named == null) {
      return result;
    }
    return new Comparison(
        Verdict.UNDECIDED,
        result.differences(),
        "a condition names '"
            + named
            + "', a VPC endpoint or VPC of one Region that the policies do not name: it carries"
            + " calls to at most one of the two keys, so the replica may grant less or more through"
            + " it (a replica should name its own Region's endpoints)");
  }
}
