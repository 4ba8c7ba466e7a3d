package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.engine.compare.Difference;
import dev.mrkpolicyguard.engine.rule.FindingCode;

/** Witness requests in plain words, shared by the report formats. */
final class Words {
  private Words() {}

  /** Whether a finding's witnesses are requests the key allows (rather than ones it denies). */
  static boolean grants(FindingCode code) {
    return code == FindingCode.REPLICA_GRANTS_MORE || code == FindingCode.BASELINE_CEILING_EXCEEDED;
  }

  /** One witness of a finding with {@code code} as a sentence, without the explanation. */
  static String witness(FindingCode code, Difference d) {
    return dev.mrkpolicyguard.report.FindingWords.witness(code, d);
  }

  /** The first alias of a key, or {@code fallback} when it has none. */
  static String alias(SnapshotKey key, String fallback) {
    return key.aliases().isEmpty() ? fallback : key.aliases().get(0);
  }
}
