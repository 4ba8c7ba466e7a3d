package dev.mrkpolicyguard.engine.compare;

import static dev.mrkpolicyguard.engine.Policies.PRIMARY_KEY;
import static dev.mrkpolicyguard.engine.Policies.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.mrkpolicyguard.engine.eval.Decision;
import dev.mrkpolicyguard.engine.eval.Evaluator;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import dev.mrkpolicyguard.engine.region.RegionMapper;
import org.junit.jupiter.api.Test;

/**
 * Each policy judged on its own key (KMS Developer Guide, "Multi-Region keys": each replica has its
 * own key policy; IAM User Guide, {@code aws:RequestedRegion}: the Region of the endpoint called).
 * Expected verdicts are decided from those rules, then every witness is re-evaluated on both keys.
 */
class TwoSidedComparisonTest {
  private static final KeyContext PRIMARY = PRIMARY_KEY;
  private static final KeyContext EU_REPLICA = PRIMARY_KEY.inRegion("eu-west-1");
  private static final KeyContext US_WEST_REPLICA = PRIMARY_KEY.inRegion("us-west-2");

  private final PolicyComparator comparator = new PolicyComparator();

  private static String policy(String statements) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}";
  }

  private static final String ADMIN_ROOT =
      """
      {"Sid": "Enable IAM policies", "Effect": "Allow",
       "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}""";

  private Comparison compare(String primary, KeyContext replicaKey, String replica) {
    KeyPolicy p = parse(policy(primary));
    KeyPolicy r = parse(policy(replica));
    Comparison c = comparator.compare(p, PRIMARY, r, replicaKey);
    Evaluator evaluator = new Evaluator();
    for (Difference d : c.differences()) {
      Decision onPrimary =
          evaluator.evaluate(p, PRIMARY.asPrimary(), d.witness().toPrimaryRequest());
      Decision onReplica = evaluator.evaluate(r, replicaKey.asReplica(), d.witness().toRequest());
      boolean replicaOnly = d.direction() == Direction.REPLICA_ONLY;
      assertEquals(replicaOnly ? Decision.ALLOW : Decision.DENY, onReplica, d::toString);
      assertEquals(replicaOnly ? Decision.DENY : Decision.ALLOW, onPrimary, d::toString);
    }
    return c;
  }

  private Comparison verbatim(String statements, KeyContext replicaKey) {
    return compare(statements, replicaKey, statements);
  }

  @Test
  void compare_verbatimCopyFencedToPrimaryRegion_isNarrower() {
    String fenced =
        ADMIN_ROOT
            + """
            , {"Sid": "Use in us-east-1", "Effect": "Allow",
               "Principal": {"AWS": "arn:aws:iam::111122223333:role/AppRole"},
               "Action": "kms:Decrypt", "Resource": "*",
               "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}}""";
    Comparison c = verbatim(fenced, EU_REPLICA);
    assertEquals(Verdict.REPLICA_NARROWER, c.verdict());
    assertEquals("kms:Decrypt", c.differences().get(0).witness().action());
  }

  @Test
  void compare_verbatimCopyDenyingOtherRegions_isNarrower() {
    String fenced =
        ADMIN_ROOT
            + """
            , {"Sid": "Only us-east-1", "Effect": "Deny", "Principal": "*", "Action": "kms:*",
               "Resource": "*",
               "Condition": {"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}}""";
    assertEquals(Verdict.REPLICA_NARROWER, verbatim(fenced, EU_REPLICA).verdict());
  }

  @Test
  void compare_denyOfEveryRegionButTheKeysOwn_isEquivalent() {
    String primary =
        ADMIN_ROOT
            + """
            , {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*",
               "Condition": {"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}}""";
    String replica = primary.replace("\"us-east-1\"", "\"eu-west-1\"");
    assertEquals(Verdict.EQUIVALENT, compare(primary, EU_REPLICA, replica).verdict());
  }

  @Test
  void compare_verbatimCopyNamingPrimaryArnAsResource_isNarrower() {
    String own =
        """
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
         "Action": "kms:*",
         "Resource": "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"}""";
    assertEquals(Verdict.REPLICA_NARROWER, verbatim(own, EU_REPLICA).verdict());
  }

  @Test
  void compare_regionPatternResource_dependsOnTheReplicaRegion() {
    String pattern =
        """
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
         "Action": "kms:*", "Resource": "arn:aws:kms:us-*:111122223333:key/*"}""";
    assertEquals(Verdict.REPLICA_NARROWER, verbatim(pattern, EU_REPLICA).verdict());
    assertEquals(Verdict.EQUIVALENT, verbatim(pattern, US_WEST_REPLICA).verdict());
  }

  @Test
  void compare_verbatimCopyRequiringPrimaryKeyType_isNarrower() {
    String typed =
        ADMIN_ROOT
            + """
            , {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/AppRole"},
               "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*",
               "Condition": {"StringEquals": {"kms:MultiRegionKeyType": "PRIMARY"}}}""";
    assertEquals(Verdict.REPLICA_NARROWER, verbatim(typed, EU_REPLICA).verdict());
    String replica = typed.replace("\"PRIMARY\"", "\"REPLICA\"");
    assertEquals(Verdict.EQUIVALENT, compare(typed, EU_REPLICA, replica).verdict());
  }

  @Test
  void compare_viaServiceOfPrimaryRegionCopied_isNarrowerAndRewrittenIsEquivalent() {
    String via =
        ADMIN_ROOT
            + """
            , {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/AppRole"},
               "Action": "kms:Decrypt", "Resource": "*",
               "Condition": {"StringEquals": {"kms:ViaService": "ec2.us-east-1.amazonaws.com"}}}""";
    Comparison copied = verbatim(via, EU_REPLICA);
    assertEquals(Verdict.REPLICA_NARROWER, copied.verdict());
    assertEquals(
        "ec2.eu-west-1.amazonaws.com",
        copied.differences().get(0).witness().context().get("kms:ViaService").get(0));
    assertEquals(
        "ec2.us-east-1.amazonaws.com",
        copied.differences().get(0).witness().primaryContext().get("kms:ViaService").get(0));
    String rewritten = via.replace("ec2.us-east-1", "ec2.eu-west-1");
    assertEquals(Verdict.EQUIVALENT, compare(via, EU_REPLICA, rewritten).verdict());
  }

  @Test
  void compare_viaServicePatternOverRegions_isDecidedOnRealEndpoints() {
    String pattern =
        ADMIN_ROOT
            + """
            , {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/AppRole"},
               "Action": "kms:Decrypt", "Resource": "*",
               "Condition": {"StringLike": {"kms:ViaService": "ec2.us-*.amazonaws.com"}}}""";
    assertEquals(Verdict.REPLICA_NARROWER, verbatim(pattern, EU_REPLICA).verdict());
    assertEquals(Verdict.EQUIVALENT, verbatim(pattern, US_WEST_REPLICA).verdict());
  }

  private static final String LOGS =
      """
      {"Sid": "CloudWatch Logs", "Effect": "Allow",
       "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
       "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
       "Resource": "*",
       "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
         "arn:aws:logs:us-east-1:111122223333:log-group:*"}}}""";

  @Test
  void compare_logsPolicyCopiedVerbatim_isNarrower() {
    Comparison c = verbatim(ADMIN_ROOT + "," + LOGS, EU_REPLICA);
    assertEquals(Verdict.REPLICA_NARROWER, c.verdict());
    Witness w = c.differences().get(0).witness();
    assertEquals("logs.eu-west-1.amazonaws.com", w.caller().text());
    assertEquals("logs.us-east-1.amazonaws.com", w.primaryCaller().text());
  }

  @Test
  void compare_logsPolicyRewrittenForTheReplicaRegion_isEquivalent() {
    String primary = ADMIN_ROOT + "," + LOGS;
    assertEquals(
        Verdict.EQUIVALENT,
        compare(primary, EU_REPLICA, primary.replace("us-east-1", "eu-west-1")).verdict());
  }

  @Test
  void compare_valueNamingAThirdRegion_staysPut() {
    String third =
        ADMIN_ROOT
            + """
            , {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/AppRole"},
               "Action": "kms:Decrypt", "Resource": "*",
               "Condition": {"StringEquals": {"kms:EncryptionContext:aws:s3:arn":
                 "arn:aws:s3:ap-south-1:111122223333:accesspoint/ap"}}}""";
    assertEquals(Verdict.EQUIVALENT, verbatim(third, EU_REPLICA).verdict());
  }

  @Test
  void compare_signGrantedOnlyByReplicaOfSymmetricKey_isEquivalent() {
    String primary = ADMIN_ROOT;
    String replica =
        ADMIN_ROOT
            + """
            , {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
               "Action": ["kms:Sign", "kms:GenerateMac", "kms:CreateKey", "kms:GenerateRandom"],
               "Resource": "*"}""";
    KeyPolicy p = parse(policy(primary));
    KeyPolicy r = parse(policy(replica));
    KeyContext symmetricPrimary = PRIMARY.withUsage("ENCRYPT_DECRYPT", "SYMMETRIC_DEFAULT");
    KeyContext symmetricReplica = EU_REPLICA.withUsage("ENCRYPT_DECRYPT", "SYMMETRIC_DEFAULT");
    assertEquals(
        Verdict.EQUIVALENT, comparator.compare(p, symmetricPrimary, r, symmetricReplica).verdict());
    Comparison signing =
        comparator.compare(
            p,
            PRIMARY.withUsage("SIGN_VERIFY", "ECC_NIST_P256"),
            r,
            EU_REPLICA.withUsage("SIGN_VERIFY", "ECC_NIST_P256"));
    assertEquals(Verdict.REPLICA_BROADER, signing.verdict());
    assertEquals("kms:Sign", signing.differences().get(0).witness().action());
  }

  @Test
  void compare_primaryRewrittenByRegionMapper_isEquivalent() {
    String primary =
        ADMIN_ROOT
            + ","
            + LOGS
            + """
            , {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/AppRole"},
               "Action": "kms:Decrypt", "Resource": "*",
               "Condition": {"StringEquals": {"kms:ViaService": "rds.us-east-1.amazonaws.com"}}}""";
    KeyPolicy p = parse(policy(primary));
    KeyPolicy mapped = new RegionMapper("us-east-1", "eu-west-1").map(p);
    Comparison c = comparator.compare(p, PRIMARY, mapped, EU_REPLICA);
    assertEquals(Verdict.EQUIVALENT, c.verdict(), c::toString);
  }

  @Test
  void compare_defaultPolicyOnReplica_isNarrowerForDirectlyNamedRole() {
    String primary =
        ADMIN_ROOT
            + """
            , {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/AppRole"},
               "Action": "kms:Decrypt", "Resource": "*"}""";
    Comparison c = compare(primary, EU_REPLICA, ADMIN_ROOT);
    assertEquals(Verdict.REPLICA_NARROWER, c.verdict());
    assertFalse(c.differences().get(0).witness().identityPolicyAllows());
  }

  /**
   * Each application's statement tests its own encryption-context key; the replica misses one.
   * "Absent" and "another value" of each key lead to the same decisions, so the search explores one
   * of them: without that it doubled per key and gave up (UNDECIDED) from about 20 keys.
   */
  @Test
  void compare_manyStatementsEachWithItsOwnContextKey_isDecidedExactly() {
    StringBuilder primary = new StringBuilder(ADMIN_ROOT);
    StringBuilder replica = new StringBuilder(ADMIN_ROOT);
    int applications = 120;
    for (int i = 0; i < applications; i++) {
      String statement =
          """
          , {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
             "Condition": {"StringEquals": {"kms:EncryptionContext:app%d": "a%d"}}}"""
              .formatted(i, i);
      primary.append(statement);
      if (i != 77) {
        replica.append(statement);
      }
    }
    Comparison c = compare(primary.toString(), EU_REPLICA, replica.toString());
    assertEquals(Verdict.REPLICA_NARROWER, c.verdict(), c::toString);
    assertEquals(
        java.util.List.of("a77"),
        c.differences().get(0).witness().context().get("kms:EncryptionContext:app77"));
  }

  /**
   * aws:CurrentTime and aws:EpochTime are one instant in every request (IAM User Guide, global
   * condition keys): the same deadline written either way is the same access, and no witness may
   * pair a time with another epoch.
   */
  @Test
  void compare_sameDeadlineAsDateOrEpoch_isEquivalent() {
    String byDate =
        ADMIN_ROOT
            + """
            , {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/AppRole"},
               "Action": "kms:Decrypt", "Resource": "*",
               "Condition": {"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}}""";
    String byEpoch =
        byDate.replace(
            "\"DateLessThan\": {\"aws:CurrentTime\": \"2030-01-01T00:00:00Z\"}",
            "\"NumericLessThan\": {\"aws:EpochTime\": \"1893456000\"}");
    assertEquals(Verdict.EQUIVALENT, compare(byDate, EU_REPLICA, byEpoch).verdict());
    String later = byEpoch.replace("1893456000", "1893456001");
    Comparison c = compare(byDate, EU_REPLICA, later);
    assertEquals(Verdict.REPLICA_BROADER, c.verdict());
    Witness w = c.differences().get(0).witness();
    assertEquals(java.util.List.of("1893456000"), w.context().get("aws:EpochTime"));
    assertEquals(java.util.List.of("2030-01-01T00:00:00Z"), w.context().get("aws:CurrentTime"));
  }

  /** A service principal carries no aws:PrincipalOrgID (IAM User Guide, global condition keys). */
  @Test
  void compare_denyOnAnOrganizationThatServicesNeverCarry_isEquivalentForServices() {
    String trail =
        """
        {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": "kms:GenerateDataKey*", "Resource": "*"}""";
    String deny =
        """
        , {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*",
           "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-exampleorg"}}}""";
    assertEquals(Verdict.EQUIVALENT, compare(trail, EU_REPLICA, trail + deny).verdict());
  }

  /**
   * IAM paths may hold any printable ASCII character (IAM API Reference, CreateRole: Path), so a
   * pattern that only such roles match still grants someone.
   */
  @Test
  void compare_grantToRolesWithAPathCharacterBeyondNameCharacters_isAGrant() {
    String primary =
        ADMIN_ROOT
            + """
            , {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
               "Condition": {"StringLike": {"aws:PrincipalArn":
                 "arn:aws:iam::111122223333:role/*#*"}}}""";
    Comparison c = compare(primary, EU_REPLICA, ADMIN_ROOT);
    assertEquals(Verdict.REPLICA_NARROWER, c.verdict());
    String shown = c.differences().get(0).witness().caller().text();
    assertEquals(true, shown.contains("#"), shown);
  }
}
