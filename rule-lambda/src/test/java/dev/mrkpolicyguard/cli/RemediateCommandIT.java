package dev.mrkpolicyguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mrkpolicyguard.localaws.LocalAwsServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.s3.S3Client;

/** The remediate command against the local stand-in, credentials from system properties. */
class RemediateCommandIT {
  private static final String PARTNER =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Enable IAM User Permissions\","
          + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},"
          + "\"Action\":\"kms:*\",\"Resource\":\"*\"},{\"Sid\":\"Partner\",\"Effect\":\"Allow\","
          + "\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},\"Action\":\"kms:Decrypt\","
          + "\"Resource\":\"*\"}]}";

  private final LocalAwsServer server = LocalAwsServer.builder().build().start();
  @TempDir Path backups;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeAll
  static void credentials() {
    System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
    System.setProperty("aws.secretAccessKey", "x");
  }

  @AfterAll
  static void clearCredentials() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
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

  private KeyMetadata driftedReplica() {
    return driftedReplica(PARTNER);
  }

  private KeyMetadata driftedReplica(String policy) {
    KeyMetadata primary = kms("us-east-1").createKey(r -> r.multiRegion(true)).keyMetadata();
    return kms("us-east-1")
        .replicateKey(r -> r.keyId(primary.arn()).replicaRegion("eu-west-1").policy(policy))
        .replicaKeyMetadata();
  }

  private int run(String... args) {
    return new RemediateCommand(backups)
        .run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String policy(KeyMetadata key) {
    return server.kms().policy("111122223333", "eu-west-1", key.keyId()).orElseThrow();
  }

  private String printed() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void remediate_withoutApply_printsTheDiffAndWritesNothing() {
    KeyMetadata replica = driftedReplica();

    int code = run("--key-arn", replica.arn(), "--endpoint-url", server.endpoint().toString());

    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    assertTrue(printed().contains("revokes: arn:aws:iam::444455556666"), printed());
    assertTrue(printed().contains("DRY_RUN: "), printed());
    assertFalse(printed().contains("backups: "), printed());
    assertEquals(PARTNER, policy(replica));
  }

  @Test
  void remediate_defaultBackupDirectory_isUnderTheHomeDirectoryNotTheWorkingDirectory() {
    assertEquals(
        Path.of(System.getProperty("user.home"), ".mrk-policy-guard", "backups"),
        RemediateCommand.DEFAULT_BACKUPS);
    assertTrue(RemediateCommand.DEFAULT_BACKUPS.isAbsolute());
  }

  @Test
  void remediate_applyWithoutBackupOptions_namesTheDefaultDirectoryFirst() {
    KeyMetadata replica = driftedReplica();

    int code = run("--key-arn", replica.arn(), "--apply", "--endpoint-url", "" + server.endpoint());

    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    List<String> lines = printed().lines().toList();
    assertEquals(
        "backups: local files under "
            + backups.toAbsolutePath()
            + " (the default; choose with --backup-dir DIR or --backup-bucket NAME)",
        lines.get(0));
    String backup =
        lines.stream()
            .filter(l -> l.startsWith("backup of the previous policy: "))
            .findFirst()
            .orElseThrow();
    assertTrue(
        backup.startsWith("backup of the previous policy: " + backups.toAbsolutePath() + "/"),
        backup);
  }

  @Test
  void remediate_applyWithBackupDir_backsUpThereForItsOwnerOnly(@TempDir Path chosen)
      throws Exception {
    KeyMetadata replica = driftedReplica();

    int code =
        run(
            "--key-arn",
            replica.arn(),
            "--apply",
            "--backup-dir",
            chosen.toString(),
            "--endpoint-url",
            "" + server.endpoint());

    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    assertEquals(
        "backups: local files under " + chosen, printed().lines().findFirst().orElseThrow());
    Path file =
        Path.of(
            printed()
                .lines()
                .filter(l -> l.startsWith("backup of the previous policy: "))
                .findFirst()
                .orElseThrow()
                .substring("backup of the previous policy: ".length()));
    assertTrue(file.startsWith(chosen) && Files.exists(file), file.toString());
    try (var left = Files.list(backups)) {
      assertEquals(0, left.count());
    }
    assumeTrue(file.getFileSystem().supportedFileAttributeViews().contains("posix"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
  }

  @Test
  void remediate_backupDirAndBucket_exitsTwo() {
    int code =
        run(
            "--key-arn",
            "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
            "--apply",
            "--backup-dir",
            "here",
            "--backup-bucket",
            "there",
            "--endpoint-url",
            "" + server.endpoint());

    assertEquals(2, code);
    assertEquals(
        "error: --backup-bucket and --backup-dir cannot be used together: give one place for"
            + " backups\n",
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void remediate_sidWithTerminalEscapes_printsThemEscaped() {
    KeyMetadata replica =
        driftedReplica(PARTNER.replace("\"Partner\"", "\"Partner\\u001b[2K\\u009b1A\\u202e\""));

    int code = run("--key-arn", replica.arn(), "--endpoint-url", server.endpoint().toString());

    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    assertTrue(
        printed().contains("replica statement 'Partner\\u001b[2K\\u009b1A\\u202e' allows it"),
        printed());
    assertTrue(printed().chars().noneMatch(c -> c == 0x1b || c == 0x9b || c == 0x202e), printed());
  }

  @Test
  void remediate_applyWithoutBucket_backsUpToALocalFileAndRestoresFromIt() throws Exception {
    KeyMetadata replica = driftedReplica();
    String endpoint = server.endpoint().toString();

    assertEquals(0, run("--key-arn", replica.arn(), "--apply", "--endpoint-url", endpoint));

    assertTrue(printed().contains("APPLIED: "), printed());
    String line =
        printed()
            .lines()
            .filter(l -> l.startsWith("backup of the previous policy: "))
            .findFirst()
            .orElseThrow();
    Path file = Path.of(line.substring("backup of the previous policy: ".length()));
    assertTrue(file.startsWith(backups) && Files.exists(file), file.toString());
    // The backup grants the partner what the apply revoked: a restore needs --force.
    assertEquals(
        0,
        run(
            "--key-arn",
            replica.arn(),
            "--restore",
            file.toString(),
            "--force",
            "--endpoint-url",
            endpoint));
    assertEquals(PARTNER, policy(replica));
  }

  private static final String PUBLIC =
      PARTNER.replace(
          "]}",
          ",{\"Sid\":\"Anyone\",\"Effect\":\"Allow\",\"Principal\":\"*\","
              + "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}");

  /** The backup file's path, as the apply printed it. */
  private Path printedBackup() {
    String line =
        printed()
            .lines()
            .filter(l -> l.startsWith("backup of the previous policy: "))
            .findFirst()
            .orElseThrow();
    return Path.of(line.substring("backup of the previous policy: ".length()));
  }

  /** Rewrites a backup file with {@code policy} and its true SHA-256: a self-consistent forgery. */
  private static void forge(Path backup, String policy) throws Exception {
    var json =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(backup.toFile());
    json.put("policy", policy);
    json.put(
        "policySha256",
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(policy.getBytes(StandardCharsets.UTF_8))));
    Files.writeString(backup, json.toString());
  }

  @Test
  void remediate_restoreOfAForgedBackupThatMakesTheKeyPublic_printsItsVerdictAndWritesNothing()
      throws Exception {
    KeyMetadata replica = driftedReplica();
    String endpoint = server.endpoint().toString();
    assertEquals(0, run("--key-arn", replica.arn(), "--apply", "--endpoint-url", endpoint));
    Path backup = printedBackup();
    forge(backup, PUBLIC);
    String before = policy(replica);
    out.reset();

    int code =
        run("--key-arn", replica.arn(), "--restore", backup.toString(), "--endpoint-url", endpoint);

    assertEquals(1, code);
    assertEquals(
        List.of(
            "backups: local files under "
                + backups
                + " (the default; choose with --backup-dir DIR or --backup-bucket NAME)",
            "verdict before: REPLICA_NARROWER",
            "REFUSED: the backup "
                + backup
                + " grants access the current policy does not (grants:"
                + " arn:aws:iam::999999999999:role/ExampleRole may kms:Decrypt (its IAM policies"
                + " allow it) (principal; backup statement 'Anyone' allows it; no current"
                + " statement does); grants: arn:aws:iam::444455556666:role/ExampleRole may"
                + " kms:Decrypt (its IAM policies allow it) (principal; backup statements"
                + " 'Partner', 'Anyone' allows it; no current statement does); grants:"
                + " example.amazonaws.com may kms:Decrypt (principal; backup statement 'Anyone'"
                + " allows it; no current statement does); grants:"
                + " arn:aws:iam::111122223333:role/ExampleRole may"
                + " kms:Decrypt (with no IAM policy allowing it) (action; backup statement 'Anyone' allows it;"
                + " current grants it only to callers whose IAM policies allow it); baseline:"
                + " BASELINE_CEILING_EXCEEDED: Exceeds baseline forbidPublicAccess: 999999999999"
                + " may kms:Decrypt); its SHA-256 shows it is intact, not that it is the policy"
                + " this tool saved: check what it grants, then restore it with --force (Lambda"
                + " input Force true)"),
        printed().lines().toList());
    assertEquals(before, policy(replica));
  }

  @Test
  void remediate_forceWithoutRestore_exitsTwo() {
    KeyMetadata replica = driftedReplica();

    int code =
        run(
            "--key-arn",
            replica.arn(),
            "--apply",
            "--force",
            "--endpoint-url",
            server.endpoint().toString());

    assertEquals(2, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--force is for --restore only"));
    assertEquals(PARTNER, policy(replica));
  }

  @Test
  void remediate_applyWhosePutKeyPolicyAnswerIsLost_printsAppliedFromTheReadBackAndTheBackup()
      throws Exception {
    KeyMetadata replica = driftedReplica();
    // KMS writes the policy; every attempt's answer is a 500.
    server.faults().add("kms:PutKeyPolicy:http500=1,when=after");

    int code =
        run("--key-arn", replica.arn(), "--apply", "--endpoint-url", server.endpoint().toString());

    assertEquals(0, code);
    List<String> lines = printed().lines().toList();
    assertEquals("verdict before: REPLICA_BROADER, after: EQUIVALENT", lines.get(1));
    assertTrue(lines.get(2).startsWith("backup of the previous policy: " + backups), lines.get(2));
    assertEquals(
        "APPLIED: align to primary "
            + replica.multiRegionConfiguration().primaryKey().arn()
            + " (replica was REPLICA_BROADER): written and verified (PutKeyPolicy's answer was"
            + " lost: an AWS call failed (InternalFailure: Internal failure (injected fault)); the"
            + " policy read back is the new one)",
        lines.get(3));
    assertEquals(4, lines.size(), printed());
    assertEquals(PARTNER, backedUpPolicy(printedBackup()));
  }

  private static String backedUpPolicy(Path backup) throws java.io.IOException {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(backup.toFile())
        .get("policy")
        .asText();
  }

  @Test
  void remediate_applyWithStdoutFull_exitsTwoAndGivesTheOutcomeOnStderr() {
    KeyMetadata replica = driftedReplica();

    CommandRun run =
        CommandRun.withFullStdout(
            new RemediateCommand(backups)::run,
            "--key-arn",
            replica.arn(),
            "--apply",
            "--endpoint-url",
            server.endpoint().toString());

    assertEquals(2, run.exit());
    List<String> lines = run.err().lines().toList();
    assertEquals(CommandRun.STDOUT_FAILED.strip(), lines.get(0));
    assertTrue(lines.get(1).startsWith("backup of the previous policy: " + backups), run.err());
    assertTrue(lines.get(2).startsWith("APPLIED: "), run.err());
    assertEquals(3, lines.size(), run.err());
  }

  @Test
  void remediate_applyWithBucket_backsUpToS3() {
    KeyMetadata replica = driftedReplica();
    S3Client.builder()
        .endpointOverride(server.endpoint())
        .forcePathStyle(true)
        .region(Region.EU_WEST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
        .httpClient(UrlConnectionHttpClient.create())
        .build()
        .createBucket(r -> r.bucket("backups"));

    int code =
        run(
            "--key-arn",
            replica.arn(),
            "--apply",
            "--backup-bucket",
            "backups",
            "--endpoint-url",
            server.endpoint().toString());

    assertEquals(0, code);
    assertTrue(
        printed().contains("backup of the previous policy: s3://backups/111122223333/eu-west-1/"),
        printed());
  }

  @Test
  void remediate_primaryKey_exitsOneWithRefused() {
    KeyMetadata primary = kms("eu-west-1").createKey(r -> r.multiRegion(true)).keyMetadata();

    int code =
        run("--key-arn", primary.arn(), "--apply", "--endpoint-url", server.endpoint().toString());

    assertEquals(1, code);
    assertTrue(
        printed().lines().reduce((a, b) -> b).orElseThrow().startsWith("REFUSED: "), printed());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--apply false | false",
        "--apply=false | false",
        "--apply no | no",
        "--apply=0 | 0"
      })
  void remediate_applyGivenAValue_exitsTwoNamingTheSwitchAndWritesNothing(
      String apply, String value) {
    KeyMetadata replica = driftedReplica();
    String[] args =
        ("--key-arn " + replica.arn() + " " + apply + " --endpoint-url " + server.endpoint())
            .split(" ");

    int code = run(args);

    assertEquals(2, code);
    assertEquals(
        "error: --apply is a switch and takes no value, but was given '" + value + "'\n",
        err.toString(StandardCharsets.UTF_8));
    assertEquals("", printed());
    assertEquals(PARTNER, policy(replica));
    assertEquals(0, server.calls().count("kms", "PutKeyPolicy"));
  }

  @Test
  void remediate_deviceAsBaseline_exitsTwoAndWritesNothing() {
    assumeTrue(Files.exists(Path.of("/dev/zero")));
    KeyMetadata replica = driftedReplica();

    int code =
        run(
            "--key-arn",
            replica.arn(),
            "--apply",
            "--baseline",
            "/dev/zero",
            "--endpoint-url",
            server.endpoint().toString());

    assertEquals(2, code);
    assertEquals(
        "error: --baseline: cannot read '/dev/zero': not a regular file (a device, FIFO or"
            + " socket); give a baseline file\n",
        err.toString(StandardCharsets.UTF_8));
    assertEquals(PARTNER, policy(replica));
  }

  @Test
  void remediate_deviceAsBackup_isRefusedNamingIt() {
    assumeTrue(Files.exists(Path.of("/dev/zero")));
    KeyMetadata replica = driftedReplica();

    int code =
        run(
            "--key-arn",
            replica.arn(),
            "--restore",
            "/dev/zero",
            "--endpoint-url",
            server.endpoint().toString());

    assertEquals(1, code);
    assertTrue(
        printed()
            .endsWith(
                "--restore: cannot read '/dev/zero': not a regular file (a device, FIFO or"
                    + " socket); give a policy backup file\n"),
        printed());
    assertTrue(
        printed().lines().reduce((a, b) -> b).orElseThrow().startsWith("REFUSED: "), printed());
    assertEquals(PARTNER, policy(replica));
  }

  @Test
  void remediate_notAKeyArn_exitsTwo() {
    assertEquals(2, run("--key-arn", "mrk-1234", "--endpoint-url", server.endpoint().toString()));
  }
}
