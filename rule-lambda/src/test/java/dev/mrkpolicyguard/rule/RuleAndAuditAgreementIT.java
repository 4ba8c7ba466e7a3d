package dev.mrkpolicyguard.rule;

import static dev.mrkpolicyguard.rule.RuleFixture.ACCOUNT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mrkpolicyguard.audit.AuditCommand;
import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.cli.CommandRun;
import dev.mrkpolicyguard.localaws.config.StoredEvaluation;
import dev.mrkpolicyguard.localaws.fault.FaultRule;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * The Config rule (a periodic run in each Region) and {@code audit --regions} over one fleet with
 * injected faults reach the same verdict for every key: one error policy, one decision.
 */
class RuleAndAuditAgreementIT {
  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "us-west-2");
  private static final String NOT_EVALUATED = "NOT_EVALUATED";

  private final RuleFixture fixture = new RuleFixture();

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void ruleAndLiveAudit_faultedFleet_sameVerdictAndFirstFindingForEveryKey() throws IOException {
    // In step and drifted replicas of a readable primary.
    KeyMetadata payments = fixture.primary("us-east-1");
    fixture.replica(payments.arn(), "eu-west-1", RuleFixture.defaultPolicy(ACCOUNT));
    fixture.replica(payments.arn(), "us-west-2", RuleFixture.partnerDecryptPolicy(ACCOUNT));
    // A primary that cannot be described, whose policy can be read: its replica is judged.
    KeyMetadata orders = fixture.primary("eu-west-1");
    fixture.replica(orders.arn(), "us-east-1", RuleFixture.defaultPolicy(ACCOUNT));
    deny("DescribeKey", orders, "eu-west-1");
    // A primary whose policy cannot be read, and its replica.
    KeyMetadata analytics = fixture.primary("us-west-2");
    fixture.replica(analytics.arn(), "eu-west-1", RuleFixture.defaultPolicy(ACCOUNT));
    deny("GetKeyPolicy", analytics, "us-west-2");
    // A primary whose policy does not delegate to IAM: both reads denied.
    KeyMetadata vault = fixture.primary("eu-west-1");
    fixture.replica(vault.arn(), "us-east-1", RuleFixture.defaultPolicy(ACCOUNT));
    deny("DescribeKey", vault, "eu-west-1");
    deny("GetKeyPolicy", vault, "eu-west-1");
    // Throttled beyond retries, and a policy read failing with 503 (its replica too).
    KeyMetadata busy = fixture.primary("us-east-1");
    fixture
        .server
        .faults()
        .add(
            FaultRule.errorFor("kms", "DescribeKey", busy.keyId(), "ThrottlingException")
                .inRegion("us-east-1"));
    KeyMetadata flaky = fixture.primary("eu-west-1");
    fixture.replica(flaky.arn(), "us-west-2", RuleFixture.defaultPolicy(ACCOUNT));
    fixture.server.faults().add("kms:GetKeyPolicy:http503=1,region=eu-west-1,key=" + flaky.keyId());
    // A single-Region key that cannot be described: not applicable by its ID.
    KeyMetadata single = fixture.singleRegion("eu-west-1");
    deny("DescribeKey", single, "eu-west-1");

    Map<String, String> rule = ruleVerdicts();
    Map<String, String> audit = auditVerdicts();

    assertEquals(rule, audit);
    assertEquals(13, audit.size());
    assertEquals("NON_COMPLIANT KEY_UNREADABLE", audit.get(orders.keyId() + "@eu-west-1"));
    assertEquals("COMPLIANT -", audit.get(orders.keyId() + "@us-east-1"));
    assertEquals("NON_COMPLIANT POLICY_UNREADABLE", audit.get(analytics.keyId() + "@us-west-2"));
    assertEquals(
        "NON_COMPLIANT PRIMARY_POLICY_UNREADABLE", audit.get(analytics.keyId() + "@eu-west-1"));
    assertEquals("NON_COMPLIANT KEY_UNREADABLE", audit.get(vault.keyId() + "@eu-west-1"));
    assertEquals(
        "NON_COMPLIANT PRIMARY_POLICY_UNREADABLE", audit.get(vault.keyId() + "@us-east-1"));
    assertEquals(NOT_EVALUATED + " -", audit.get(busy.keyId() + "@us-east-1"));
    assertEquals(NOT_EVALUATED + " -", audit.get(flaky.keyId() + "@eu-west-1"));
    assertEquals(NOT_EVALUATED + " -", audit.get(flaky.keyId() + "@us-west-2"));
    assertEquals("NOT_APPLICABLE -", audit.get(single.keyId() + "@eu-west-1"));
  }

  private void deny(String operation, KeyMetadata key, String region) {
    fixture
        .server
        .faults()
        .add(
            FaultRule.errorFor("kms", operation, key.keyId(), "AccessDeniedException")
                .inRegion(region));
  }

  /**
   * A periodic run of the rule in each Region: "COMPLIANCE FIRST-CODE" per key id and Region from
   * what was posted and logged, {@code NOT_EVALUATED} for a key logged as not evaluated.
   */
  private Map<String, String> ruleVerdicts() {
    for (String region : REGIONS) {
      fixture.invoke(fixture.fewRetriesHandler(region), RuleFixture.scheduled("{}"));
    }
    Map<String, String> out = new TreeMap<>();
    for (JsonNode line : fixture.logLines()) {
      if (!line.has("keyArn")) {
        continue;
      }
      String[] arn = line.get("keyArn").asText().split(":");
      String key = arn[5].substring("key/".length()) + "@" + arn[3];
      if (line.has("evaluated") && !line.get("evaluated").asBoolean()) {
        out.put(key, NOT_EVALUATED + " -");
        continue;
      }
      JsonNode findings = line.get("findings");
      out.put(
          key,
          line.get("compliance").asText()
              + " "
              + (findings.isEmpty() ? "-" : findings.get(0).asText()));
    }
    for (String region : REGIONS) {
      for (StoredEvaluation e : fixture.server.config().evaluations(ACCOUNT, region)) {
        String key = e.resourceId() + "@" + region;
        assertEquals(out.get(key).split(" ")[0], e.complianceType(), key);
      }
    }
    return out;
  }

  /** {@code audit --regions} over the same Regions: the same shape per key id and Region. */
  private Map<String, String> auditVerdicts() throws IOException {
    CommandRun run =
        CommandRun.of(
            new AuditCommand(
                    options ->
                        new SdkClientFactory(
                            options.homeRegion(),
                            fixture.server.endpoint(),
                            StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(RuleFixture.ACCESS_KEY, "x")),
                            () ->
                                AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                    .maxAttempts(3)
                                    .backoffStrategy(
                                        BackoffStrategy.exponentialDelay(
                                            Duration.ofMillis(2), Duration.ofMillis(20)))
                                    .throttlingBackoffStrategy(
                                        BackoffStrategy.exponentialDelay(
                                            Duration.ofMillis(2), Duration.ofMillis(20)))
                                    .build()))
                ::run,
            "--regions",
            String.join(",", REGIONS),
            "--format",
            "json");
    assertEquals(4, run.exit(), run.err());
    Map<String, String> out = new TreeMap<>();
    for (JsonNode key : RuleFixture.JSON.readTree(run.out()).get("keys")) {
      JsonNode findings = key.get("findings");
      out.put(
          key.get("keyId").asText() + "@" + key.get("region").asText(),
          key.get("compliance").asText()
              + " "
              + (findings.isEmpty() ? "-" : findings.get(0).get("code").asText()));
    }
    return out;
  }
}
