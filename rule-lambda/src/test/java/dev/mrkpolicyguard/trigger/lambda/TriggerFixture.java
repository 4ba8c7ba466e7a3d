package dev.mrkpolicyguard.trigger.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.deploy.EventPattern;
import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.localaws.config.StoredEvaluation;
import dev.mrkpolicyguard.localaws.kms.PermissiveLockoutCheck;
import dev.mrkpolicyguard.rule.ConfigRuleHandler;
import dev.mrkpolicyguard.rule.RuleSettings;
import dev.mrkpolicyguard.startup.StandInContext;
import dev.mrkpolicyguard.trigger.TestClock;
import dev.mrkpolicyguard.trigger.TriggerSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The stand-in with the rule deployed by a conformance pack in every Region, the trigger deployed
 * in {@link #HOME} with its queue, and the three AWS parts the tests play: EventBridge (the stack's
 * pattern over the events CloudTrail delivers, into the queue), Lambda's event source mapping
 * (batches of up to 100 messages, partial failures left in the queue) and Config running the rule
 * in a Region.
 */
final class TriggerFixture implements AutoCloseable {
  static final String ACCOUNT = "111122223333";
  static final String HOME = "us-east-1";
  static final String RULE = TriggerSettings.DEFAULT_RULE_NAME + "-conformance-pack-abc123xyz";
  static final String TOKEN = "pack-token";
  static final ObjectMapper JSON = new ObjectMapper();
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x"));

  final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
  final LocalAwsServer server =
      LocalAwsServer.builder()
          .clock(clock)
          .lockoutCheck(PermissiveLockoutCheck.INSTANCE)
          .build()
          .start();
  final SdkClientFactory clients = clients(HOME);
  final SqsClient sqs = clients.sqs(HOME, CREDENTIALS);
  final String queueUrl;
  final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  final TriggerHandler trigger;

  TriggerFixture() {
    server.config().registerRuleEverywhere(RULE, TOKEN);
    server.config().registerRuleEverywhere("some-other-rule", "other-token");
    queueUrl = sqs.createQueue(r -> r.queueName("mrk-policy-guard-trigger")).queueUrl();
    trigger =
        new TriggerHandler(
            clients,
            queueUrl,
            TriggerSettings.defaults(TriggerSettings.DEFAULT_RULE_NAME),
            clock,
            new PrintStream(logBytes, true, StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.stop();
  }

  SdkClientFactory clients(String region) {
    return new SdkClientFactory(
        region,
        server.endpoint(),
        CREDENTIALS,
        () ->
            AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(3)
                .backoffStrategy(
                    BackoffStrategy.exponentialDelay(Duration.ofMillis(2), Duration.ofMillis(20)))
                .throttlingBackoffStrategy(
                    BackoffStrategy.exponentialDelay(Duration.ofMillis(2), Duration.ofMillis(20)))
                .build());
  }

  KmsClient kms(String region) {
    return KmsClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.of(region))
        .credentialsProvider(CREDENTIALS)
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  static String policy(String... extraAccounts) {
    StringBuilder statements =
        new StringBuilder(
            "{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::"
                + ACCOUNT
                + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}");
    for (String account : extraAccounts) {
      statements.append(
          ",{\"Sid\":\"Partner"
              + account
              + "\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
              + account
              + ":root\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}");
    }
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}";
  }

  /** EventBridge: the events CloudTrail put on {@code region}'s bus that the rule matches. */
  int deliverEvents(String region) {
    EventPattern pattern = EventPattern.ofStack(ACCOUNT, region);
    int delivered = 0;
    for (JsonNode event : server.events().drain(ACCOUNT, region)) {
      if (pattern.matches(event)) {
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(event.toString()));
        delivered++;
      }
    }
    return delivered;
  }

