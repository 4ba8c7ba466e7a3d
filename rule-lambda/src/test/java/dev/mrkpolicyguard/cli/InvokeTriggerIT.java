package dev.mrkpolicyguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.localaws.fault.FaultRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code invoke --handler trigger} on the sample CloudTrail events against the stand-in. */
class InvokeTriggerIT {
  private static final String EVENTS = "../examples/events/";
  private static final String SAMPLE_KEY = "mrk-1234abcd12ab34cd56ef1234567890ab";
  private static final String RULE = "mrk-replica-key-policy-conformance-pack-abc123xyz";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final LocalAwsServer server =
      LocalAwsServer.builder().configRule(RULE, "token").build().start();
  private String keyId;

  @TempDir Path dir;

  @BeforeAll
  static void credentials() {
    System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
    System.setProperty("aws.secretAccessKey", "x");
  }

  @AfterAll
  static void forgetCredentials() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  @BeforeEach
  void keyWithReplicas() {
    KmsClient east = kms("us-east-1");
    keyId = east.createKey(r -> r.multiRegion(true)).keyMetadata().keyId();
    east.replicateKey(r -> r.keyId(keyId).replicaRegion("eu-west-1"));
    east.replicateKey(r -> r.keyId(keyId).replicaRegion("ap-southeast-2"));
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private KmsClient kms(String region) {
    return KmsClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.of(region))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** The sample event, about the key this test created. */
  private String sample(String name) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, Files.readString(Path.of(EVENTS + name)).replace(SAMPLE_KEY, keyId));
    return file.toString();
  }

  private CommandRun invoke(String file, String... more) {
    String[] args =
        new String[] {
          "invoke",
          "--handler",
          "trigger",
          "--event",
          file,
          "--endpoint-url",
          server.endpoint().toString(),
          "--region",
          "us-east-1"
        };
    String[] all = new String[args.length + more.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return CommandRun.main(all);
  }

  @Test
  void invoke_putKeyPolicySample_printsTheStartInEveryReplicaRegion() throws IOException {
    CommandRun result = invoke(sample("cloudtrail-put-key-policy.json"));

    assertEquals(0, result.exit(), result.err());
    JsonNode report = MAPPER.readTree(result.out());
    assertEquals("eu-west-1", report.at("/started/0/region").asText());
    assertEquals(RULE, report.at("/started/0/configRuleName").asText());
    assertEquals("ap-southeast-2", report.at("/started/1/region").asText());
    assertEquals(2, report.at("/events/0/regions").size());
    assertTrue(result.err().contains("\"_aws\""), result.err());
  }

  @Test
  void invoke_startRefusedWithAQueue_theDeferralIsSentThere() throws IOException {
    SqsClient sqs =
        SqsClient.builder()
            .endpointOverride(server.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    String queue = sqs.createQueue(r -> r.queueName("trigger")).queueUrl();
    server
        .faults()
        .add(
            FaultRule.parse(
                "config:StartConfigRulesEvaluation:error=LimitExceededException,region=eu-west-1"));

    CommandRun result = invoke(sample("cloudtrail-put-key-policy.json"), "--queue-url", queue);

    assertEquals(0, result.exit(), result.err());
    JsonNode report = MAPPER.readTree(result.out());
    assertEquals("eu-west-1", report.at("/deferred/0/region").asText());
    assertEquals("LimitExceededException", report.at("/deferred/0/reason").asText());
    assertEquals(62, report.at("/deferred/0/delaySeconds").asInt());
    assertEquals(1, server.sqs().messages("111122223333", "us-east-1", "trigger").size());
  }

  @Test
  void invoke_startRefusedWithoutAQueue_reportedAndNoted() throws IOException {
    server
        .faults()
        .add(
            FaultRule.parse(
                "config:StartConfigRulesEvaluation:error=LimitExceededException,region=eu-west-1"));

    CommandRun result = invoke(sample("cloudtrail-put-key-policy.json"));

    assertEquals(0, result.exit(), result.err());
    assertTrue(result.err().contains("not queued (no --queue-url)"), result.err());
  }

  @Test
  void invoke_keyUnknownToKms_exitsFourListingTheFailure() throws IOException {
    CommandRun result = invoke(EVENTS + "cloudtrail-put-key-policy.json");

    assertEquals(4, result.exit(), result.err());
    assertTrue(result.err().contains("NotFoundException"), result.err());
  }

  @Test
  void invoke_scheduleKeyDeletionSample_startsNothing() throws IOException {
    CommandRun result = invoke(sample("cloudtrail-schedule-key-deletion.json"));

    assertEquals(0, result.exit(), result.err());
    JsonNode report = MAPPER.readTree(result.out());
    assertEquals(0, report.path("started").size());
    assertEquals(0, report.at("/events/0/regions").size());
  }

  @Test
  void invoke_configRuleEventToTheTrigger_exitsTwo() {
    CommandRun result = invoke(EVENTS + "scheduled-notification.json");

    assertEquals(2, result.exit(), result.err());
    assertTrue(result.err().contains("neither an EventBridge event"), result.err());
  }

  @Test
  void invoke_unknownHandlerOrQueueForTheRule_exitsTwo() {
    CommandRun unknown =
        CommandRun.main(
            "invoke",
            "--handler",
            "nonsense",
            "--event",
            EVENTS + "scheduled-notification.json",
            "--region",
            "eu-west-1");
    CommandRun queue =
        CommandRun.main(
            "invoke",
            "--queue-url",
            "https://sqs.eu-west-1.amazonaws.com/1/q",
            "--event",
            EVENTS + "scheduled-notification.json",
            "--region",
            "eu-west-1");

    assertEquals(2, unknown.exit(), unknown.err());
    assertEquals(2, queue.exit(), queue.err());
  }
}
