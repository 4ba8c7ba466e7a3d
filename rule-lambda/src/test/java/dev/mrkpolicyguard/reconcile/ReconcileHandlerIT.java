package dev.mrkpolicyguard.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.localaws.config.OrganizationPacks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.retries.DefaultRetryStrategy;

/**
 * The reconcile handler over real HTTP against the stand-in's Organizations and Lambda: an
 * organisation of three accounts (the central one, one new, one suspended) and the alias's policy
 * as the stack and an earlier run left it.
 */
class ReconcileHandlerIT {
  private static final String CENTRAL = "111122223333";
  private static final String NEW = "444455556666";
  private static final String SUSPENDED = "555566667777";
  private static final String ALIAS =
      "arn:aws:lambda:eu-west-1:" + CENTRAL + ":function:mrk-policy-guard-rule:live";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final LocalAwsServer server =
      LocalAwsServer.builder().lambdaFunction("mrk-policy-guard-rule", "live").build().start();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final SdkClientFactory clients =
      new SdkClientFactory(
          "eu-west-1",
          server.endpoint(),
          StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")),
          () -> DefaultRetryStrategy.doNotRetry());

  @AfterEach
  void stop() {
    server.stop();
  }

  private ReconcileHandler handler() {
    return handler("");
  }

  private ReconcileHandler handler(String pack) {
    return new ReconcileHandler(
        clients,
        server.endpoint(),
        ALIAS,
        pack,
        pack.isEmpty()
            ? ""
            : "s3://mrk-policy-guard-packs-eu-west-1/mrk-policy-guard-detection-pack.yaml",
        Clock.systemUTC(),
        new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  private void seed() {
    server.organizations().addAccount(CENTRAL, "central", "ACTIVE");
    server.organizations().addAccount(NEW, "new", "ACTIVE");
    server.organizations().addAccount(SUSPENDED, "closed", "SUSPENDED");
    var lambda = clients.lambda("eu-west-1", clients.ownCredentials());
    // What the stack's AWS::Lambda::Permission and an earlier run left.
    lambda.addPermission(
        r ->
            r.functionName("mrk-policy-guard-rule")
                .qualifier("live")
                .statementId("mrk-policy-guard-RuleConfigPermission-AbC123")
                .action("lambda:InvokeFunction")
                .principal("config.amazonaws.com")
                .sourceAccount(CENTRAL));
    lambda.addPermission(
        r ->
            r.functionName("mrk-policy-guard-rule")
                .qualifier("live")
                .statementId("config-" + SUSPENDED)
                .action("lambda:InvokeFunction")
                .principal("config.amazonaws.com")
                .sourceAccount(SUSPENDED));
  }

  private List<String> statementIds() throws Exception {
    String policy =
        server.lambda().policy(CENTRAL, "eu-west-1", "mrk-policy-guard-rule", "live").orElseThrow();
    List<String> ids = new ArrayList<>();
    for (JsonNode s : MAPPER.readTree(policy).path("Statement")) {
      ids.add(s.path("Sid").asText());
    }
    return ids;
  }

  @Test
  void handleRequest_threeAccounts_newAddedSuspendedRemovedStacksKept() throws Exception {
    seed();
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    handler().handleRequest(new ByteArrayInputStream("{}".getBytes()), out, null);

    assertEquals(
        List.of("mrk-policy-guard-RuleConfigPermission-AbC123", "config-" + NEW), statementIds());
    String policy =
        server.lambda().policy(CENTRAL, "eu-west-1", "mrk-policy-guard-rule", "live").orElseThrow();
    JsonNode added = MAPPER.readTree(policy).at("/Statement/1");
    assertEquals("config.amazonaws.com", added.at("/Principal/Service").asText());
    assertEquals(NEW, added.at("/Condition/StringEquals/AWS:SourceAccount").asText());
    assertEquals(ALIAS, added.path("Resource").asText());
    JsonNode answer = MAPPER.readTree(out.toByteArray());
    assertEquals(List.of(NEW), strings(answer.path("added")));
    assertEquals(List.of("config-" + SUSPENDED), strings(answer.path("removed")));
    assertEquals(2, answer.path("activeAccounts").asInt());
    // One line per run, the same object.
    String[] lines = log.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertEquals(1, lines.length);
    assertEquals(answer, MAPPER.readTree(lines[0]));
  }

  @Test
  void run_secondTime_changesNothing() throws Exception {
    seed();
    handler().run("first");
    long adds = server.calls().count("lambda", "AddPermission");

    ObjectNode second = handler().run("second");

    assertEquals(adds, server.calls().count("lambda", "AddPermission"));
    assertEquals(0, second.path("PermissionsAdded").asInt());
    assertEquals(0, second.path("PermissionsRemoved").asInt());
    assertEquals(2, statementIds().size());
  }

  @Test
  void run_manyAccounts_stopsAtTheLimitAndReportsTheRest() throws Exception {
    server.organizations().addAccount(CENTRAL, "central", "ACTIVE");
    for (int i = 0; i < 120; i++) {
      server.organizations().addAccount(String.format("20000000%04d", i), "a" + i, "ACTIVE");
    }

    ObjectNode line = handler().run("full");

    int added = line.path("PermissionsAdded").asInt();
    int leftOut = line.path("AccountsLeftOut").asInt();
    assertEquals(121, added + leftOut);
    assertTrue(leftOut > 0 && added > 50, line.toString());
    assertEquals("WARN", line.path("level").asText());
    String policy =
        server.lambda().policy(CENTRAL, "eu-west-1", "mrk-policy-guard-rule", "live").orElseThrow();
    assertTrue(policy.getBytes(StandardCharsets.UTF_8).length <= 20 * 1024);
    // The plan never asked for one Lambda would refuse.
    assertEquals((long) added, server.calls().count("lambda", "AddPermission"));
  }

  @Test
  void handleRequest_listAccountsDenied_failsAfterItsLineAndChangesNothing() throws Exception {
    seed();
    server.faults().add("organizations:ListAccounts:error=AccessDeniedException");

    assertThrows(
        IllegalStateException.class,
        () ->
            handler()
                .handleRequest(
                    new ByteArrayInputStream("{}".getBytes()), new ByteArrayOutputStream(), null));

    assertEquals(2, statementIds().size());
    JsonNode line = MAPPER.readTree(log.toString(StandardCharsets.UTF_8).strip());
    assertEquals("ERROR", line.path("level").asText());
    assertTrue(line.at("/failures/0").asText().contains("AccessDeniedException"), line.toString());
  }

  @Test
  void run_packFailedInTheNewAccount_logsItAndTheRePutCommand() throws Exception {
    seed();
    server
        .config()
        .organizationPacks()
        .put(
            CENTRAL,
            "eu-west-1",
            new OrganizationPacks.Pack(
                "mrk-policy-guard",
                List.of("999999999999"),
                Map.of("RuleFunctionArn", ALIAS, "ExecutionRoleName", "mrk-policy-guard-member"),
                Optional.empty()));
    server
        .config()
        .organizationPacks()
        .status(CENTRAL, "eu-west-1", "mrk-policy-guard", CENTRAL, "CREATE_SUCCESSFUL", null, null);
    server
        .config()
        .organizationPacks()
        .status(
            CENTRAL,
            "eu-west-1",
            "mrk-policy-guard",
            NEW,
            "CREATE_FAILED",
            "InsufficientPermissionsException",
            "The AWS Lambda function cannot be invoked.");

    ObjectNode line = handler("mrk-policy-guard").run("pack");

    assertEquals(1, line.path("PackFailedAccounts").asInt());
    assertEquals("WARN", line.path("level").asText());
    assertTrue(line.at("/packFailedAccounts/0").asText().startsWith(NEW + " CREATE_FAILED"));
    String command = line.path("packRePut").asText();
    assertTrue(
        command.startsWith(
            "aws configservice put-organization-conformance-pack --region eu-west-1"
                + " --organization-conformance-pack-name mrk-policy-guard --template-s3-uri"
                + " s3://mrk-policy-guard-packs-eu-west-1/mrk-policy-guard-detection-pack.yaml"
                + " --excluded-accounts 999999999999 --conformance-pack-input-parameters '["),
        command);
    assertTrue(
        command.contains(
            "{\"ParameterName\":\"RuleFunctionArn\",\"ParameterValue\":\"" + ALIAS + "\"}"),
        command);
    assertEquals(1, server.calls().count("config", "GetOrganizationConformancePackDetailedStatus"));
    assertEquals(1, server.calls().count("config", "DescribeOrganizationConformancePacks"));
    // The new account's permission is in place before anyone re-puts the pack.
    assertTrue(statementIds().contains("config-" + NEW));
  }

  @Test
  void run_noSuchPack_reportedAsAFailure() throws Exception {
    seed();

    ObjectNode line = handler("mrk-policy-guard").run("nopack");

    assertEquals(1, line.path("Errors").asInt());
    assertTrue(
        line.at("/failures/0").asText().contains("NoSuchOrganizationConformancePackException"),
        line.toString());
    assertTrue(statementIds().contains("config-" + NEW));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }
}
