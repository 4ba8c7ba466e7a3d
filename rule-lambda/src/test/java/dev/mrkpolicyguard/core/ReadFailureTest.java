package dev.mrkpolicyguard.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.Compliance;
import dev.mrkpolicyguard.engine.rule.FindingCode;
import dev.mrkpolicyguard.engine.rule.KeyDecider;
import dev.mrkpolicyguard.engine.rule.KeyEvaluation;
import dev.mrkpolicyguard.engine.rule.KeyFacts;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadFailureTest {
  private static final String ID = "mrk-0123456789abcdef0123456789abcdef";
  private static final String REPLICA = "arn:aws:kms:eu-west-1:111122223333:key/" + ID;
  private static final String PRIMARY = "arn:aws:kms:ap-southeast-2:111122223333:key/" + ID;
  private static final String DENIAL =
      "User: arn:aws:sts::111122223333:assumed-role/mrk-policy-guard-rule/mrk-policy-guard is not"
          + " authorized to perform: kms:DescribeKey on resource: "
          + REPLICA
          + " with an explicit deny in a service control policy";

  @ParameterizedTest
  @ValueSource(strings = {"AccessDeniedException", "NotFoundException"})
  void unreadable_standingAnswers_areUnreadable(String code) {
    assertTrue(new ReadFailure("DescribeKey", code, "m").unreadable());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ThrottlingException",
        "KMSInternalException",
        "DependencyTimeoutException",
        "ServiceUnavailable",
        "InternalFailure",
        "ExpiredTokenException",
        "UnrecognizedClientException",
        "SdkClientException"
      })
  void unreadable_failuresToRetryAndUnknownCodes_areNot(String code) {
    assertFalse(new ReadFailure("GetKeyPolicy", code, "m").unreadable());
  }

  @Test
  void keyEvaluation_describeDenied_nonCompliantNamingThePermissionAndScpsWithinTheLimit() {
    KeyEvaluation e =
        new ReadFailure("DescribeKey", "AccessDeniedException", DENIAL).keyEvaluation(REPLICA);

    assertEquals(Compliance.NON_COMPLIANT, e.compliance());
    assertEquals(FindingCode.KEY_UNREADABLE, e.findings().get(0).code());
    assertTrue(e.findings().get(0).summary().endsWith(DENIAL), e.findings().get(0).summary());
    assertTrue(e.annotation().length() <= KeyEvaluation.MAX_ANNOTATION);
    assertTrue(
        e.annotation()
            .startsWith(
                "Cannot read this key: kms:DescribeKey denied to the rule's role; the key policy"
                    + " must allow it (or delegate to IAM), and an SCP fencing Regions can also"
                    + " deny it."),
        e.annotation());
    assertTrue(e.annotation().endsWith("... Details: log key " + ID), e.annotation());
  }

  @Test
  void keyEvaluation_failureToRetry_isRefused() {
    ReadFailure throttled = new ReadFailure("DescribeKey", "ThrottlingException", "Rate exceeded");

    assertThrows(IllegalStateException.class, () -> throttled.keyEvaluation(REPLICA));
  }

  @Test
  void policyFact_primaryDeniedInALongRegionName_annotationStillNamesPermissionAndScps() {
    PolicyFact.Unreadable denied =
        new ReadFailure("GetKeyPolicy", "AccessDeniedException", DENIAL).policyFact();
    KeyFacts facts =
        new KeyFacts(
            REPLICA,
            KeyRole.REPLICA,
            PRIMARY,
            false,
            "Enabled",
            new PolicyFact.Known(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                    + "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},"
                    + "\"Action\":\"kms:*\",\"Resource\":\"*\"}]}"),
            denied);

    KeyEvaluation e = new KeyDecider().decide(facts, Baseline.DEFAULT);

    assertEquals(FindingCode.PRIMARY_POLICY_UNREADABLE, e.findings().get(0).code());
    assertTrue(
        e.annotation()
            .startsWith(
                "Cannot read the primary's policy (ap-southeast-2): kms:GetKeyPolicy denied to"
                    + " the rule's role; the key policy must allow it (or delegate to IAM), and an"
                    + " SCP fencing Regions can also deny it."),
        e.annotation());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"})
  void reason_throttlingCodes_areThrottledAndNotUnreadable(String code) {
    ReadFailure failure = new ReadFailure("DescribeKey", code, "Rate exceeded");

    assertEquals(ReadFailure.Reason.THROTTLED, failure.reason());
    assertFalse(failure.unreadable());
  }

  @Test
  void reason_standingAnswersAndOthers_namedApart() {
    assertEquals(
        ReadFailure.Reason.ACCESS_DENIED,
        new ReadFailure("GetKeyPolicy", "AccessDeniedException", "no").reason());
    assertEquals(
        ReadFailure.Reason.NOT_FOUND,
        new ReadFailure("DescribeKey", "NotFoundException", "gone").reason());
    assertEquals(
        ReadFailure.Reason.OTHER,
        new ReadFailure("DescribeKey", "KMSInternalException", "oops").reason());
  }
}
