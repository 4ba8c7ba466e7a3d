package dev.mrkpolicyguard.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.cli.CommandRun;
import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.localaws.fault.FaultEffect;
import dev.mrkpolicyguard.localaws.fault.FaultRule;
import dev.mrkpolicyguard.localaws.kms.PermissiveLockoutCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
 * {@code audit --accounts} and {@code export --accounts} against the local stand-in: three
 * accounts, each with keys in two Regions, read through a role assumed in each (the stand-in's STS
 * issues sessions whose calls see that account's keys).
 */
class MultiAccountAuditIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> ACCOUNTS =
      List.of("111122223333", "444455556666", "777788889999");
  private static final String REGIONS = "us-east-1,eu-west-1";
  private static final String ROLE = "mrk-policy-guard-audit";

  private final LocalAwsServer server =
      LocalAwsServer.builder()
          .lockoutCheck(PermissiveLockoutCheck.INSTANCE)
          .accessKeyAccount("AKIDSEED444455556666", "444455556666")
          .accessKeyAccount("AKIDSEED777788889999", "777788889999")
          .build()
          .start();

  /** Every key ARN seeded, over all accounts and Regions. */
  private final Set<String> seeded = new TreeSet<>();

  @TempDir Path dir;

  @BeforeEach
  void seedThreeAccountsInTwoRegions() {
    for (String account : ACCOUNTS) {
      String accessKey = account.equals("111122223333") ? "AKIDEXAMPLE" : "AKIDSEED" + account;
      KmsClient east = kms(accessKey, "us-east-1");
      String primary = east.createKey(r -> r.multiRegion(true)).keyMetadata().arn();
      seeded.add(primary);
      seeded.add(
          east.replicateKey(r -> r.keyId(primary).replicaRegion("eu-west-1"))
              .replicaKeyMetadata()
              .arn());
      seeded.add(
          kms(accessKey, "eu-west-1").createKey(r -> r.multiRegion(false)).keyMetadata().arn());
    }
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void audit_threeAccountsTwoRegions_listsEveryKeyOnce() throws IOException {
    CommandRun run = audit("--format", "json");

    assertEquals(0, run.exit(), run.err());
    JsonNode report = JSON.readTree(run.out());
    List<String> arns = keyArns(report);
    assertEquals(seeded, new TreeSet<>(arns));
    assertEquals(seeded.size(), arns.size(), arns.toString());
    assertEquals(3, report.at("/organization/accountsRead").asInt());
    assertEquals(9, report.at("/organization/summary/keys").asInt());
  }

  @Test
  void audit_roleCannotBeAssumedInOneAccount_reportsItAndExitsPartial() throws IOException {
    denyAssumeRole("444455556666");

    CommandRun run = audit("--format", "json");

    assertEquals(4, run.exit(), run.err());
    JsonNode report = JSON.readTree(run.out());
    assertEquals("444455556666", report.at("/unreadAccounts/0/account").asText());
    assertTrue(report.at("/unreadAccounts/0/reason").asText().contains("AccessDenied"), run.out());
    assertEquals(3, report.get("accounts").size());
    assertEquals(6, keyArns(report).size());
    assertTrue(run.err().contains("could not read account 444455556666"), run.err());
  }

  @Test
  void audit_table_showsASectionPerAccountAndTheOrganisation() {
    denyAssumeRole("777788889999");

    CommandRun run = audit();

    assertEquals(4, run.exit(), run.err());
    for (String account : ACCOUNTS) {
      assertTrue(run.out().contains("== Account " + account + " =="), run.out());
    }
    assertTrue(run.out().contains("3 accounts: 2 read, 1 could not be read."), run.out());
    assertTrue(run.out().contains("  777788889999: cannot assume arn:aws:iam::777788889999:role/"));
    assertTrue(run.err().contains("progress: 3/3 accounts read"), run.err());
  }

  @Test
  void audit_html_hasASectionPerAccountWithUniqueIds() {
    CommandRun run = audit("--format", "html");

    assertEquals(0, run.exit(), run.err());
    for (String account : ACCOUNTS) {
      assertTrue(run.out().contains("<section id=\"account-" + account + "\">"), account);
      assertTrue(run.out().contains("id=\"a" + account + "-summary\""), account);
    }
    assertFalse(run.out().contains("id=\"summary\""));
  }

  @Test
  void export_threeAccounts_writesOneSnapshotPerAccountThatAuditsAlike() throws IOException {
    denyAssumeRole("777788889999");

    CommandRun export =
        CommandRun.of(
            new ExportCommand(this::connect)::run,
            "--regions",
            REGIONS,
            "--accounts",
            String.join(",", ACCOUNTS),
            "--role-name",
            ROLE,
            "--output-dir",
            dir.toString());

    assertEquals(4, export.exit(), export.err());
    assertTrue(Files.exists(dir.resolve("111122223333.json")));
    assertTrue(Files.exists(dir.resolve("444455556666.json")));
    assertFalse(Files.exists(dir.resolve("777788889999.json")));
    CommandRun saved =
        CommandRun.of(
            new AuditCommand(this::connect)::run,
            "--snapshot",
            dir.resolve("444455556666.json").toString(),
            "--format",
            "json");
    assertEquals(3, JSON.readTree(saved.out()).get("keys").size(), saved.err());
    assertTrue(export.err().contains("could not read account 777788889999"), export.err());
  }

  @Test
  void audit_accountsWithoutRoleName_isAUsageError() {
    CommandRun run =
        CommandRun.of(
            new AuditCommand(this::connect)::run,
            "--regions",
            REGIONS,
            "--accounts",
            "111122223333");

    assertEquals(2, run.exit());
    assertTrue(run.err().contains("--accounts needs --role-name"), run.err());
  }

  @Test
  void audit_organization_auditsEveryActiveAccountAndNamesTheOthers() throws IOException {
    seedOrganization();

    CommandRun run = organizationAudit("--format", "json");

    assertEquals(0, run.exit(), run.err());
    JsonNode report = JSON.readTree(run.out());
    List<String> arns = keyArns(report);
    assertEquals(seeded, new TreeSet<>(arns));
    assertEquals(seeded.size(), arns.size(), arns.toString());
    assertEquals(3, report.get("accounts").size());
    assertEquals(1, server.calls().count("organizations", "ListAccounts"));
    assertTrue(
        run.err()
            .contains(
                "organization: 3 ACTIVE accounts to audit; not ACTIVE, not audited:"
                    + " 222233334444 (SUSPENDED)"),
        run.err());
  }

  @Test
  void audit_organizationRoleCannotBeAssumedInOneAccount_reportsItAndExitsPartial()
      throws IOException {
    seedOrganization();
    denyAssumeRole("777788889999");

    CommandRun run = organizationAudit("--format", "json");

    assertEquals(4, run.exit(), run.err());
    JsonNode report = JSON.readTree(run.out());
    assertEquals("777788889999", report.at("/unreadAccounts/0/account").asText());
    assertEquals(6, keyArns(report).size());
  }

  @Test
  void audit_organizationListingDenied_exitsTwoWithOneLine() {
    seedOrganization();
    server.faults().add("organizations:ListAccounts:error=AccessDeniedException");

    CommandRun run = organizationAudit();

    assertEquals(2, run.exit());
    assertEquals("", run.out());
    assertTrue(
        run.err()
            .contains(
                "cannot list the organization's accounts with"
                    + " organizations:ListAccounts (AccessDeniedException)"),
        run.err());
    assertFalse(run.err().contains("\tat "), run.err());
  }

  @Test
  void audit_organizationWithAccounts_isAUsageError() {
    CommandRun run =
        CommandRun.of(
            new AuditCommand(this::connect)::run,
            "--regions",
            REGIONS,
            "--organization",
            "--accounts",
            "111122223333",
            "--role-name",
            ROLE);

    assertEquals(2, run.exit());
    assertTrue(run.err().contains("--accounts and --organization cannot be used together"));
  }

  private void seedOrganization() {
    server.organizations().addAccount("111122223333", "management", "ACTIVE");
    server.organizations().addAccount("222233334444", "closed one", "SUSPENDED");
    server.organizations().addAccount("444455556666", "workloads", "ACTIVE");
    server.organizations().addAccount("777788889999", "security", "ACTIVE");
  }

  private CommandRun organizationAudit(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--regions",
                REGIONS,
                "--endpoint-url",
                server.endpoint().toString(),
                "--organization",
                "--role-name",
                ROLE));
    args.addAll(List.of(extra));
    return CommandRun.of(new AuditCommand(this::connect)::run, args.toArray(String[]::new));
  }

  private void denyAssumeRole(String account) {
    String roleArn = "arn:aws:iam::" + account + ":role/" + ROLE;
    server
        .faults()
        .add(
            new FaultRule(
                "sts",
                "AssumeRole",
                null,
                roleArn,
                1.0,
                new FaultEffect.Error(
                    "AccessDenied",
                    403,
                    "User: arn:aws:iam::111122223333:root is not authorized to perform:"
                        + " sts:AssumeRole on resource: "
                        + roleArn)));
  }

  private static List<String> keyArns(JsonNode report) {
    List<String> arns = new ArrayList<>();
    for (JsonNode account : report.get("accounts")) {
      for (JsonNode key : account.path("report").path("keys")) {
        arns.add(key.get("keyArn").asText());
      }
    }
    return arns;
  }

  private CommandRun audit(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--regions",
                REGIONS,
                "--accounts",
                String.join(",", ACCOUNTS),
                "--role-name",
                ROLE));
    args.addAll(List.of(extra));
    return CommandRun.of(new AuditCommand(this::connect)::run, args.toArray(String[]::new));
  }

  private KmsClient kms(String accessKey, String region) {
    return KmsClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.of(region))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "x")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** Clients for the stand-in as the caller of account 111122223333, quick retries. */
  private SdkClientFactory connect(LiveOptions options) {
    return new SdkClientFactory(
        options.homeRegion(),
        server.endpoint(),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")),
        () ->
            AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(3)
                .backoffStrategy(
                    BackoffStrategy.exponentialDelay(Duration.ofMillis(2), Duration.ofMillis(20)))
                .throttlingBackoffStrategy(
                    BackoffStrategy.exponentialDelay(Duration.ofMillis(2), Duration.ofMillis(20)))
                .build());
  }
}
