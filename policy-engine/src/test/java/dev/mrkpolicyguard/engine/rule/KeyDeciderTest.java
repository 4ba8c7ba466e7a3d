package dev.mrkpolicyguard.engine.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyDeciderTest {
  private static final String PRIMARY =
      "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
  private static final String REPLICA =
      "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
  private static final String ROOT_ONLY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
  private static final String WITH_PARTNER =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},"
          + "{\"Sid\":\"Partner\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"444455556666\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}";
  private static final String PUBLIC =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}";

  private final KeyDecider decider = new KeyDecider();

  private static KeyFacts replica(PolicyFact replicaPolicy, PolicyFact primaryPolicy) {
    return new KeyFacts(
        REPLICA, KeyRole.REPLICA, PRIMARY, false, "Enabled", replicaPolicy, primaryPolicy);
  }

  private static PolicyFact.Known known(String json) {
    return new PolicyFact.Known(json);
  }

  @Test
  void decide_replicaEqualToPrimary_isCompliant() {
    KeyEvaluation e = decider.decide(replica(known(ROOT_ONLY), known(ROOT_ONLY)), Baseline.DEFAULT);
    assertEquals(Compliance.COMPLIANT, e.compliance());
    assertTrue(e.findings().isEmpty());
  }

  @Test
  void decide_replicaAddsAccount_isNonCompliantWithGrantsMoreAnnotation() {
    KeyEvaluation e =
        decider.decide(replica(known(WITH_PARTNER), known(ROOT_ONLY)), Baseline.DEFAULT);
    assertEquals(Compliance.NON_COMPLIANT, e.compliance());
    assertEquals(FindingCode.REPLICA_GRANTS_MORE, e.findings().get(0).code());
    assertTrue(
        e.annotation()
            .startsWith(
                "Replica grants more than primary (us-east-1): 444455556666 may kms:Decrypt"),
        e.annotation());
    assertTrue(
        e.annotation().endsWith("Details: log key mrk-1234abcd12ab34cd56ef1234567890ab"),
        e.annotation());
  }

  @Test
  void decide_replicaLacksPrimaryGrant_reportsGrantsLess() {
    KeyEvaluation e =
        decider.decide(replica(known(ROOT_ONLY), known(WITH_PARTNER)), Baseline.DEFAULT);
    assertEquals(FindingCode.REPLICA_GRANTS_LESS, e.findings().get(0).code());
  }

  @Test
  void decide_unreadablePrimary_failsClosedNamingThePermission() {
    PolicyFact denied =
        new PolicyFact.Unreadable(
            "AccessDeniedException", "missing kms:GetKeyPolicy on " + PRIMARY);
    KeyEvaluation e = decider.decide(replica(known(ROOT_ONLY), denied), Baseline.DEFAULT);
    assertEquals(Compliance.NON_COMPLIANT, e.compliance());
    assertEquals(FindingCode.PRIMARY_POLICY_UNREADABLE, e.findings().get(0).code());
    assertTrue(e.annotation().contains("kms:GetKeyPolicy"), e.annotation());
  }

  @ParameterizedTest
  @CsvSource({
    "PendingDeletion, NOT_APPLICABLE",
    "PendingReplicaDeletion, NOT_APPLICABLE",
    "Updating, DEFERRED",
    "Creating, DEFERRED",
    "Disabled, NON_COMPLIANT",
    "PendingImport, NON_COMPLIANT"
  })
  void decide_keyState_decidesApplicability(String state, Compliance expected) {
    KeyFacts facts =
        new KeyFacts(
            REPLICA, KeyRole.REPLICA, PRIMARY, false, state, known(WITH_PARTNER), known(ROOT_ONLY));
    assertEquals(expected, decider.decide(facts, Baseline.DEFAULT).compliance());
  }

  @Test
  void decide_singleRegionAndAwsManagedKeys_areNotApplicable() {
    String arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    PolicyFact none = new PolicyFact.NotNeeded();
    assertEquals(
        Compliance.NOT_APPLICABLE,
        decider
            .decide(
                new KeyFacts(arn, KeyRole.SINGLE_REGION, null, false, "Enabled", none, none),
                Baseline.DEFAULT)
            .compliance());
    assertEquals(
        Compliance.NOT_APPLICABLE,
        decider
            .decide(
                new KeyFacts(arn, KeyRole.SINGLE_REGION, null, true, "Enabled", none, none),
                Baseline.DEFAULT)
            .compliance());
  }

  @Test
  void decide_publicPrimary_breaksTheDefaultBaseline() {
    KeyFacts facts =
        new KeyFacts(
            PRIMARY,
            KeyRole.PRIMARY,
            PRIMARY,
            false,
            "Enabled",
            known(PUBLIC),
            new PolicyFact.NotNeeded());
    KeyEvaluation e = decider.decide(facts, Baseline.DEFAULT);
    assertEquals(Compliance.NON_COMPLIANT, e.compliance());
    assertEquals(FindingCode.BASELINE_CEILING_EXCEEDED, e.findings().get(0).code());
    assertTrue(e.annotation().contains("forbidPublicAccess"), e.annotation());
    assertTrue(e.annotation().contains("999999999999"), e.annotation());
  }

  @Test
  void decide_allowedAccountsCeiling_flagsAnotherAccount() {
    Baseline baseline = new Baseline(List.of(), List.of(), List.of("${AccountId}"), true);
    KeyFacts facts =
        new KeyFacts(
            PRIMARY,
            KeyRole.PRIMARY,
            PRIMARY,
            false,
            "Enabled",
            known(WITH_PARTNER),
            new PolicyFact.NotNeeded());
    KeyEvaluation e = decider.decide(facts, baseline);
    assertEquals(FindingCode.BASELINE_CEILING_EXCEEDED, e.findings().get(0).code());
    assertTrue(e.annotation().contains("444455556666"), e.annotation());
  }

  @Test
  void decide_floorRequiringBreakGlassRole_flagsAPolicyWithoutIt() {
    Baseline baseline =
        new Baseline(
            List.of(
                "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::${AccountId}:role/BreakGlass\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}"),
            List.of(),
            List.of(),
            false);
    KeyFacts facts =
        new KeyFacts(
            PRIMARY,
            KeyRole.PRIMARY,
            PRIMARY,
            false,
            "Enabled",
            known(ROOT_ONLY),
            new PolicyFact.NotNeeded());
    KeyEvaluation e = decider.decide(facts, baseline);
    assertEquals(FindingCode.BASELINE_FLOOR_MISSING, e.findings().get(0).code());
    assertTrue(e.annotation().contains("111122223333:role/BreakGlass"), e.annotation());
  }

  @Test
  void decide_manyFindings_keepsTheAnnotationWithin256Characters() {
    String longSid = "x".repeat(300);
    String primary = ROOT_ONLY.replace("\"Effect\"", "\"Sid\":\"" + longSid + "\",\"Effect\"");
    KeyEvaluation e = decider.decide(replica(known(PUBLIC), known(primary)), Baseline.DEFAULT);
    assertTrue(e.annotation().length() <= 256);
    assertTrue(e.findings().size() >= 2);
    assertTrue(e.annotation().contains("more"), e.annotation());
  }

  @Test
  void decide_malformedOwnPolicy_isNonCompliantWithLocation() {
    KeyEvaluation e =
        decider.decide(replica(known("{\"Statement\":[]}"), known(ROOT_ONLY)), Baseline.DEFAULT);
    assertEquals(FindingCode.POLICY_MALFORMED, e.findings().get(0).code());
    assertTrue(e.annotation().contains("/Statement"), e.annotation());
  }

  @Test
  void decide_samePolicyTextsWithAKeyIdPattern_neverSharedBetweenKeysItTellsApart() {
    String partnerOnMrk12 =
        WITH_PARTNER.replace(
            "\"kms:Decrypt\",\"Resource\":\"*\"",
            "\"kms:Decrypt\",\"Resource\":\"arn:aws:kms:*:111122223333:key/mrk-12*\"");
    String other = "mrk-9999abcd12ab34cd56ef1234567890ab";
    KeyFacts matching = replica(known(partnerOnMrk12), known(ROOT_ONLY));
    KeyFacts notMatching =
        new KeyFacts(
            REPLICA.replace("mrk-1234abcd12ab34cd56ef1234567890ab", other),
            KeyRole.REPLICA,
            PRIMARY.replace("mrk-1234abcd12ab34cd56ef1234567890ab", other),
            false,
            "Enabled",
            known(partnerOnMrk12),
            known(ROOT_ONLY));

    KeyEvaluation first = decider.decide(matching, Baseline.DEFAULT);
    KeyEvaluation second = decider.decide(notMatching, Baseline.DEFAULT);

    assertEquals(Compliance.NON_COMPLIANT, first.compliance());
    assertEquals(Compliance.COMPLIANT, second.compliance(), second.annotation());
  }
}
