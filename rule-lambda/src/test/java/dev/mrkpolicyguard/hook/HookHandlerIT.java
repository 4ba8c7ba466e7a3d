package dev.mrkpolicyguard.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.cli.CommandRun;
import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.startup.StandInContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The hook over real HTTP: a replica created in eu-west-1 is judged against its primary's live
 * policy, read in us-east-1 through the real SDK.
 */
class HookHandlerIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final LocalAwsServer server = LocalAwsServer.builder().build().start();
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

  /** A primary in us-east-1 with the sample events' primary policy; returns its ARN. */
  private String primary() {
    try (KmsClient kms =
        KmsClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(server.endpoint())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
      return kms.createKey(r -> r.multiRegion(true).policy(HookEvents.primaryPolicy()))
          .keyMetadata()
          .arn();
    }
  }

  private JsonNode handle(String file, String primaryArn, FailureMode mode) throws Exception {
    HookHandler handler =
        HookHandler.local(
            server.endpoint(), "eu-west-1", mode, "", new PrintStream(new ByteArrayOutputStream()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] event = HookEvents.text(file, primaryArn).getBytes(StandardCharsets.UTF_8);
    handler.handleRequest(new ByteArrayInputStream(event), out, StandInContext.local());
    return MAPPER.readTree(out.toByteArray());
  }

  @Test
  void handleRequest_alignedReplica_readsThePrimaryInItsRegionAndSucceeds() throws Exception {
    String arn = primary();

    JsonNode response = handle(HookEvents.CREATE, arn, FailureMode.WARN);

    assertEquals("SUCCESS", response.path("hookStatus").asText(), response.toString());
    assertEquals(
        "8b4a2f1e-3c5d-4e6f-9a0b-1c2d3e4f5a6b", response.path("clientRequestToken").asText());
    assertEquals(1, server.calls().count("kms", "GetKeyPolicy", "us-east-1"));
    assertEquals(0, server.calls().count("kms", "GetKeyPolicy", "eu-west-1"));
  }

  @Test
  void handleRequest_driftedReplica_failsNonCompliant() throws Exception {
    JsonNode response = handle(HookEvents.CREATE_DRIFTED, primary(), FailureMode.WARN);

    assertEquals("FAILED", response.path("hookStatus").asText());
    assertEquals("NonCompliant", response.path("errorCode").asText());
    assertTrue(response.path("message").asText().length() <= 4096);
  }

  @Test
  void handleRequest_primaryThatDoesNotExistInFailMode_failsWithTheReason() throws Exception {
    JsonNode response = handle(HookEvents.CREATE, HookEvents.PRIMARY_ARN, FailureMode.FAIL);

    assertEquals("FAILED", response.path("hookStatus").asText());
    assertTrue(
        response.path("message").asText().contains("NotFoundException"), response.toString());
  }

  @Test
  void invoke_hookHandler_printsTheResponse() throws Exception {
    Path event = dir.resolve("event.json");
    Files.writeString(event, HookEvents.text(HookEvents.CREATE_DRIFTED, primary()));

    CommandRun run =
        CommandRun.main(
            "invoke",
            "--handler",
            "hook",
            "--event",
            event.toString(),
            "--endpoint-url",
            server.endpoint().toString(),
            "--region",
            "eu-west-1");

    assertEquals(0, run.exit(), run.err());
    JsonNode response = MAPPER.readTree(run.out());
    assertEquals("NonCompliant", response.path("errorCode").asText());
    assertEquals(
        "0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f", response.path("clientRequestToken").asText());
  }
}
