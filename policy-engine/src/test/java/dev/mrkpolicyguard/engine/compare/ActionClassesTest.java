package dev.mrkpolicyguard.engine.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.engine.Policies;
import dev.mrkpolicyguard.engine.catalog.KmsCatalog;
import dev.mrkpolicyguard.engine.compare.DocumentedCasesTest.DocumentedCase;
import dev.mrkpolicyguard.engine.eval.CompiledPolicy;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Action classes are told apart only by the derived keys a statement tests: an action that carries
 * {@code kms:CallerAccount} and one that does not behave alike under policies that never test it.
 * The comparisons must be the same as with classes drawn by every derived key.
 */
class ActionClassesTest {
  private static final KeyContext KEY =
      new KeyContext("arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab");

  private static final String CONSOLE_DEFAULT =
      """
      {"Version": "2012-10-17", "Statement": [
        {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
         "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "Allow use of the key", "Effect": "Allow",
         "Principal": {"AWS": "arn:aws:iam::111122223333:role/AppRole"},
         "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
         "Resource": "*"}]}
      """;

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.mrkpolicyguard.engine.compare.DocumentedCasesTest#documentedCases")
  void compare_documentedCase_sameAsSearchedExhaustively(DocumentedCase c) {
    KeyContext primaryKey = new KeyContext(c.primaryArn()).withUsage(c.keyUsage(), c.keySpec());
    KeyContext replicaKey = primaryKey.inRegion(c.replicaRegion());
    KeyPolicy primary = Policies.parse(c.primary().toString());
    KeyPolicy replica = Policies.parse(c.replica().toString());
    PolicyComparator comparator = new PolicyComparator();

    assertEquals(
        comparator.compareExhaustively(primary, primaryKey, replica, replicaKey),
        comparator.compare(primary, primaryKey, replica, replicaKey));
  }

  @Test
  void of_noDerivedKeyTested_fewerClassesThanByEveryDerivedKey() {
    CompiledPolicy policy = new CompiledPolicy(Policies.parse(CONSOLE_DEFAULT), KEY);

    int tested = RequestSpace.of(policy, policy, KmsCatalog.standard(), false).actions.size();
    int every = RequestSpace.of(policy, policy, KmsCatalog.standard(), true).actions.size();

    assertTrue(tested < every, tested + " classes by tested keys, " + every + " by every key");
  }

  @Test
  void of_derivedKeyTested_classesSplitByWhetherTheActionCarriesIt() {
    String withCallerAccount =
        CONSOLE_DEFAULT.replace(
            "\"Resource\": \"*\"}]}",
            "\"Resource\": \"*\", \"Condition\": {\"StringEquals\":"
                + " {\"kms:CallerAccount\": \"111122223333\"}}}]}");
    CompiledPolicy plain = new CompiledPolicy(Policies.parse(CONSOLE_DEFAULT), KEY);
    CompiledPolicy tested = new CompiledPolicy(Policies.parse(withCallerAccount), KEY);

    int without = RequestSpace.of(plain, plain, KmsCatalog.standard()).actions.size();
    int with = RequestSpace.of(tested, tested, KmsCatalog.standard()).actions.size();

    assertTrue(with > without, with + " classes when kms:CallerAccount is tested, " + without);
  }

  @Test
  void of_policyVariable_classesByEveryDerivedKey() {
    String withVariable =
        CONSOLE_DEFAULT.replace(
            "\"Resource\": \"*\"}]}",
            "\"Resource\": \"*\", \"Condition\": {\"StringEquals\":"
                + " {\"kms:EncryptionContext:user\": \"${aws:username}\"}}}]}");
    CompiledPolicy policy = new CompiledPolicy(Policies.parse(withVariable), KEY);

    assertEquals(
        RequestSpace.of(policy, policy, KmsCatalog.standard(), true).actions,
        RequestSpace.of(policy, policy, KmsCatalog.standard(), false).actions);
  }
}
