package dev.mrkpolicyguard.engine.compare;

import dev.mrkpolicyguard.engine.eval.CompiledCondition;
import dev.mrkpolicyguard.engine.eval.CompiledPolicy;
import dev.mrkpolicyguard.engine.eval.CompiledStatement;
import dev.mrkpolicyguard.engine.policy.OperatorKind;
import java.util.Set;

/**
 * Condition values that name a resource of one Region without saying which: a VPC endpoint ({@code
 * aws:SourceVpce}) carries calls to its own Region's KMS endpoint only, and a VPC ({@code
 * aws:SourceVpc}) lives in one Region (KMS Developer Guide, "Connect to AWS KMS through a VPC
 * endpoint"; IAM User Guide, global condition context keys). Such a value can reach at most one of
 * two keys in different Regions, and the policies do not say which, nor which resource of the other
 * Region corresponds to it.
 */
final class RegionBoundValues {
  private static final Set<String> KEYS = Set.of("aws:sourcevpce", "aws:sourcevpc");

  private RegionBoundValues() {}

  /**
   * The first value of either policy that names one such resource, as written, or null: a value
   * compared with {@code aws:SourceVpce} or {@code aws:SourceVpc} by any operator but {@code Null},
   * unless it is a pattern matching every endpoint or VPC.
   */
  static String named(CompiledPolicy... policies) {
    for (CompiledPolicy policy : policies) {
      for (CompiledStatement statement : policy.statements()) {
        if (!statement.appliesToKey()) {
          continue;
        }
        for (CompiledCondition c : statement.conditions()) {
          if (!KEYS.contains(c.key()) || c.source().operator().kind() == OperatorKind.NULL) {
            continue;
          }
          for (String value : c.source().values()) {
            if (!value.equals("*") && !value.equals("vpce-*") && !value.equals("vpc-*")) {
              return value;
            }
          }
        }
      }
    }
    return null;
  }
}
