package dev.mrkpolicyguard.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.cli.CommandRun;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import dev.mrkpolicyguard.localaws.CallLog;
import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.localaws.fault.FaultRule;
import dev.mrkpolicyguard.localaws.kms.PermissiveLockoutCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * {@code audit --regions} and {@code export} against the local stand-in, through the real SDK,
 * seeded with the fleet of examples/fleet.json (key ids differ, so keys are matched by alias and
 * Region).
 */
class LiveAuditIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = "111122223333";
  private static final String REGIONS = "us-east-1,eu-west-1,ap-southeast-2,us-west-2";
  private static final String B = "mrk-8f3e2d1c0b9a48e7a6f5c4d3b2a19081";
  private static final Set<String> READS =
      Set.of("ListKeys", "ListAliases", "DescribeKey", "GetKeyPolicy", "GetCallerIdentity");

  private final LocalAwsServer server =
      LocalAwsServer.builder().lockoutCheck(PermissiveLockoutCheck.INSTANCE).build().start();
  private final Map<String, KmsClient> kms = new HashMap<>();

  /** New key id of each key id of the example fleet. */
  private final Map<String, String> ids = new HashMap<>();

  @TempDir Path dir;

  @BeforeEach
  void seedExampleFleet() throws IOException {
    JsonNode fleet = JSON.readTree(Path.of(AuditRun.FLEET).toFile());
    for (JsonNode key : fleet.get("keys")) {
      if (!"REPLICA"
          .equals(key.at("/metadata/MultiRegionConfiguration/MultiRegionKeyType").asText())) {
        create(key);
      }
    }
    for (JsonNode key : fleet.get("keys")) {
      if ("REPLICA"
          .equals(key.at("/metadata/MultiRegionConfiguration/MultiRegionKeyType").asText())) {
        replicate(key);
      }
    }
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void audit_liveFleet_decidesEveryKeyAsTheSnapshotAuditOfTheExample() throws IOException {
    CommandRun live =
        audit("--regions", REGIONS, "--baseline", AuditRun.BASELINE, "--format", "json");
    AuditRun saved = AuditRun.exampleFleet("json");

    assertEquals(4, live.exit(), live.err());
    assertEquals(13, verdicts(live.out()).size());
    assertEquals(verdicts(saved.out()), verdicts(live.out()));
  }

  @Test
  void audit_liveFleet_makesOnlyReadCalls() {
    Map<CallLog.Call, Long> before = server.calls().snapshot();

    audit("--regions", REGIONS);

    Map<String, Long> made = new TreeMap<>();
    server
        .calls()
        .snapshot()
        .forEach(
            (call, n) ->
                made.merge(call.operation(), n - before.getOrDefault(call, 0L), Long::sum));
    made.values().removeIf(n -> n == 0);
    assertTrue(READS.containsAll(made.keySet()), made.toString());
  }

  @Test
  void audit_policyDenied_exitsPartialAndListsTheKey() {
    CommandRun run = audit("--regions", REGIONS, "--format", "json");

    assertEquals(4, run.exit());
    String orders = "arn:aws:kms:ap-southeast-2:" + ACCOUNT + ":key/" + newId(B);
    assertTrue(run.err().contains("could not judge " + orders), run.err());
  }

  @Test
  void audit_singleRegionKeyDescribeThrottled_isNotApplicableAsTheRuleDecidesIt()
      throws IOException {
    String syd = newId("c4a1e9d2-7b3f-4a6e-8d5c-2b1a0f9e8d7c");
    server.faults().add(FaultRule.errorFor("kms", "DescribeKey", syd, "ThrottlingException"));

    CommandRun run = audit("--regions", REGIONS, "--format", "json");

    JsonNode report = JSON.readTree(run.out());
    JsonNode key = keyOf(report, syd, "ap-southeast-2");
    assertEquals("NOT_APPLICABLE", key.get("compliance").asText());
    assertEquals("SINGLE_REGION", key.get("role").asText());
    assertEquals("ThrottlingException", key.at("/describeError/code").asText());
    assertFalse(report.get("unreadable").toString().contains(syd), run.out());
  }

  @Test
  void audit_multiRegionKeyDescribeThrottledBeyondRetries_isNotEvaluatedAndListed()
      throws IOException {
    String analytics = newId("mrk-5c0ffee1d2e34f5a9b8c7d6e5f4a3b21");
    server
        .faults()
        .add(
            FaultRule.errorFor("kms", "DescribeKey", analytics, "ThrottlingException")
                .inRegion("us-west-2"));

    CommandRun run = audit("--regions", REGIONS, "--format", "json");

    assertEquals(4, run.exit());
    JsonNode report = JSON.readTree(run.out());
    JsonNode primary = keyOf(report, analytics, "us-west-2");
    assertEquals("NOT_EVALUATED", primary.get("compliance").asText());
    assertTrue(primary.get("annotation").isNull(), "" + primary);
    assertTrue(
        primary.get("notEvaluated").asText().startsWith("kms:DescribeKey still failed after"),
        "" + primary);
    assertEquals(List.of("alias/analytics"), aliases(primary));
    String arn = "arn:aws:kms:us-west-2:" + ACCOUNT + ":key/" + analytics;
    assertTrue(report.get("unreadable").toString().contains(arn), run.out());
    // The rule reads a primary's policy without describing it; so does the audit.
    assertEquals("NON_COMPLIANT", keyOf(report, analytics, "eu-west-1").get("compliance").asText());
    assertEquals("COMPLIANT", keyOf(report, analytics, "us-east-1").get("compliance").asText());
  }

  @Test
  void audit_describeDenied_isNonCompliantKeyUnreadableListedWithItsAlias() throws IOException {
    String payments = newId("mrk-1234abcd12ab34cd56ef1234567890ab");
    server
        .faults()
        .add(
            FaultRule.errorFor("kms", "DescribeKey", payments, "AccessDeniedException")
                .inRegion("eu-west-1"));

    CommandRun run = audit("--regions", REGIONS, "--format", "json");

    assertEquals(4, run.exit());
    JsonNode report = JSON.readTree(run.out());
    JsonNode key = keyOf(report, payments, "eu-west-1");
    assertEquals("NON_COMPLIANT", key.get("compliance").asText());
    assertEquals("KEY_UNREADABLE", key.at("/findings/0/code").asText());
    assertEquals("UNKNOWN", key.get("role").asText());
    assertTrue(
        key.get("annotation").asText().startsWith("Cannot read this key: kms:DescribeKey denied"),
        "" + key);
    assertEquals(List.of("alias/payments"), aliases(key));
    assertTrue(report.get("unreadable").toString().contains(key.get("keyArn").asText()));
    CommandRun table = audit("--regions", REGIONS);
    assertTrue(
        table.out().lines().anyMatch(l -> l.contains("eu-west-1") && l.contains("KEY_UNREADABLE")),
        table.out());
  }

  private static JsonNode keyOf(JsonNode report, String keyId, String region) {
    for (JsonNode key : report.get("keys")) {
      if (key.get("keyId").asText().equals(keyId) && key.get("region").asText().equals(region)) {
        return key;
      }
    }
    throw new AssertionError(keyId + " in " + region + " is not in the report: " + report);
  }

  private static List<String> aliases(JsonNode key) {
    List<String> out = new ArrayList<>();
    key.get("aliases").forEach(a -> out.add(a.asText()));
    return out;
  }

  @Test
  void audit_liveFleet_showsProgressOnStderr() {
    CommandRun run = audit("--regions", REGIONS);

    assertTrue(run.err().contains("progress: 13 keys listed in 4 Regions"), run.err());
    assertTrue(run.err().contains("progress: 13/13 keys read (us-east-1 5/5,"), run.err());
  }

  @Test
  void export_thenAuditOfTheExport_givesTheLiveAudit() throws IOException {
    Path snapshot = dir.resolve("export.json");
    CommandRun export =
        CommandRun.of(
            new ExportCommand(this::connect)::run, "--regions", REGIONS, "--output", "" + snapshot);
    CommandRun live = audit("--regions", REGIONS, "--format", "json");
    CommandRun saved = audit("--snapshot", snapshot.toString(), "--format", "json");

    assertEquals(4, export.exit(), export.err());
    assertEquals(JSON.readTree(live.out()).get("keys"), JSON.readTree(saved.out()).get("keys"));
    assertEquals(live.exit(), saved.exit());
  }

  @Test
  void export_stdoutFull_exitsTwoAndDoesNotClaimTheExport() {
    CommandRun export =
        CommandRun.withFullStdout(new ExportCommand(this::connect)::run, "--regions", REGIONS);

    assertEquals(2, export.exit());
    assertTrue(export.err().endsWith(CommandRun.STDOUT_FAILED), export.err());
    assertFalse(export.err().contains("exported"), export.err());
  }

  @Test
  void export_outputToAFullDevice_exitsTwoWithTheReason() {
    assumeTrue(Files.exists(Path.of("/dev/full")));
    CommandRun export =
        CommandRun.of(
            new ExportCommand(this::connect)::run, "--regions", REGIONS, "--output", "/dev/full");

    assertEquals(2, export.exit());
    assertTrue(
        export
            .err()
            .endsWith("error: --output: cannot write '/dev/full': No space left on device\n"),
        export.err());
  }

  /**
   * KMS allows the Latin-1 Supplement, C1 controls included, in a key policy (PutKeyPolicy,
   * Policy), but not U+202E, so the override comes in the key's description.
   */
  @Test
  void export_c1InAPolicyAndBidiInADescription_escapesBothAndReadsBackIdentically()
      throws IOException {
    String policy =
        """
        {"Version": "2012-10-17", "Statement": [{"Sid": "Admin\u009b31m", "Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
          "Action": "kms:*", "Resource": "*"}]}
        """;
    String arn =
        kms("sa-east-1")
            .createKey(r -> r.policy(policy).description("payments \u202etrusted"))
            .keyMetadata()
            .arn();
    Path snapshot = dir.resolve("controls.json");

    CommandRun export =
        CommandRun.of(
            new ExportCommand(this::connect)::run,
            "--regions",
            "sa-east-1",
            "--output",
            "" + snapshot);

    String text = Files.readString(snapshot);
    assertEquals(0, export.exit(), export.err());
    assertTrue(text.contains("Admin\\u009b31m"), text);
    assertTrue(text.contains("payments \\u202etrusted"), text);
    assertFalse(text.contains("\u009b") || text.contains("\u202e"), text);
    SnapshotReader.Result read = new SnapshotReader().read(text);
    SnapshotKey key = ((SnapshotReader.Result.Read) read).snapshot().keys().get(0);
    assertEquals(arn, key.arn());
    assertEquals(new PolicyFact.Known(policy), key.policy());
    assertEquals(
        "payments \u202etrusted", JSON.readTree(text).at("/keys/0/metadata/Description").asText());
    assertEquals(0, audit("--snapshot", snapshot.toString()).exit());
  }

  @Test
  void export_keyMetadata_isKeptAsAwsReturnsIt() throws IOException {
    CommandRun export =
        CommandRun.of(new ExportCommand(this::connect)::run, "--regions", "eu-west-1");

    JsonNode key = JSON.readTree(export.out()).get("keys").get(0);
    assertEquals(ACCOUNT, key.at("/metadata/AWSAccountId").asText());
    assertEquals("ENCRYPT_DECRYPT", key.at("/metadata/KeyUsage").asText());
    assertTrue(key.at("/metadata/MultiRegionConfiguration/ReplicaKeys").isArray(), "" + key);
  }

  @Test
  void audit_defaultCredentialChain_readsTheKeysFromSystemProperties() {
    System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
    System.setProperty("aws.secretAccessKey", "x");
    try {
      CommandRun run =
          CommandRun.of(
              new AuditCommand()::run,
              "--regions",
              "us-east-1,eu-west-1,us-west-2",
              "--endpoint-url",
              server.endpoint().toString());
      assertEquals(1, run.exit(), run.err());
      assertTrue(run.out().contains("alias/analytics"), run.out());
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
  }

  @Test
  void export_namedProfile_signsWithThatProfilesKeys() throws IOException {
    server.identities().mapAccessKeyToAccount("AKIDOTHER", "444455556666");
    Path credentials = dir.resolve("credentials");
    Files.writeString(
        credentials, "[audit]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = x\n");
    System.setProperty("aws.sharedCredentialsFile", credentials.toString());
    System.setProperty("aws.configFile", dir.resolve("no-config").toString());
    try {
      CommandRun run =
          CommandRun.of(
              new ExportCommand()::run,
              "--regions",
              "eu-west-1",
              "--profile",
              "audit",
              "--endpoint-url",
              server.endpoint().toString());
      assertEquals(0, run.exit(), run.err());
      assertEquals("444455556666", JSON.readTree(run.out()).get("account").asText());
    } finally {
      System.clearProperty("aws.sharedCredentialsFile");
      System.clearProperty("aws.configFile");
    }
  }

  @Test
  void export_unknownProfile_exitsTwoSayingHowToFixIt() {
    System.setProperty("aws.sharedCredentialsFile", dir.resolve("none").toString());
    System.setProperty("aws.configFile", dir.resolve("none").toString());
    try {
      CommandRun run =
          CommandRun.of(
              new ExportCommand()::run,
              "--regions",
              "eu-west-1",
              "--profile",
              "nosuch",
              "--endpoint-url",
              server.endpoint().toString());
      assertEquals(2, run.exit());
      assertTrue(run.err().contains("cannot identify the caller"), run.err());
    } finally {
      System.clearProperty("aws.sharedCredentialsFile");
      System.clearProperty("aws.configFile");
    }
  }

  @Test
  void export_withoutRegions_exitsTwo() {
    CommandRun run = CommandRun.of(new ExportCommand(this::connect)::run, "--output", "x.json");

    assertEquals(2, run.exit());
    assertTrue(run.err().contains("missing required option --regions"), run.err());
  }

  /** Compliance and first finding code per (first alias, Region). */
  private static Map<String, String> verdicts(String report) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode key : JSON.readTree(report).get("keys")) {
      JsonNode findings = key.get("findings");
      out.put(
          key.get("aliases").get(0).asText() + "@" + key.get("region").asText(),
          key.get("compliance").asText()
              + " "
              + (findings.isEmpty() ? "-" : findings.get(0).get("code").asText()));
    }
    return out;
  }

  private void create(JsonNode key) {
    String region = key.get("region").asText();
    JsonNode metadata = key.get("metadata");
    String alias = key.get("aliases").get(0).asText();
    if ("AWS".equals(metadata.get("KeyManager").asText())) {
      ids.put(
          metadata.get("KeyId").asText(), server.kms().seedAwsManagedKey(ACCOUNT, region, alias));
      return;
    }
    String id =
        kms(region)
            .createKey(
                r ->
                    r.multiRegion(metadata.get("MultiRegion").asBoolean())
                        .description(metadata.get("Description").asText())
                        .policy(key.get("policy").asText()))
            .keyMetadata()
            .keyId();
    ids.put(metadata.get("KeyId").asText(), id);
    aliases(key, id);
  }

  /** A replica with the example's policy; one whose policy could not be read gets a denial. */
  private void replicate(JsonNode key) {
    String region = key.get("region").asText();
    String primary = key.at("/metadata/MultiRegionConfiguration/PrimaryKey/Arn").asText();
    String id = newId(key.at("/metadata/KeyId").asText());
    String primaryArn = primary.substring(0, primary.indexOf(":key/") + 5) + id;
    String policy = key.hasNonNull("policy") ? key.get("policy").asText() : null;
    kms(primary.split(":")[3])
        .replicateKey(r -> r.keyId(primaryArn).replicaRegion(region).policy(policy));
    if (policy == null) {
      server
          .faults()
          .add(
              FaultRule.errorFor("kms", "GetKeyPolicy", id, "AccessDeniedException")
                  .inRegion(region));
    }
    aliases(key, id);
  }

  private void aliases(JsonNode key, String id) {
    for (JsonNode alias : key.get("aliases")) {
      kms(key.get("region").asText()).createAlias(r -> r.aliasName(alias.asText()).targetKeyId(id));
    }
  }

  private String newId(String exampleId) {
    return ids.get(exampleId);
  }

  private KmsClient kms(String region) {
    return kms.computeIfAbsent(
        region,
        r ->
            KmsClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.of(r))
                .credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .build());
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x"));
  }

  /**
   * Clients for the stand-in with three attempts and millisecond backoffs; the standard strategy,
   * as the adaptive one's client-side rate limiting makes a test of throttling slow, not different.
   */
  private SdkClientFactory connect(LiveOptions options) {
    return new SdkClientFactory(
        options.homeRegion(),
        server.endpoint(),
        credentials(),
        () ->
            AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(3)
                .backoffStrategy(
                    BackoffStrategy.exponentialDelay(Duration.ofMillis(2), Duration.ofMillis(20)))
                .throttlingBackoffStrategy(
                    BackoffStrategy.exponentialDelay(Duration.ofMillis(2), Duration.ofMillis(20)))
                .build());
  }

  private CommandRun audit(String... args) {
    return CommandRun.of(new AuditCommand(this::connect)::run, args);
  }
}
