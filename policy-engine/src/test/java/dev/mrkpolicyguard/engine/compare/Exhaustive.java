package dev.mrkpolicyguard.engine.compare;

import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;

/** The comparator's exhaustive search, for tests in other packages (properties). */
public final class Exhaustive {
  private static final PolicyComparator COMPARATOR = new PolicyComparator();

  private Exhaustive() {}

  /** {@link PolicyComparator#compare}, without the search's prunings. */
  public static Comparison compare(
      KeyPolicy primary, KeyContext primaryKey, KeyPolicy replica, KeyContext replicaKey) {
    return COMPARATOR.compareExhaustively(primary, primaryKey, replica, replicaKey);
  }
}
