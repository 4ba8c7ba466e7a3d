package dev.mrkpolicyguard.iac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mrkpolicyguard.aws.LivePrimaryReader;
import dev.mrkpolicyguard.cli.CommandRun;
import dev.mrkpolicyguard.localaws.LocalAwsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/** {@code check-iac --live}: a replica template against its primary's policy read from KMS. */
class CheckIacLiveIT {
  private final LocalAwsServer server = LocalAwsServer.builder().build().start();

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

  private String primary(String policy) {
    try (KmsClient kms =
        KmsClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(server.endpoint())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
      return kms.createKey(r -> r.multiRegion(true).policy(policy)).keyMetadata().arn();
    }
  }

  private CommandRun check(String primaryArn) {
    return CommandRun.of(
        new CheckIacCommand(LivePrimaryReader::connect)::run,
        CheckIacRun.CFN + "replica-of-existing-primary.json",
        "--region",
        "eu-west-1",
        "--parameter",
        "PrimaryKeyArn=" + primaryArn,
        "--live",
        "--endpoint-url",
        server.endpoint().toString());
  }

  @Test
  void run_live_readsThePrimaryInItsRegionReadOnly() throws Exception {
    String arn = primary(Files.readString(Path.of(CheckIacRun.EXISTING_PRIMARY_POLICY)));

    CommandRun run = check(arn);

    assertEquals(0, run.exit(), run.out() + run.err());
    assertTrue(run.out().contains("primary policy from live (us-east-1)"), run.out());
    assertEquals(1, server.calls().count("kms", "GetKeyPolicy", "us-east-1"));
    assertEquals(0, server.calls().count("kms", "PutKeyPolicy"));
  }

  @Test
  void run_livePrimaryThatIsMissing_isNotJudgedWithTheReason() {
    CommandRun run =
        check("arn:aws:kms:us-east-1:111122223333:key/mrk-00000000000000000000000000000001");

    assertEquals(4, run.exit(), run.out());
    assertTrue(run.out().contains("PRIMARY_POLICY_UNREADABLE"), run.out());
  }
}
