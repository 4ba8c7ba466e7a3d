package dev.mrkpolicyguard.engine.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.engine.policy.ConditionOperator.SetQualifier;
import dev.mrkpolicyguard.engine.policy.Effect;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import dev.mrkpolicyguard.engine.policy.OperatorKind;
import dev.mrkpolicyguard.engine.policy.PrincipalAtom;
import dev.mrkpolicyguard.engine.policy.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyParserTest {
  private final PolicyParser parser = new PolicyParser();

  private KeyPolicy parsed(String json) {
    ParseResult result = parser.parse(json);
    if (result instanceof ParseResult.Invalid invalid) {
      throw new AssertionError("expected a valid policy, got:\n" + invalid.describe());
    }
    return ((ParseResult.Parsed) result).policy();
  }

  private Statement only(String statementJson) {
    return parsed("{\"Version\":\"2012-10-17\",\"Statement\":" + statementJson + "}")
        .statements()
        .get(0);
  }

  private ParseResult.Invalid invalid(String json) {
    return assertInstanceOf(ParseResult.Invalid.class, parser.parse(json));
  }

  @Test
  void parse_statementAsObject_isOneStatement() {
    KeyPolicy policy =
        parsed(
            "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}}");
    assertEquals(1, policy.statements().size());
    assertEquals(null, policy.version());
  }

  @Test
  void parse_scalarAndArrayPrincipals_normaliseToTheSameAtoms() {
    Statement scalar =
        only(
            "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}");
    Statement array =
        only(
            "[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::111122223333:root\"]},\"Action\":[\"kms:*\"],\"Resource\":[\"*\"]}]");
    assertEquals(scalar.principal(), array.principal());
    assertEquals(List.of(new PrincipalAtom.Account("111122223333")), array.principal().atoms());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"*\"                                                        | Anyone",
        "{\"AWS\":\"*\"}                                              | Anyone",
        "{\"AWS\":\"arn:aws:iam::111122223333:role/path/Admin\"}      | Iam",
        "{\"AWS\":\"arn:aws:iam::111122223333:user/alice\"}           | Iam",
        "{\"AWS\":\"arn:aws:sts::111122223333:assumed-role/Admin/s1\"}| Iam",
        "{\"AWS\":\"AROAEXAMPLEEXAMPLE1234\"}                         | UniqueId",
        "{\"Service\":\"logs.us-east-1.amazonaws.com\"}               | Service",
        "{\"Federated\":\"cognito-identity.amazonaws.com\"}           | Federated",
        "{\"CanonicalUser\":\"79a59df900b949e55d96a1e698fbaced\"}     | CanonicalUser"
      })
  void parse_principalForms_giveTheRightAtom(String principal, String atom) {
    Statement s =
        only(
            "{\"Effect\":\"Allow\",\"Principal\":"
                + principal
                + ",\"Action\":\"kms:*\",\"Resource\":\"*\"}");
    assertEquals(atom, s.principal().atoms().get(0).getClass().getSimpleName());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "StringEquals                         | STRING_EQUALS   | false | NONE",
        "StringNotEqualsIgnoreCase            | STRING_NOT_EQUALS_IGNORE_CASE | false | NONE",
        "StringLikeIfExists                   | STRING_LIKE     | true  | NONE",
        "ForAnyValue:StringEquals             | STRING_EQUALS   | false | FOR_ANY_VALUE",
        "ForAllValues:StringLikeIfExists      | STRING_LIKE     | true  | FOR_ALL_VALUES",
        "NumericLessThanEquals                | NUMERIC_LESS_THAN_EQUALS | false | NONE",
        "DateGreaterThan                      | DATE_GREATER_THAN | false | NONE",
        "Bool                                 | BOOL            | false | NONE",
        "BinaryEquals                         | BINARY_EQUALS   | false | NONE",
        "NotIpAddress                         | NOT_IP_ADDRESS  | false | NONE",
        "ArnNotLike                           | ARN_NOT_LIKE    | false | NONE",
        "Null                                 | NULL            | false | NONE"
      })
  void parse_everyOperatorFamily_isRecognised(
      String operator, OperatorKind kind, boolean ifExists, SetQualifier qualifier) {
    String value = kind.family() == OperatorKind.Family.IP ? "10.0.0.0/8" : "1";
    if (kind == OperatorKind.BOOL || kind == OperatorKind.NULL) {
      value = "true";
    }
    Statement s =
        only(
            "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\","
                + "\"Condition\":{\""
                + operator
                + "\":{\"aws:SomeKey\":\""
                + value
                + "\"}}}");
    var op = s.conditions().get(0).operator();
    assertEquals(kind, op.kind());
    assertEquals(ifExists, op.ifExists());
    assertEquals(qualifier, op.qualifier());
    assertEquals(Effect.DENY, s.effect());
  }

  @Test
  void parse_jsonBooleansAndNumbers_becomeTheirText() {
    Statement s =
        only(
            "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\","
                + "\"Condition\":{\"Bool\":{\"kms:GrantIsForAWSResource\":true},"
                + "\"NumericLessThan\":{\"aws:MultiFactorAuthAge\":[3600]}}}");
    assertEquals(List.of("true"), s.conditions().get(0).values());
    assertEquals(List.of("3600"), s.conditions().get(1).values());
  }

  @Test
  void parse_statementWithoutAction_isKeptButHasNoActionElement() {
    Statement s = only("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Resource\":\"*\"}");
    assertEquals(null, s.action());
  }

  @Test
  void parse_sidWithSpaces_isAccepted() {
    assertEquals(
        "Allow use of the key",
        only("{\"Sid\":\"Allow use of the key\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}")
            .sid());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "not json at all                                    | line 1, column",
        "[1,2]                                              | a key policy must be a JSON object",
        "{}                                                 | /Statement",
        "{\"Statement\":[]}                                 | /Statement",
        "{\"statement\":[]}                                 | did you mean 'Statement'",
        "{\"Version\":\"2020-01-01\",\"Statement\":[]}      | /Version",
        "{\"Statement\":[{\"Principal\":\"*\",\"Action\":\"kms:*\"}]}                         | /Statement/0/Effect",
        "{\"Statement\":[{\"Effect\":\"allow\",\"Principal\":\"*\"}]}                         | case-sensitive",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\"}]}                        | /Statement/0/Principal",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::111122223333:role/*\"]}}]} | /Statement/0/Principal/AWS/0",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Aws\":\"*\"}}]}               | unknown principal type",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"Decrypt\"}]}  | /Statement/0/Action",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Condition\":{\"StringEqualz\":{\"a:b\":\"c\"}}}]} | unknown condition operator",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Condition\":{\"NumericEquals\":{\"a:b\":\"ten\"}}}]} | not a number",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.300/8\"}}}]} | not an IP address",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Condition\":{\"StringEquals\":{\"a:b\":null}}}]} | string, number or boolean",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Principal\":\"*\"}]}     | Duplicate field",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Condition\":{\"NumericLessThan\":{\"kms:ScheduleKeyDeletionPendingWindowInDays\":\"1e999999999\"}}}]} | /Statement/0/Condition",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Condition\":{\"NumericLessThan\":{\"kms:ScheduleKeyDeletionPendingWindowInDays\":\"1e999999999\"}}}]} | beyond any value",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Condition\":{\"DateLessThan\":{\"aws:CurrentTime\":\"99999999999999999999\"}}}]} | not a date",
        "{\"Statement\":[]} trailing | not valid JSON"
      })
  void parse_badInput_namesTheProblemAndWhere(String json, String expected) {
    String described = invalid(json).describe();
    assertTrue(described.contains(expected), () -> "expected '" + expected + "' in: " + described);
  }

  @Test
  void parse_overThirtyTwoKilobytes_isRejectedWithTheSize() {
    String padding = "x".repeat(33_000);
    String json =
        "{\"Statement\":[{\"Sid\":\""
            + padding
            + "\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
    assertTrue(invalid(json).describe().contains("KMS accepts at most 32768 bytes"));
  }

  @Test
  void parse_characterOutsideKmsSet_isRejectedWithItsPosition() {
    String json =
        "{\"Statement\":[{\"Sid\":\"\u20ac\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
    String described = invalid(json).describe();
    assertTrue(described.contains("U+20AC"), described);
    assertTrue(described.startsWith("line 1, column 23"), described);
  }

  @Test
  void parse_emptyDocument_isRejectedNotThrown() {
    assertTrue(invalid("").describe().contains("empty"));
  }

  @Test
  void parse_ipv4MappedIpv6Block_isAccepted() {
    Statement s =
        only(
            """
            [{"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*",
              "Condition": {"NotIpAddress": {"aws:SourceIp": "::ffff:192.0.2.0/120"}}}]""");
    assertEquals("::ffff:192.0.2.0/120", s.conditions().get(0).values().get(0));
    assertTrue(
        dev.mrkpolicyguard.engine.policy.ConditionValues.parseCidr("::ffff:192.0.2.0/120")
            .orElseThrow()
            .contains(
                dev.mrkpolicyguard.engine.policy.ConditionValues.parseCidr("::ffff:192.0.2.7")
                    .orElseThrow()));
  }

  @Test
  void parse_serviceWildcard_isEveryServiceNotEveryone() {
    Statement s =
        only(
            """
            [{"Effect": "Allow", "Principal": {"Service": "*"}, "Action": "kms:*", "Resource": "*"}]""");
    assertEquals(
        new dev.mrkpolicyguard.engine.policy.PrincipalAtom.Service("*"),
        s.principal().atoms().get(0));
  }
}
