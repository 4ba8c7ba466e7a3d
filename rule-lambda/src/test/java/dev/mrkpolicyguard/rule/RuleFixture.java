package dev.mrkpolicyguard.rule;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.localaws.config.StoredEvaluation;
import dev.mrkpolicyguard.localaws.kms.PermissiveLockoutCheck;
import dev.mrkpolicyguard.startup.StandInContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.ssm.SsmClient;

/** A local AWS stand-in with a registered rule, key helpers, and a handler pointed at it. */
final class RuleFixture implements AutoCloseable {
  static final String ACCOUNT = "111122223333";
  static final String RULE = "mrk-policy-guard";
  static final String TOKEN = "result-token-1";
  static final String HOME = "eu-west-1";
  static final String ACCESS_KEY = "AKIDEXAMPLE";
  static final ObjectMapper JSON = new ObjectMapper();

  // The lockout check is not under test here; the permissive one keeps creating 250 keys quick.
  final LocalAwsServer server =
      LocalAwsServer.builder().lockoutCheck(PermissiveLockoutCheck.INSTANCE).build().start();
  private final Map<String, KmsClient> kmsClients = new ConcurrentHashMap<>();
  final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

  RuleFixture() {
    server.config().registerRuleEverywhere(RULE, TOKEN);
  }

  @Override
  public void close() {
    server.stop();
  }

  static String defaultPolicy(String account) {
    return "{\"Version\":\"2012-10-17\",\"Id\":\"key-default-1\",\"Statement\":[{\"Sid\":\"Enable IAM"
        + " User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
        + account
        + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
  }

  /** The default policy plus kms:Decrypt for a partner account. */
  static String partnerDecryptPolicy(String account) {
    return defaultPolicy(account).replace("]}", "")
        + ",{\"Sid\":\"Partner\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
        + "\"arn:aws:iam::444455556666:root\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}";
  }

  KmsClient kms(String region) {
    return kms(region, ACCESS_KEY);
  }

  KmsClient kms(String region, String accessKey) {
    return kmsClients.computeIfAbsent(region + "|" + accessKey, k -> newKms(region, accessKey));
  }

