package dev.mrkpolicyguard.engine.remediation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.engine.Policies;
import dev.mrkpolicyguard.engine.compare.PolicyComparator;
import dev.mrkpolicyguard.engine.compare.Verdict;
import dev.mrkpolicyguard.engine.rule.Baseline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RemediationPlannerTest {
  private final RemediationPlanner planner = new RemediationPlanner();

  private static String example(String pair, String file) throws IOException {
    return Files.readString(Path.of("..", "examples", "policies", pair, file));
  }

  private RemediationPlan plan(String replica, String primary) {
    return planner.plan(
        Policies.REPLICA_KEY, replica, Policies.PRIMARY_KEY, primary, Baseline.DEFAULT);
  }

  @Test
  void plan_alignedReplica_isNoChange() throws IOException {
    RemediationPlan p =
        plan(
            example("regional-values-only", "replica.json"),
            example("regional-values-only", "primary.json"));
    assertEquals(new RemediationPlan.NoChange(Verdict.EQUIVALENT), p);
  }

  @Test
  void plan_driftedReplica_targetsThePrimaryMappedIntoTheReplicaRegion() throws IOException {
    String primary = example("replica-stale-region", "primary.json");
    RemediationPlan.Apply apply =
        assertInstanceOf(
            RemediationPlan.Apply.class,
            plan(example("replica-stale-region", "replica.json"), primary));
    assertEquals(Verdict.REPLICA_NARROWER, apply.before().verdict());
    assertTrue(apply.targetPolicy().contains("ec2.eu-west-1.amazonaws.com"));
    assertTrue(!apply.targetPolicy().contains("us-east-1"), apply.targetPolicy());
    var after =
        new PolicyComparator()
            .compare(
                Policies.parse(primary),
                Policies.PRIMARY_KEY,
                Policies.parse(apply.targetPolicy()),
                Policies.REPLICA_KEY);
    assertEquals(Verdict.EQUIVALENT, after.verdict());
  }

  @Test
  void plan_primaryBreakingTheBaseline_isRefusedWithTheFinding() {
    String publicPolicy =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}";
    String rootOnly =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
    RemediationPlan.Refused refused =
        assertInstanceOf(RemediationPlan.Refused.class, plan(rootOnly, publicPolicy));
    assertTrue(refused.reason().contains("BASELINE_CEILING_EXCEEDED"), refused.reason());
  }

  @Test
  void plan_malformedPrimary_isRefused() {
    RemediationPlan.Refused refused =
        assertInstanceOf(RemediationPlan.Refused.class, plan("{\"Statement\":[]}", "not json"));
    assertTrue(refused.reason().contains("primary"), refused.reason());
  }

  private static final String ROOT_ONLY =
      """
      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": "111122223333"}, "Action": "kms:*", "Resource": "*"}]}""";

  @Test
  void plan_primaryUsingAUsRegionPattern_isRefusedSinceNoRewriteIsEquivalent() {
    String primary =
        """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:*",
           "Resource": "*"},
          {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/AppRole"},
           "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-*:111122223333:key/*"}]}""";
    RemediationPlan.Refused refused =
        assertInstanceOf(RemediationPlan.Refused.class, plan(ROOT_ONLY, primary));
    assertTrue(refused.reason().contains("no rewrite"), refused.reason());
    assertTrue(refused.reason().contains("REPLICA_NARROWER"), refused.reason());
  }

  @Test
  void plan_primaryAboutItsOwnRegionAndRole_isRewrittenForTheReplica() {
    String primary =
        """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:*",
           "Resource": "*"},
          {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/AppRole"},
           "Action": "kms:Decrypt", "Resource": "*",
           "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1",
                                          "kms:MultiRegionKeyType": "PRIMARY"}}}]}""";
    RemediationPlan.Apply apply =
        assertInstanceOf(RemediationPlan.Apply.class, plan(ROOT_ONLY, primary));
    assertTrue(apply.targetPolicy().contains("\"eu-west-1\""), apply.targetPolicy());
    assertTrue(apply.targetPolicy().contains("\"REPLICA\""), apply.targetPolicy());
  }
}
