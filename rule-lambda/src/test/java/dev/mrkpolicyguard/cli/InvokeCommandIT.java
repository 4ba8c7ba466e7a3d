package dev.mrkpolicyguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.localaws.fault.FaultRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/** {@code invoke} runs the handler on the sample events against the local stand-in. */
class InvokeCommandIT {
  private static final String EVENTS = "../examples/events/";

  private final LocalAwsServer server =
      LocalAwsServer.builder()
          .configRule("mrk-policy-guard", "example-result-token")
          .build()
          .start();

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

  @AfterEach
  void stop() {
    server.stop();
  }

  private CommandRun invoke(String event) {
    return CommandRun.main(
        "invoke",
        "--event",
        EVENTS + event,
        "--endpoint-url",
        server.endpoint().toString(),
        "--region",
        "eu-west-1");
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

  @Test
  void invoke_scheduledSample_printsEachPostedEvaluation() throws IOException {
    String primary = kms("us-east-1").createKey(r -> r.multiRegion(true)).keyMetadata().arn();
    String replica =
        kms("us-east-1")
            .replicateKey(r -> r.keyId(primary).replicaRegion("eu-west-1"))
            .replicaKeyMetadata()
            .keyId();

    CommandRun result = invoke("scheduled-notification.json");

    assertEquals(0, result.exit(), result.err());
    JsonNode posted = new ObjectMapper().readTree(result.out());
    assertEquals(1, posted.size());
    assertEquals(replica, posted.at("/0/ComplianceResourceId").asText());
    assertEquals("COMPLIANT", posted.at("/0/ComplianceType").asText());
    assertEquals("2026-11-28T12:00:00Z", posted.at("/0/OrderingTimestamp").asText());
    assertTrue(posted.at("/0/Annotation").isTextual());
    assertTrue(result.err().contains("\"_aws\""), result.err());
  }

  @Test
  void invoke_stdoutFull_exitsTwoSayingTheOutputIsIncomplete() {
    CommandRun result =
        CommandRun.withFullStdout(
            Main::run,
            "invoke",
            "--event",
            EVENTS + "configuration-item-deleted.json",
            "--endpoint-url",
            server.endpoint().toString(),
            "--region",
            "eu-west-1");

    assertEquals(2, result.exit(), result.err());
    assertTrue(result.err().endsWith(CommandRun.STDOUT_FAILED), result.err());
  }

  @Test
  void invoke_scheduledRunWithAKeyPolicyUnreadable_exitsFourCountingTheKeysNotEvaluated()
      throws IOException {
    String primary = kms("us-east-1").createKey(r -> r.multiRegion(true)).keyMetadata().arn();
    List<String> replicas = new ArrayList<>();
    for (String region : List.of("eu-west-1", "eu-west-1", "eu-west-1")) {
      String other =
          replicas.isEmpty()
              ? primary
              : kms("us-east-1").createKey(r -> r.multiRegion(true)).keyMetadata().arn();
      replicas.add(
          kms("us-east-1")
              .replicateKey(r -> r.keyId(other).replicaRegion(region))
              .replicaKeyMetadata()
              .arn());
    }
    String failing = replicas.get(1);
    server.faults().add(FaultRule.errorFor("kms", "GetKeyPolicy", failing, "KMSInternalException"));

    CommandRun result = invoke("scheduled-notification.json");

    assertEquals(4, result.exit(), result.err());
    JsonNode posted = new ObjectMapper().readTree(result.out());
    assertEquals(2, posted.size());
    List<String> lines = result.err().lines().filter(l -> !l.startsWith("{")).toList();
    assertEquals(
        List.of(
            "not evaluated: "
                + failing
                + ": kms:GetKeyPolicy still failed after retries (KMSInternalException): Injected"
                + " fault: KMSInternalException for "
                + failing,
            "error: 1 of 3 keys could not be evaluated (listed above); AWS Config keeps their"
                + " previous evaluations"),
        lines.stream().map(l -> l.replaceAll(" \\(Service: Kms.*\\)$", "")).toList());
  }

  @Test
  void invoke_scheduledListKeysDenied_exitsOneWithOneLineSayingTheCallFailed() {
    server.faults().add(FaultRule.errorFor("kms", "ListKeys", null, "AccessDeniedException"));

    CommandRun result = invoke("scheduled-notification.json");

    assertEquals(1, result.exit(), result.err());
    List<String> lines = result.err().lines().filter(l -> !l.startsWith("{")).toList();
    assertEquals(1, lines.size(), result.err());
    assertTrue(
        lines
            .get(0)
            .matches(
                "error: the invocation failed calling AWS: Injected fault: AccessDeniedException"
                    + " for null \\(Service: Kms, Status Code: 400, Request ID: [^)]+\\)"
                    + " \\(SDK Attempt Count: 1\\)"),
        lines.get(0));
  }

  @Test
  void invoke_changeForAKeyThrottledBeyondRetries_exitsOneWithOneLineNamingTheCall()
      throws IOException {
    String primary = kms("us-east-1").createKey(r -> r.multiRegion(true)).keyMetadata().arn();
    String replica =
        kms("us-east-1")
            .replicateKey(r -> r.keyId(primary).replicaRegion("eu-west-1"))
            .replicaKeyMetadata()
            .arn();
    String keyId = replica.substring(replica.lastIndexOf('/') + 1);
    String account = replica.split(":")[4];
    server.faults().add(FaultRule.errorFor("kms", "DescribeKey", keyId, "ThrottlingException"));
    Path event = dir.resolve("change.json");
    Files.writeString(
        event,
        new ObjectMapper()
            .createObjectNode()
            .put("resultToken", "token")
            .put("accountId", account)
            .put(
                "invokingEvent",
                "{\"messageType\":\"ConfigurationItemChangeNotification\",\"configurationItem\":"
                    + "{\"resourceType\":\"AWS::KMS::Key\",\"resourceId\":\""
                    + keyId
                    + "\",\"ARN\":\""
                    + replica
                    + "\",\"awsRegion\":\"eu-west-1\",\"awsAccountId\":\""
                    + account
                    + "\",\"configurationItemStatus\":\"OK\","
                    + "\"configurationItemCaptureTime\":\"2026-11-28T12:00:00.000Z\"}}")
            .toString());

    CommandRun result =
        CommandRun.main(
            "invoke",
            "--event",
            event.toString(),
            "--region",
            "eu-west-1",
            "--endpoint-url",
            server.endpoint().toString());

    assertEquals(1, result.exit(), result.err());
    List<String> lines = result.err().lines().filter(l -> !l.startsWith("{")).toList();
    assertEquals(1, lines.size(), result.err());
    assertTrue(
        lines
            .get(0)
            .startsWith(
                "error: the invocation failed calling AWS: key "
                    + replica
                    + " not evaluated: kms:DescribeKey still failed after retries"
                    + " (ThrottlingException)"),
        lines.get(0));
  }

  @Test
  void invoke_putEvaluationsAnsweredAfterItsAttemptTimeout_exitsFourNamingTheUnconfirmedKey()
      throws IOException {
    String primary = kms("us-east-1").createKey(r -> r.multiRegion(true)).keyMetadata().arn();
    String replica =
        kms("us-east-1")
            .replicateKey(r -> r.keyId(primary).replicaRegion("eu-west-1"))
            .replicaKeyMetadata()
            .keyId();
    // Config stores the batch and answers after the rule's 10 s PutEvaluations attempt timeout.
    server
        .faults()
        .add(
            FaultRule.latency("config", "PutEvaluations", Duration.ofSeconds(12)).afterOperation());

    CommandRun result = invoke("scheduled-notification.json");

    assertEquals(4, result.exit(), result.err());
    assertEquals(0, new ObjectMapper().readTree(result.out()).size(), result.out());
    assertTrue(
        result
            .err()
            .contains(
                "error: PutEvaluations timed out for 1 keys (not sent again; AWS Config may have"
                    + " stored them): "
                    + replica
                    + "\n"),
        result.err());
    assertEquals(1, server.calls().count("config", "PutEvaluations", "eu-west-1"));
  }

  @Test
  void invoke_deletedItemSample_printsNotApplicable() throws IOException {
    CommandRun result = invoke("configuration-item-deleted.json");

    assertEquals(0, result.exit(), result.err());
    JsonNode posted = new ObjectMapper().readTree(result.out());
    assertEquals(
        "mrk-1234abcd12ab34cd56ef1234567890ab", posted.at("/0/ComplianceResourceId").asText());
    assertEquals("NOT_APPLICABLE", posted.at("/0/ComplianceType").asText());
  }

  @Test
  void invoke_baselineSampleWithoutTheParameter_exitsTwoNamingIt() {
    CommandRun result = invoke("scheduled-notification-with-baseline.json");

    assertEquals(2, result.exit());
    assertTrue(result.err().contains("'/mrk-policy-guard/baseline'"), result.err());
    assertFalse(result.err().contains("\tat "), result.err());
  }

  @Test
  void invoke_eventNotJson_exitsTwo() throws IOException {
    Path event = dir.resolve("event.json");
    Files.writeString(event, "not json");

    CommandRun result =
        CommandRun.main("invoke", "--event", event.toString(), "--region", "eu-west-1");

    assertEquals(2, result.exit());
    assertTrue(result.err().contains("is not JSON"), result.err());
  }

  @Test
  void invoke_eventHoldingNull_exitsTwoSayingWhatItHolds() throws IOException {
    Path event = dir.resolve("event.json");
    Files.writeString(event, "null\n");

    CommandRun result =
        CommandRun.main("invoke", "--event", event.toString(), "--region", "eu-west-1");

    assertEquals(2, result.exit());
    assertEquals(
        "error: --event '"
            + event
            + "' is not an AWS Config rule event (a JSON object): it holds"
            + " JSON null\n",
        result.err());
  }

  @Test
  void invoke_captureTimeNotATime_exitsTwoNamingTheField() throws IOException {
    Path event = dir.resolve("event.json");
    Files.writeString(
        event,
        new ObjectMapper()
            .createObjectNode()
            .put("resultToken", "token")
            .put(
                "invokingEvent",
                "{\"messageType\":\"ConfigurationItemChangeNotification\",\"configurationItem\":"
                    + "{\"resourceType\":\"AWS::KMS::Key\",\"resourceId\":\"k\","
                    + "\"configurationItemCaptureTime\":\"yesterday\"}}")
            .toString());

    CommandRun result =
        CommandRun.main(
            "invoke",
            "--event",
            event.toString(),
            "--region",
            "eu-west-1",
            "--endpoint-url",
            server.endpoint().toString());

    assertEquals(2, result.exit());
    assertTrue(
        result
            .err()
            .endsWith(
                "error: configurationItem's configurationItemCaptureTime 'yesterday' is not an"
                    + " ISO-8601 time with an offset (e.g. 2026-11-28T12:00:00.000Z)\n"),
        result.err());
    assertFalse(result.err().contains("Exception"), result.err());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "invoke                                         | missing required option --event",
        "invoke --event nope.json --region eu-west-1    | no such file 'nope.json'",
        "invoke --event ../examples/events/scheduled-notification.json --region Ireland | is not a Region name",
        "invoke --event ../examples/events/scheduled-notification.json --region eu-west-1 --endpoint-url localhost | is not an http(s)://HOST[:PORT] URL",
        "invoke --event ../examples/events/scheduled-notification.json --verbose | unknown option --verbose",
        "invoke --event /dev/zero --region eu-west-1 | --event: cannot read '/dev/zero': not a regular file (a device, FIFO or socket); give an AWS Config event file"
      })
  void invoke_badUsage_exitsTwoWithAClearMessage(String args, String message) {
    CommandRun result = CommandRun.main(args.trim().split("\\s+"));

    assertEquals(2, result.exit());
    assertTrue(result.err().contains(message), result.err());
  }
}
