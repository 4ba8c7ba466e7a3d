package dev.mrkpolicyguard.iac;

import dev.mrkpolicyguard.engine.compare.Difference;
import dev.mrkpolicyguard.engine.rule.Finding;
import dev.mrkpolicyguard.engine.rule.FindingCode;
import dev.mrkpolicyguard.engine.rule.FindingWords;

/**
 * The English of deploy-time checks, shared by every output of {@code check-iac} (text, JSON,
 * SARIF) and the CloudFormation hook: one title and one fix per code, witnesses in plain words.
 */
public final class IacWords {
  private IacWords() {}

  /** A one-line title of a finding or not-judged code, for rule lists. */
  public static String title(String code) {
    return switch (code) {
      case "REPLICA_GRANTS_MORE" -> "Replica key policy grants more than its primary's";
      case "REPLICA_GRANTS_LESS" -> "Replica key policy grants less than its primary's";
      case "REPLICA_COMPARISON_UNDECIDED" ->
          "Replica and primary policies cannot be compared exactly";
      case "PRIMARY_POLICY_UNREADABLE" -> "The primary's key policy cannot be read";
      case "POLICY_UNREADABLE" -> "The key policy cannot be read";
      case "POLICY_MALFORMED" -> "The key policy is not a valid key policy";
      case "BASELINE_FLOOR_MISSING" -> "The key policy lacks access the baseline requires";
      case "BASELINE_CEILING_EXCEEDED" -> "The key policy grants access beyond the baseline";
      case "BASELINE_UNDECIDED" -> "The key policy cannot be checked exactly against the baseline";
      case "POLICY_UNKNOWN_UNTIL_APPLY" -> "The key policy is known only after apply";
      case "INTRINSIC_UNRESOLVED" -> "A value has no value before deployment";
      case "PRIMARY_NOT_IN_INPUTS" -> "The replica's primary is not among the inputs";
      case "REGION_UNKNOWN" -> "The Region of the key is not known";
      case "ACCOUNT_UNKNOWN" -> "The account of the key is not known";
      default -> code;
    };
  }

  /** What to change so that a finding with {@code code} goes away, before deployment. */
  public static String fix(FindingCode code, String replicaRegion) {
    return switch (code) {
      case REPLICA_GRANTS_MORE, REPLICA_GRANTS_LESS ->
          "give the replica the primary's KeyPolicy, with the primary's Region replaced by "
              + replicaRegion
              + " where it names this key or a Regional service";
      case REPLICA_COMPARISON_UNDECIDED, BASELINE_UNDECIDED ->
          "simplify the construct named in the reason";
      case BASELINE_FLOOR_MISSING -> "add the statement the baseline floor requires";
      case BASELINE_CEILING_EXCEEDED ->
          "remove the grant; if it is intended, widen the baseline (docs/baseline.md)";
      case POLICY_MALFORMED -> "fix the policy at the location given";
      case PRIMARY_POLICY_UNREADABLE, POLICY_UNREADABLE ->
          "allow kms:GetKeyPolicy on the key to the identity that checks it";
      default -> "see docs/findings.md, " + code.name();
    };
  }

  /** The finding in one paragraph: its summary, its first witness and the fix. */
  public static String message(Finding finding, String replicaRegion) {
    StringBuilder s = new StringBuilder(finding.code().name()).append(": ");
    s.append(finding.summary());
    if (!finding.differences().isEmpty()) {
      Difference d = finding.differences().get(0);
      s.append(". Witness: ").append(FindingWords.witness(finding.code(), d));
      s.append(", because ").append(d.explanation());
    }
    s.append(". Fix: ").append(fix(finding.code(), replicaRegion)).append('.');
    return s.toString();
  }
}
