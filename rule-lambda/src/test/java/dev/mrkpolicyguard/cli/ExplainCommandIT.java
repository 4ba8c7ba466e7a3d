package dev.mrkpolicyguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.audit.LiveOptions;
import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.localaws.CallLog;
import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.localaws.fault.FaultRule;
import dev.mrkpolicyguard.localaws.kms.PermissiveLockoutCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@code explain} against the local stand-in through the real SDK: {@code --lookup} reads the
 * Region's event history with LookupEvents, and without {@code --snapshot} the key policies are
 * read from KMS. The keys are the drifted pair of the test snapshot, created in the stand-in; the
 * records are the test fixtures with the stand-in's key id and recent times.
 */
class ExplainCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FIXTURE_KEY_ID = "mrk-1234abcd12ab34cd56ef1234567890ab";
  private static final Set<String> READS = Set.of("LookupEvents", "DescribeKey", "GetKeyPolicy");

  private final LocalAwsServer server =
      LocalAwsServer.builder().lockoutCheck(PermissiveLockoutCheck.INSTANCE).build().start();
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private String keyId;

  @TempDir Path dir;

  @BeforeEach
  void createTheDriftedPair() throws IOException {
    JsonNode snapshot =
        JSON.readTree(Path.of("src/test/resources/explain/drifted-replica-snapshot.json").toFile());
    String primaryPolicy = snapshot.at("/keys/0/policy").asText();
    String replicaPolicy = snapshot.at("/keys/1/policy").asText();
    KmsClient primary = kms("us-east-1");
    keyId = primary.createKey(r -> r.multiRegion(true).policy(primaryPolicy)).keyMetadata().keyId();
    primary.replicateKey(r -> r.keyId(keyId).replicaRegion("eu-west-1").policy(replicaPolicy));
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void explain_lookup_explainsTheRecentDenialsAgainstTheLiveKeyPolicies() throws IOException {
    record("assumed-role-decrypt-no-identity-policy.json", 1, 10);
    record("ebs-decrypt-explicit-deny-in-scp.json", 1, 20);
    record("describe-key-succeeded.json", 1, 30);

    CommandRun run = explain("--lookup", "--region", "eu-west-1", "--format", "json");

    assertEquals(0, run.exit(), run.err());
    assertEquals(List.of("DRIFT_EXPLAINS_DENIAL", "KEY_POLICY_ALLOWS"), verdicts(run.out()));
    assertTrue(run.err().startsWith("lookup: 3 KMS events in eu-west-1 since "), run.err());
  }

  @Test
  void explain_lookupOverSeveralPages_readsEveryPage() throws IOException {
    record("assumed-role-decrypt-no-identity-policy.json", 120, 5);

    CommandRun run = explain("--lookup", "--region", "eu-west-1", "--format", "json");

    assertEquals(0, run.exit(), run.err());
    assertEquals(120, verdicts(run.out()).size());
    assertEquals(3, server.calls().count("cloudtrail", "LookupEvents", "eu-west-1"));
    assertEquals(1, server.calls().count("kms", "DescribeKey", "eu-west-1"));
  }

  @Test
  void explain_lookup_makesOnlyReadCalls() throws IOException {
    record("assumed-role-decrypt-no-identity-policy.json", 1, 10);
    Map<CallLog.Call, Long> before = server.calls().snapshot();

    explain("--lookup", "--region", "eu-west-1");

    Map<String, Long> made = new TreeMap<>();
    server
        .calls()
        .snapshot()
        .forEach(
            (call, n) ->
                made.merge(call.operation(), n - before.getOrDefault(call, 0L), Long::sum));
    made.values().removeIf(n -> n == 0);
    assertEquals(READS, made.keySet());
  }

  @Test
  void explain_lookupSince_leavesOutOlderEvents() throws IOException {
    record("assumed-role-decrypt-no-identity-policy.json", 1, 10);
    record("ebs-decrypt-explicit-deny-in-scp.json", 1, 90);

    CommandRun run =
        explain("--lookup", "--region", "eu-west-1", "--since", "30m", "--format", "json");

    assertEquals(List.of("DRIFT_EXPLAINS_DENIAL"), verdicts(run.out()));
  }

  @Test
  void explain_lookupWithKey_explainsOnlyThatKeysDenials() throws IOException {
    record("assumed-role-decrypt-no-identity-policy.json", 1, 10);
    record("single-region-key-decrypt-denied.json", 1, 12);

    CommandRun run =
        explain("--lookup", "--region", "eu-west-1", "--key", keyId, "--format", "json");

    assertEquals(List.of("DRIFT_EXPLAINS_DENIAL"), verdicts(run.out()));
  }

  @Test
  void explain_lookupDenied_exitsTwoNamingThePermission() {
    server
        .faults()
        .add(FaultRule.errorFor("cloudtrail", "LookupEvents", null, "AccessDeniedException"));

    CommandRun run = explain("--lookup", "--region", "eu-west-1");

    assertEquals(2, run.exit());
    assertEquals(
        "error: cloudtrail:LookupEvents was denied in eu-west-1; allow it to these credentials"
            + " (docs/explain.md)\n",
        run.err());
  }

  @Test
  void explain_recordsWithoutSnapshot_readsThePoliciesFromKms() throws IOException {
    Path file = dir.resolve("record.json");
    Files.writeString(file, fixture("secrets-manager-generate-data-key-denied.json", "e1", now));

    CommandRun run = explain("--records", file.toString(), "--format", "json");

    assertEquals(0, run.exit(), run.err());
    assertEquals(List.of("DRIFT_EXPLAINS_DENIAL"), verdicts(run.out()));
    assertEquals(1, server.calls().count("kms", "DescribeKey", "eu-west-1"));
    assertEquals(1, server.calls().count("kms", "GetKeyPolicy", "us-east-1"));
  }

  @Test
  void explain_liveKeyNotInTheAccount_isUnexplainedAndExitsFour() throws IOException {
    Path file = dir.resolve("record.json");
    Files.writeString(
        file,
        fixture("assumed-role-decrypt-no-identity-policy.json", "e1", now)
            .replace(keyId, "mrk-00000000000000000000000000000000"));

    CommandRun run = explain("--records", file.toString());

    assertEquals(4, run.exit(), run.out());
    assertTrue(run.out().contains("(NotFoundException)"), run.out());
  }

  /** Records {@code copies} of a fixture, {@code minutesAgo} old, in the stand-in's history. */
  private void record(String name, int copies, int minutesAgo) throws IOException {
    for (int i = 0; i < copies; i++) {
      Instant time = now.minus(Duration.ofMinutes(minutesAgo)).minusSeconds(i);
      server.cloudTrail().record(fixture(name, name + "-" + i, time));
    }
  }

  private String fixture(String name, String eventId, Instant time) throws IOException {
    JsonNode record =
        JSON.readTree(
            Files.readString(Path.of("src/test/resources/cloudtrail", name))
                .replace(FIXTURE_KEY_ID, keyId)
                .replace("2025-06-03T09:14:07Z", time.toString()));
    ((com.fasterxml.jackson.databind.node.ObjectNode) record).put("eventID", eventId);
    return record.toString();
  }

  private CommandRun explain(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--endpoint-url", server.endpoint().toString()));
    return CommandRun.of(
        (a, out, err) -> new ExplainCommand(this::connect, Clock.systemUTC()).run(a, out, err),
        all.toArray(String[]::new));
  }

  private static List<String> verdicts(String json) throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode result : JSON.readTree(json).get("results")) {
      out.add(result.get("verdict").asText());
    }
    return out;
  }

  private KmsClient kms(String region) {
    return KmsClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.of(region))
        .credentialsProvider(credentials())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x"));
  }

  /** Clients for the stand-in with two attempts and millisecond backoffs. */
  private SdkClientFactory connect(LiveOptions options) {
    return new SdkClientFactory(
        options.homeRegion(),
        server.endpoint(),
        credentials(),
        () ->
            AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(2)
                .backoffStrategy(
                    BackoffStrategy.exponentialDelay(Duration.ofMillis(2), Duration.ofMillis(20)))
                .throttlingBackoffStrategy(
                    BackoffStrategy.exponentialDelay(Duration.ofMillis(2), Duration.ofMillis(20)))
                .build());
  }
}
