package dev.mrkpolicyguard.engine.eval;

import static dev.mrkpolicyguard.engine.Policies.APP_ROLE;
import static dev.mrkpolicyguard.engine.Policies.ROOT;
import static dev.mrkpolicyguard.engine.Policies.allow;
import static dev.mrkpolicyguard.engine.Policies.allowIf;
import static dev.mrkpolicyguard.engine.Policies.denyIf;
import static dev.mrkpolicyguard.engine.Policies.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mrkpolicyguard.engine.Policies;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EvaluatorTest {
  private static final KeyContext KEY = Policies.PRIMARY_KEY;
  private final Evaluator evaluator = new Evaluator();

  private static Caller caller(String text) {
    return Caller.parse(text).orElseThrow();
  }

  private Decision decide(KeyPolicy policy, String who, boolean identity, String action) {
    return decide(policy, who, identity, action, Map.of());
  }

  private Decision decide(
      KeyPolicy policy,
      String who,
      boolean identity,
      String action,
      Map<String, List<String>> ctx) {
    return evaluator.evaluate(policy, KEY, new Request(caller(who), identity, action, ctx));
  }

  @ParameterizedTest
  @CsvSource({
    "arn:aws:iam::111122223333:role/AppRole, true, ALLOW",
    "arn:aws:iam::111122223333:role/AppRole, false, DENY",
    "arn:aws:iam::111122223333:root, false, ALLOW",
    "arn:aws:iam::444455556666:role/AppRole, true, DENY"
  })
  void evaluate_accountGrant_needsAnIdentityPolicy(String who, boolean identity, Decision want) {
    assertEquals(want, decide(of(allow(ROOT, "\"kms:*\"")), who, identity, "kms:Decrypt"));
  }

  @ParameterizedTest
  @CsvSource({
    "arn:aws:iam::111122223333:role/AppRole, false, ALLOW",
    "arn:aws:sts::111122223333:assumed-role/AppRole/session-1, false, ALLOW",
    "arn:aws:iam::111122223333:role/Other, true, DENY"
  })
  void evaluate_directRoleGrant_needsNoIdentityPolicyInTheKeyAccount(
      String who, boolean identity, Decision want) {
    assertEquals(
        want, decide(of(allow(APP_ROLE, "\"kms:Decrypt\"")), who, identity, "kms:Decrypt"));
  }

  @ParameterizedTest
  @CsvSource({"false, DENY", "true, ALLOW"})
  void evaluate_directCrossAccountGrant_needsTheCallersIdentityPolicy(
      boolean identity, Decision want) {
    KeyPolicy policy =
        of(allow("{\"AWS\":\"arn:aws:iam::444455556666:role/Partner\"}", "\"kms:Decrypt\""));
    assertEquals(
        want, decide(policy, "arn:aws:iam::444455556666:role/Partner", identity, "kms:Decrypt"));
  }

  @Test
  void evaluate_denyOnInsecureTransport_neverApplies() {
    KeyPolicy policy =
        of(
            allow(APP_ROLE, "\"kms:*\""),
            denyIf("\"*\"", "\"kms:*\"", "{\"Bool\":{\"aws:SecureTransport\":\"false\"}}"));
    // KMS accepts only TLS (KMS API Reference, "Welcome"): the key is true whatever the context
    // says.
    assertEquals(
        Decision.ALLOW,
        decide(
            policy,
            "arn:aws:iam::111122223333:role/AppRole",
            true,
            "kms:Decrypt",
            Map.of("aws:SecureTransport", List.of("false"))));
  }

  @Test
  void evaluate_explicitDeny_winsOverAllow() {
    KeyPolicy policy =
        of(
            allow(APP_ROLE, "\"kms:*\""),
            denyIf(
                "\"*\"", "\"kms:Decrypt\"", "{\"StringEquals\":{\"aws:SourceVpce\":\"vpce-1\"}}"));
    assertEquals(
        Decision.DENY,
        decide(
            policy,
            "arn:aws:iam::111122223333:role/AppRole",
            true,
            "kms:Decrypt",
            Map.of("aws:SourceVpce", List.of("vpce-1"))));
    assertEquals(
        Decision.ALLOW,
        decide(
            policy,
            "arn:aws:iam::111122223333:role/AppRole",
            true,
            "kms:Decrypt",
            Map.of("aws:SourceVpce", List.of("vpce-2"))));
  }

  @ParameterizedTest
  @CsvSource({
    "kms:decrypt, ALLOW",
    "KMS:DECRYPT, ALLOW",
    "kms:Encrypt, DENY",
  })
  void evaluate_actions_matchIgnoringCase(String action, Decision want) {
    assertEquals(
        want,
        decide(
            of(allow(APP_ROLE, "\"kms:Decrypt\"")),
            "arn:aws:iam::111122223333:role/AppRole",
            false,
            action));
  }

  @Test
  void evaluate_notAction_matchesEveryOtherAction() {
    KeyPolicy policy =
        of(
            allow(APP_ROLE, "[]")
                .replace("\"Action\":[]", "\"NotAction\":\"kms:ScheduleKeyDeletion\""));
    assertEquals(
        Decision.ALLOW,
        decide(policy, "arn:aws:iam::111122223333:role/AppRole", false, "kms:Decrypt"));
    assertEquals(
        Decision.DENY,
        decide(policy, "arn:aws:iam::111122223333:role/AppRole", false, "kms:ScheduleKeyDeletion"));
  }

  @Test
  void evaluate_resourceNamingAnotherRegion_neverApplies() {
    KeyPolicy policy =
        of(
            allow(APP_ROLE, "\"kms:*\"")
                .replace(
                    "\"Resource\":\"*\"",
                    "\"Resource\":\"arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab\""));
    assertEquals(
        Decision.DENY,
        decide(policy, "arn:aws:iam::111122223333:role/AppRole", true, "kms:Decrypt"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"StringNotEquals\":{\"kms:EncryptionContext:Team\":\"red\"}} | <absent> | ALLOW",
        "{\"StringEquals\":{\"kms:EncryptionContext:Team\":\"red\"}}    | <absent> | DENY",
        "{\"StringEqualsIfExists\":{\"kms:EncryptionContext:Team\":\"red\"}} | <absent> | ALLOW",
        "{\"StringEqualsIfExists\":{\"kms:EncryptionContext:Team\":\"red\"}} | blue | DENY",
        "{\"StringEqualsIgnoreCase\":{\"kms:EncryptionContext:Team\":\"RED\"}} | red | ALLOW",
        "{\"StringLike\":{\"kms:EncryptionContext:Team\":\"r?d*\"}} | rod-x | ALLOW",
        "{\"Null\":{\"kms:EncryptionContext:Team\":\"true\"}} | <absent> | ALLOW",
        "{\"Null\":{\"kms:EncryptionContext:Team\":\"false\"}} | <absent> | DENY",
        "{\"ForAnyValue:StringEquals\":{\"kms:EncryptionContextKeys\":[\"a\",\"b\"]}} | <absent> | DENY",
        "{\"ForAllValues:StringEquals\":{\"kms:EncryptionContextKeys\":[\"a\",\"b\"]}} | <absent> | ALLOW",
        "{\"ForAllValues:StringEquals\":{\"kms:EncryptionContextKeys\":[\"a\",\"b\"]}} | a;c | DENY",
        "{\"ForAnyValue:StringEquals\":{\"kms:EncryptionContextKeys\":[\"a\",\"b\"]}} | a;c | ALLOW",
        "{\"NumericLessThan\":{\"aws:MultiFactorAuthAge\":\"3600\"}} | 60 | ALLOW",
        "{\"NumericLessThan\":{\"aws:MultiFactorAuthAge\":\"3600\"}} | 3600 | DENY",
        "{\"DateLessThan\":{\"aws:CurrentTime\":\"2030-01-01T00:00:00Z\"}} | 2026-11-28T00:00:00Z | ALLOW",
        "{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2030-01-01\"}} | 1893456000 | DENY",
        "{\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"2001:db8::/32\"]}} | 10.1.2.3 | ALLOW",
        "{\"IpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"2001:db8::/32\"]}} | 2001:db8::1 | ALLOW",
        "{\"NotIpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}} | 11.0.0.1 | ALLOW",
        "{\"Bool\":{\"kms:GrantIsForAWSResource\":true}} | TRUE | ALLOW",
        "{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:logs:*:111122223333:*\"}} | arn:aws:logs:eu-west-1:111122223333:log-group:a | ALLOW",
        "{\"ArnNotEquals\":{\"aws:SourceArn\":\"arn:aws:logs:*:111122223333:*\"}} | arn:aws:s3:::bucket | ALLOW",
        "{\"StringEquals\":{\"kms:EncryptionContext:Team\":\"${aws:username}\"}} | alice | ALLOW",
        "{\"StringEquals\":{\"kms:EncryptionContext:Team\":\"${aws:username}\"}} | bob | DENY"
      })
  void evaluate_conditionOperators_truthTable(String condition, String value, Decision want) {
    String key = condition.replaceAll(".*\\{\"([^\"]+:[^\"]+)\":.*", "$1");
    Map<String, List<String>> context =
        value.equals("<absent>") ? Map.of() : Map.of(key, List.of(value.split(";")));
    // The caller is IAM user alice: aws:username (used by the variable rows) follows from it.
    String alice = "arn:aws:iam::111122223333:user/alice";
    KeyPolicy policy = of(allowIf("{\"AWS\": \"" + alice + "\"}", "\"kms:*\"", condition));
    assertEquals(want, decide(policy, alice, false, "kms:CreateGrant", context));
  }

  @Test
  void evaluate_callerAccountCondition_usesTheCallersAccount() {
    KeyPolicy policy =
        of(
            allowIf(
                "\"*\"",
                "\"kms:Decrypt\"",
                "{\"StringEquals\":{\"kms:CallerAccount\":\"111122223333\"}}"));
    assertEquals(
        Decision.ALLOW,
        decide(policy, "arn:aws:iam::111122223333:user/anyone", false, "kms:Decrypt"));
    assertEquals(
        Decision.DENY,
        decide(policy, "arn:aws:iam::444455556666:user/anyone", true, "kms:Decrypt"));
  }

  @Test
  void evaluate_anonymousCaller_isMatchedOnlyByStar() {
    assertEquals(
        Decision.ALLOW,
        decide(of(allow("\"*\"", "\"kms:Decrypt\"")), "anonymous", false, "kms:Decrypt"));
    assertEquals(
        Decision.DENY, decide(of(allow(ROOT, "\"kms:*\"")), "anonymous", true, "kms:Decrypt"));
  }

  @Test
  void evaluate_servicePrincipal_isMatchedByName() {
    KeyPolicy policy =
        of(allow("{\"Service\":\"logs.us-east-1.amazonaws.com\"}", "\"kms:Encrypt*\""));
    assertEquals(
        Decision.ALLOW, decide(policy, "logs.us-east-1.amazonaws.com", false, "kms:Encrypt"));
    assertEquals(
        Decision.DENY, decide(policy, "logs.eu-west-1.amazonaws.com", false, "kms:Encrypt"));
  }

  @Test
  void evaluate_sessionPrincipal_matchesOnlyThatSession() {
    KeyPolicy policy =
        of(
            allow(
                "{\"AWS\":\"arn:aws:sts::111122223333:assumed-role/AppRole/ci\"}",
                "\"kms:Decrypt\""));
    assertEquals(
        Decision.ALLOW,
        decide(policy, "arn:aws:sts::111122223333:assumed-role/AppRole/ci", false, "kms:Decrypt"));
    assertEquals(
        Decision.DENY,
        decide(
            policy, "arn:aws:sts::111122223333:assumed-role/AppRole/other", false, "kms:Decrypt"));
  }

  @Test
  void evaluate_notPrincipalDeny_sparesOnlyCallersWhoseAccountAndIdentityAreListed() {
    KeyPolicy policy =
        of(
            allow(ROOT, "\"kms:*\""),
            """
            {"Effect": "Deny",
             "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:root",
                                      "arn:aws:iam::111122223333:user/KeyAdmin"]},
             "Action": "kms:PutKeyPolicy", "Resource": "*"}
            """);
    assertEquals(
        Decision.ALLOW,
        decide(policy, "arn:aws:iam::111122223333:user/KeyAdmin", true, "kms:PutKeyPolicy"));
    assertEquals(
        Decision.DENY,
        decide(policy, "arn:aws:iam::111122223333:user/Other", true, "kms:PutKeyPolicy"));
  }

  /**
   * IAM User Guide, "NotPrincipal", role example: only the session named by its assumed-role ARN
   * (listed with the role and the account) is spared; the role ARN alone spares no session.
   */
  @Test
  void evaluate_notPrincipalDenyListingRoleWithoutSession_sparesNoSessionOfTheRole() {
    String roleOnly =
        """
        {"Effect": "Deny",
         "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:root",
                                  "arn:aws:iam::111122223333:role/KeyAdmin"]},
         "Action": "kms:PutKeyPolicy", "Resource": "*"}
        """;
    String withSession =
        """
        {"Effect": "Deny",
         "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:root",
                                  "arn:aws:iam::111122223333:role/KeyAdmin",
                                  "arn:aws:sts::111122223333:assumed-role/KeyAdmin/admin"]},
         "Action": "kms:PutKeyPolicy", "Resource": "*"}
        """;
    String admin = "arn:aws:sts::111122223333:assumed-role/KeyAdmin/admin";
    String other = "arn:aws:sts::111122223333:assumed-role/KeyAdmin/other";
    KeyPolicy denyRole = of(allow(ROOT, "\"kms:*\""), roleOnly);
    KeyPolicy denySession = of(allow(ROOT, "\"kms:*\""), withSession);
    assertEquals(Decision.DENY, decide(denyRole, admin, true, "kms:PutKeyPolicy"));
    assertEquals(
        Decision.DENY,
        decide(denyRole, "arn:aws:iam::111122223333:role/KeyAdmin", true, "kms:PutKeyPolicy"));
    assertEquals(Decision.ALLOW, decide(denySession, admin, true, "kms:PutKeyPolicy"));
    assertEquals(Decision.DENY, decide(denySession, other, true, "kms:PutKeyPolicy"));
  }

  /** IAM User Guide, "aws:username": the user's friendly name, present for IAM users only. */
  @Test
  void evaluate_usernameCondition_followsTheCallerNotTheContext() {
    KeyPolicy policy =
        Policies.parse(
            """
            {"Version": "2012-10-17",
             "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt",
                            "Resource": "*",
                            "Condition": {"StringEquals": {"aws:username": "Alice"}}}]}
            """);
    Map<String, List<String>> claimsAlice = Map.of("aws:username", List.of("Alice"));
    assertEquals(
        Decision.ALLOW,
        decide(policy, "arn:aws:iam::111122223333:user/finance/Alice", false, "kms:Decrypt"));
    assertEquals(
        Decision.DENY,
        decide(policy, "arn:aws:iam::111122223333:role/Alice", false, "kms:Decrypt", claimsAlice));
    assertEquals(
        Decision.DENY,
        decide(policy, "arn:aws:iam::111122223333:user/Bob", false, "kms:Decrypt", claimsAlice));
  }
}