  private KmsClient newKms(String region, String accessKey) {
    return KmsClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.of(region))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "x")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  SsmClient ssm(String region) {
    return SsmClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.of(region))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, "x")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** A multi-Region primary with the default policy; returns its metadata. */
  KeyMetadata primary(String region) {
    return kms(region).createKey(r -> r.multiRegion(true)).keyMetadata();
  }

  /** A replica of {@code primaryArn} in {@code region} with {@code policy}. */
  KeyMetadata replica(String primaryArn, String region, String policy) {
    String primaryRegion = primaryArn.split(":")[3];
    return kms(primaryRegion)
        .replicateKey(r -> r.keyId(primaryArn).replicaRegion(region).policy(policy))
        .replicaKeyMetadata();
  }

  KeyMetadata singleRegion(String region) {
    return kms(region).createKey(r -> r.description("single")).keyMetadata();
  }

  /** A handler with fast retries (so injected faults do not slow tests), 8 keys at once. */
  ConfigRuleHandler handler() {
    return handler(new RuleSettings(HOME, 8, 100, Clock.systemUTC()));
  }

  ConfigRuleHandler handler(RuleSettings settings) {
    return handler(
        settings,
        () ->
            AwsRetryStrategy.adaptiveRetryStrategy().toBuilder()
                .maxAttempts(12)
                .backoffStrategy(
                    BackoffStrategy.exponentialDelay(Duration.ofMillis(2), Duration.ofMillis(50)))
                .throttlingBackoffStrategy(
                    BackoffStrategy.exponentialDelay(Duration.ofMillis(5), Duration.ofMillis(100)))
                .build());
  }

  /**
   * A handler in {@code region} whose calls give up after three attempts with millisecond backoffs:
   * the standard strategy, as the adaptive one's client-side rate limiting makes a test of
   * persistent throttling slow, not different.
   */
  ConfigRuleHandler fewRetriesHandler(String region) {
    return handler(
        new RuleSettings(region, 8, 100, Clock.systemUTC()),
        () ->
            AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(3)
                .backoffStrategy(
                    BackoffStrategy.exponentialDelay(Duration.ofMillis(2), Duration.ofMillis(20)))
                .throttlingBackoffStrategy(
                    BackoffStrategy.exponentialDelay(Duration.ofMillis(2), Duration.ofMillis(20)))
                .build());
  }

  ConfigRuleHandler handler(RuleSettings settings, Supplier<RetryStrategy> retries) {
    SdkClientFactory clients =
        new SdkClientFactory(
            settings.region(),
            server.endpoint(),
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, "x")),
            retries);
    return new ConfigRuleHandler(clients, settings, log);
  }

  /** Runs {@code handler} on {@code event} as Lambda would; returns the posted evaluations. */
  JsonNode invoke(ConfigRuleHandler handler, ObjectNode event) {
    return invokeForResult(handler, event).get("posted");
  }

  /** Runs {@code handler} on {@code event} as Lambda would; returns its whole answer. */
  JsonNode invokeForResult(ConfigRuleHandler handler, ObjectNode event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      handler.handleRequest(
          new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, context("req-1"));
      return JSON.readTree(out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JsonNode invoke(ObjectNode event) {
    return invoke(handler(), event);
  }

  List<StoredEvaluation> stored() {
    return server.config().evaluations(ACCOUNT, HOME);
  }

  /** Stored evaluations per resource id, in arrival order. */
  Map<String, List<StoredEvaluation>> storedByResource(String account, String region) {
    Map<String, List<StoredEvaluation>> out = new TreeMap<>();
    for (StoredEvaluation e : server.config().evaluations(account, region)) {
      out.computeIfAbsent(e.resourceId(), k -> new ArrayList<>()).add(e);
    }
    return out;
  }

  /** Parsed JSON log lines written so far. */
  List<JsonNode> logLines() {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : logBytes.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        try {
          lines.add(JSON.readTree(line));
        } catch (IOException e) {
          throw new UncheckedIOException("log line is not JSON: " + line, e);
        }
      }
    }
    return lines;
  }

  /** The Embedded Metric Format line of the last invocation. */
  JsonNode lastMetrics() {
    List<JsonNode> metrics = logLines().stream().filter(l -> l.has("_aws")).toList();
    return metrics.get(metrics.size() - 1);
  }

  static Context context(String requestId) {
    return new StandInContext(
        requestId,
        "/aws/lambda/test",
        "test",
        "arn:aws:lambda:eu-west-1:111122223333:function:test",
        512,
        () -> 300_000,
        line -> {});
  }

  // ---- events (shapes from the Config developer guide's example events) ----

  static ObjectNode event(ObjectNode invoking, String ruleParameters, String account) {
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "1.0");
    event.put("invokingEvent", invoking.toString());
    event.put("ruleParameters", ruleParameters);
    event.put("resultToken", TOKEN);
    event.put("eventLeftScope", false);
    event.put(
        "executionRoleArn",
        "arn:aws:iam::"
            + account
            + ":role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig");
    event.put(
        "configRuleArn", "arn:aws:config:" + HOME + ":" + account + ":config-rule/config-rule-abc");
    event.put("configRuleName", RULE);
    event.put("configRuleId", "config-rule-abc");
    event.put("accountId", account);
    event.put("evaluationMode", "DETECTIVE");
    return event;
  }

  static ObjectNode scheduled(String ruleParameters) {
    return scheduled(ruleParameters, ACCOUNT);
  }

  static ObjectNode scheduled(String ruleParameters, String account) {
    ObjectNode invoking = JSON.createObjectNode();
    invoking.put("awsAccountId", account);
    invoking.put("notificationCreationTime", "2026-11-28T12:00:00.000Z");
    invoking.put("messageType", "ScheduledNotification");
    invoking.put("recordVersion", "1.0");
    return event(invoking, ruleParameters, account);
  }

  static ObjectNode configurationItem(KeyMetadata key, String status, Instant captured) {
    ObjectNode item = JSON.createObjectNode();
    item.put("configurationItemVersion", "1.3");
    item.put("configurationItemCaptureTime", captured.toString());
    item.put("configurationStateId", 1);
    item.put("awsAccountId", key.awsAccountId());
    item.put("configurationItemStatus", status);
    item.put("resourceType", "AWS::KMS::Key");
    item.put("resourceId", key.keyId());
    item.put("ARN", key.arn());
    item.put("awsRegion", key.arn().split(":")[3]);
    item.putObject("configuration").put("keyId", key.keyId()).put("multiRegion", true);
    item.putObject("supplementaryConfiguration").put("Policy", "{}");
    return item;
  }

  static ObjectNode change(ObjectNode item) {
    ObjectNode invoking = JSON.createObjectNode();
    invoking.set("configurationItem", item);
    invoking.putNull("configurationItemDiff");
    invoking.put("notificationCreationTime", "2026-11-28T12:00:05.000Z");
    invoking.put("messageType", "ConfigurationItemChangeNotification");
    invoking.put("recordVersion", "1.3");
    return event(invoking, "{}", item.get("awsAccountId").asText());
  }

  /** The key the sample events in examples/events name. */
  static final String EXAMPLE_KEY_ID = "mrk-1234abcd12ab34cd56ef1234567890ab";

  /**
   * The sample event {@code examples/events/<file>} as Config sends it, naming {@code key} (an
   * eu-west-1 key of {@link #ACCOUNT}) instead of the sample's key, with this fixture's token.
   */
  static ObjectNode exampleEvent(String file, KeyMetadata key) {
    try {
      ObjectNode event = (ObjectNode) JSON.readTree(Path.of("../examples/events", file).toFile());
      event.put(
          "invokingEvent",
          event.get("invokingEvent").asText().replace(EXAMPLE_KEY_ID, key.keyId()));
      event.put("resultToken", TOKEN);
      return event;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The configuration item (or summary) of {@code event}, to change; see {@link #withItem}. */
  static ObjectNode itemOf(ObjectNode event) {
    try {
      JsonNode invoking = JSON.readTree(event.get("invokingEvent").asText());
      JsonNode item = invoking.get("configurationItem");
      return (ObjectNode) (item != null ? item : invoking.get("configurationItemSummary"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code event} with its configuration item (or summary) replaced by {@code item}. */
  static ObjectNode withItem(ObjectNode event, ObjectNode item) {
    try {
      ObjectNode invoking = (ObjectNode) JSON.readTree(event.get("invokingEvent").asText());
      invoking.set(
          invoking.has("configurationItem") ? "configurationItem" : "configurationItemSummary",
          item);
      event.put("invokingEvent", invoking.toString());
      return event;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode oversized(ObjectNode summary) {
    ObjectNode invoking = JSON.createObjectNode();
    invoking.set("configurationItemSummary", summary);
    invoking.put("notificationCreationTime", "2026-11-28T12:00:05.000Z");
    invoking.put("messageType", "OversizedConfigurationItemChangeNotification");
    invoking.put("recordVersion", "1.0");
    return event(invoking, "{}", summary.get("awsAccountId").asText());
  }
}