  /**
   * Lambda's event source mapping: takes every visible message, in batches of up to 100, invokes
   * the trigger and deletes what it did not report as failed. Returns the failed message IDs.
   */
  List<String> pollQueue() {
    List<String> failed = new ArrayList<>();
    while (true) {
      List<Message> batch = new ArrayList<>();
      List<Message> page;
      do {
        page =
            sqs.receiveMessage(
                    r ->
                        r.queueUrl(queueUrl)
                            .maxNumberOfMessages(10)
                            .visibilityTimeout(360)
                            .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                .messages();
        batch.addAll(page);
      } while (!page.isEmpty() && batch.size() < 100);
      if (batch.isEmpty()) {
        return failed;
      }
      List<String> batchFailures = invoke(batch);
      failed.addAll(batchFailures);
      for (Message m : batch) {
        if (!batchFailures.contains(m.messageId())) {
          sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
        }
      }
    }
  }

  private List<String> invoke(List<Message> batch) {
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (Message m : batch) {
      ObjectNode record = records.addObject();
      record.put("messageId", m.messageId());
      record.put("receiptHandle", m.receiptHandle());
      record.put("body", m.body());
      ObjectNode attributes = record.putObject("attributes");
      m.attributesAsStrings().forEach(attributes::put);
      record.putObject("messageAttributes");
      record.put("md5OfBody", m.md5OfBody());
      record.put("eventSource", "aws:sqs");
      record.put(
          "eventSourceARN", "arn:aws:sqs:" + HOME + ":" + ACCOUNT + ":mrk-policy-guard-trigger");
      record.put("awsRegion", HOME);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      trigger.handleRequest(
          new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, StandInContext.local());
      List<String> ids = new ArrayList<>();
      JSON.readTree(out.toByteArray())
          .path("batchItemFailures")
          .forEach(f -> ids.add(f.path("itemIdentifier").asText()));
      return ids;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Config runs the rule in {@code region}, as it does for a started evaluation. */
  void runRule(String region) {
    ConfigRuleHandler handler =
        new ConfigRuleHandler(
            clients(region),
            new RuleSettings(region, 4, 100, clock),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    ObjectNode invoking = JSON.createObjectNode();
    invoking.put("awsAccountId", ACCOUNT);
    invoking.put("notificationCreationTime", clock.instant().toString());
    invoking.put("messageType", "ScheduledNotification");
    invoking.put("recordVersion", "1.0");
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "1.0");
    event.put("invokingEvent", invoking.toString());
    event.put("ruleParameters", "{}");
    event.put("resultToken", TOKEN);
    event.put("eventLeftScope", false);
    event.put(
        "configRuleArn",
        "arn:aws:config:" + region + ":" + ACCOUNT + ":config-rule/config-rule-abc123");
    event.put("configRuleName", RULE);
    event.put("configRuleId", "config-rule-abc123");
    event.put("accountId", ACCOUNT);
    event.put("evaluationMode", "DETECTIVE");
    try {
      handler.handleRequest(
          new ByteArrayInputStream(JSON.writeValueAsBytes(event)),
          new ByteArrayOutputStream(),
          StandInContext.local());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The compliance Config records now for {@code keyId} in {@code region}. */
  String compliance(String region, String keyId) {
    String latest = null;
    Instant at = Instant.MIN;
    for (StoredEvaluation e : server.config().evaluations(ACCOUNT, region)) {
      if (e.resourceId().equals(keyId) && !e.orderingTimestamp().isBefore(at)) {
        latest = e.complianceType();
        at = e.orderingTimestamp();
      }
    }
    return latest;
  }

  /** The rule starts Config accepted in {@code region}. */
  int starts(String region) {
    return server.config().startedEvaluations(ACCOUNT, region).size();
  }

  /** The StartConfigRulesEvaluation calls made in {@code region}, accepted or not. */
  long startCalls(String region) {
    return server.calls().count("config", "StartConfigRulesEvaluation", region);
  }

  /** Messages in the trigger's queue (delayed, in flight or visible). */
  int queued() {
    return server.sqs().messages(ACCOUNT, HOME, "mrk-policy-guard-trigger").size();
  }

  /** The trigger's log lines so far, as JSON. */
  List<JsonNode> log() {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : logBytes.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        try {
          lines.add(JSON.readTree(line));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return lines;
  }

  /** The metrics line of the trigger's last invocation. */
  JsonNode lastMetrics() {
    List<JsonNode> metrics = log().stream().filter(l -> l.has("_aws")).toList();
    return metrics.get(metrics.size() - 1);
  }
}
