package dev.mrkpolicyguard.iac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.Compliance;
import dev.mrkpolicyguard.engine.rule.KeyDecider;
import dev.mrkpolicyguard.engine.rule.KeyEvaluation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IacCheckTest {
  private static final String POLICY =
      """
      {"Version":"2012-10-17","Statement":[{"Sid":"Root","Effect":"Allow",
       "Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}%s]}
      """;
  private static final String PARTNER =
      """
      ,{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},
        "Action":"kms:Decrypt","Resource":"*"}""";

  /** A primary and three replicas of it: the first two with one policy, the third another. */
  private static List<IacResource> resources() {
    String replica =
        """
        "%s":{"Type":"AWS::KMS::ReplicaKey","Properties":{
          "PrimaryKeyArn":{"Fn::GetAtt":["Primary","Arn"]},"KeyPolicy":%s}}""";
    String template =
        """
        {"Resources":{
         "Primary":{"Type":"AWS::KMS::Key","Properties":{"MultiRegion":true,"KeyPolicy":%s}},
         %s,%s,%s}}
        """
            .formatted(
                POLICY.formatted(""),
                replica.formatted("A", POLICY.formatted(PARTNER)),
                replica.formatted("B", POLICY.formatted(PARTNER)),
                replica.formatted("C", POLICY.formatted("")));
    InputRead read =
        new IacInputs(Map.of(), "eu-west-1", "111122223333")
            .read("keys.json", template, "eu-west-1");
    return ((InputRead.Read) read).resources();
  }

  private static KeyEvaluation evaluationOf(IacReport report, String name) {
    return report.checked().stream()
        .filter(c -> c.resource().name().equals(name))
        .map(c -> ((IacReport.Outcome.Judged) c.outcome()).evaluation())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void check_replicasWithTheSamePolicies_areDecidedOnce() {
    IacReport report =
        new IacCheck(new KeyDecider(), Baseline.DEFAULT, PrimarySource.NONE)
            .check(List.of("keys.json"), resources());

    KeyEvaluation a = evaluationOf(report, "A");
    assertEquals(Compliance.NON_COMPLIANT, a.compliance());
    assertSame(a, evaluationOf(report, "B"));
    KeyEvaluation c = evaluationOf(report, "C");
    assertNotSame(a, c);
    assertEquals(Compliance.COMPLIANT, c.compliance());
  }
}
