package dev.mrkpolicyguard.audit;

/** Words the report formats share about keys (findings are worded by {@code FindingWords}). */
final class Words {
  private Words() {}

  /** The first alias of a key, or {@code fallback} when it has none. */
  static String alias(SnapshotKey key, String fallback) {
    return key.aliases().isEmpty() ? fallback : key.aliases().get(0);
  }
}
