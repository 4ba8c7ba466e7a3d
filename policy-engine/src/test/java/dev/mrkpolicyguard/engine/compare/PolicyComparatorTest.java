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
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.engine.Policies;
import dev.mrkpolicyguard.engine.eval.Decision;
import dev.mrkpolicyguard.engine.eval.Evaluator;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
            denyIf("\"*\"", "\"kms:*\"", "{\"StringEquals\":{\"aws:SourceVpce\":\"vpce-1\"}}"));
    Comparison c = compare(primary, replica);
    assertEquals(Verdict.REPLICA_NARROWER, c.verdict());
    assertEquals(DifferenceKind.CONDITION, c.differences().get(0).kind());
    assertEquals("vpce-1", c.differences().get(0).witness().context().get("aws:SourceVpce").get(0));
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

  @Test
  void compare_policyVariablesThatMatter_areUndecidedWithReason() {
    KeyPolicy primary =
        of(
            allowIf(
                APP_ROLE,
                "\"kms:Decrypt\"",
                "{\"StringEquals\":{\"kms:EncryptionContext:user\":\"${aws:username}\"}}"));
    KeyPolicy replica = of(allow(APP_ROLE, "\"kms:Decrypt\""));
    Comparison c = compare(primary, replica);
    assertEquals(Verdict.UNDECIDED, c.verdict());
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
}
