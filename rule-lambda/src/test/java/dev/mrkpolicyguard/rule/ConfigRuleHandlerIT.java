package dev.mrkpolicyguard.rule;

import static dev.mrkpolicyguard.rule.RuleFixture.ACCOUNT;
import static dev.mrkpolicyguard.rule.RuleFixture.HOME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.core.KeyNotEvaluatedException;
import dev.mrkpolicyguard.localaws.config.StoredEvaluation;
import dev.mrkpolicyguard.localaws.fault.FaultRule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** The handler on change-triggered events, against the local stand-in through the real SDK. */
class ConfigRuleHandlerIT {
  private static final Instant CAPTURED = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  private final RuleFixture fixture = new RuleFixture();

  @AfterEach
  void stop() {
    fixture.close();
  }

  private KeyMetadata replicaOf(String policy) {
    KeyMetadata primary = fixture.primary("us-east-1");
    return fixture.replica(primary.arn(), HOME, policy);
  }

  @Test
  void handleRequest_changeForMatchingReplica_postsCompliantAtCaptureTime() {
    KeyMetadata replica = replicaOf(RuleFixture.defaultPolicy(ACCOUNT));

    fixture.invoke(RuleFixture.change(RuleFixture.configurationItem(replica, "OK", CAPTURED)));

    StoredEvaluation stored = fixture.stored().get(0);
    assertEquals(1, fixture.stored().size());
    assertEquals(replica.keyId(), stored.resourceId());
    assertEquals("COMPLIANT", stored.complianceType());
    assertEquals(CAPTURED, stored.orderingTimestamp());
  }

  @Test
  void handleRequest_changeForDriftedReplica_postsNonCompliantAndLogsTheWitness() {
    KeyMetadata replica = replicaOf(RuleFixture.partnerDecryptPolicy(ACCOUNT));

    fixture.invoke(RuleFixture.change(RuleFixture.configurationItem(replica, "OK", CAPTURED)));

    StoredEvaluation stored = fixture.stored().get(0);
    assertEquals("NON_COMPLIANT", stored.complianceType());
    assertTrue(stored.annotation().contains("444455556666"), stored.annotation());
    JsonNode line = fixture.logLines().get(0);
    assertEquals("req-1", line.get("requestId").asText());
    assertEquals(replica.arn(), line.get("keyArn").asText());
    assertEquals(HOME, line.get("region").asText());
    assertEquals("REPLICA_GRANTS_MORE", line.at("/findings/0").asText());
    // The account's root delegates to its identities: the witness is one of them.
    assertEquals(
        "arn:aws:iam::444455556666:role/ExampleRole",
        line.at("/details/0/differences/0/witness/principal").asText());
    assertEquals("kms:Decrypt", line.at("/details/0/differences/0/witness/action").asText());
  }

  @Test
  void handleRequest_replicaInEuWest1_readsPrimaryPolicyInUsEast1() {
    KeyMetadata replica = replicaOf(RuleFixture.defaultPolicy(ACCOUNT));
    fixture.server.calls().snapshot();

    fixture.invoke(RuleFixture.change(RuleFixture.configurationItem(replica, "OK", CAPTURED)));

    assertEquals(1, fixture.server.calls().count("kms", "GetKeyPolicy", "us-east-1"));
    assertEquals(1, fixture.server.calls().count("kms", "GetKeyPolicy", HOME));
    assertEquals(1, fixture.server.calls().count("kms", "DescribeKey", HOME));
  }

  @Test
  void handleRequest_oversizedChange_fetchesTheItemAndEvaluatesIt() {
    KeyMetadata replica = replicaOf(RuleFixture.defaultPolicy(ACCOUNT));
    ObjectNode summary = RuleFixture.configurationItem(replica, "OK", Instant.now());
    summary.remove("configuration");
    summary.remove("supplementaryConfiguration");

    fixture.invoke(RuleFixture.oversized(summary));

    assertEquals(1, fixture.server.calls().count("config", "GetResourceConfigHistory", HOME));
    assertEquals("COMPLIANT", fixture.stored().get(0).complianceType());
    assertEquals(replica.keyId(), fixture.stored().get(0).resourceId());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ResourceDeleted", "ResourceDeletedNotRecorded", "ResourceNotRecorded"})
  void handleRequest_itemNoLongerRecorded_postsNotApplicableWithoutKmsCalls(String status) {
    KeyMetadata replica = replicaOf(RuleFixture.defaultPolicy(ACCOUNT));
    long kmsCallsBefore = fixture.server.calls().count("kms", "DescribeKey");

    fixture.invoke(RuleFixture.change(RuleFixture.configurationItem(replica, status, CAPTURED)));

    assertEquals("NOT_APPLICABLE", fixture.stored().get(0).complianceType());
    assertTrue(fixture.stored().get(0).annotation().contains(status));
    assertEquals(kmsCallsBefore, fixture.server.calls().count("kms", "DescribeKey"));
  }

  @Test
  void handleRequest_eventLeftScope_postsNotApplicable() {
    KeyMetadata replica = replicaOf(RuleFixture.partnerDecryptPolicy(ACCOUNT));
    ObjectNode event = RuleFixture.change(RuleFixture.configurationItem(replica, "OK", CAPTURED));
    event.put("eventLeftScope", true);

    fixture.invoke(event);

    assertEquals("NOT_APPLICABLE", fixture.stored().get(0).complianceType());
    assertEquals("The key is no longer in the rule's scope.", fixture.stored().get(0).annotation());
  }

  @Test
  void handleRequest_singleRegionKeyChange_postsNotApplicableWithoutDescribeKey() {
    KeyMetadata key = fixture.singleRegion(HOME);

    fixture.invoke(RuleFixture.change(RuleFixture.configurationItem(key, "OK", CAPTURED)));

    assertEquals("NOT_APPLICABLE", fixture.stored().get(0).complianceType());
    assertEquals(0, fixture.server.calls().count("kms", "DescribeKey"));
  }

  @Test
  void handleRequest_unreadablePrimary_postsNonCompliantNamingThePermission() {
    KeyMetadata primary = fixture.primary("us-east-1");
    KeyMetadata replica = fixture.replica(primary.arn(), HOME, RuleFixture.defaultPolicy(ACCOUNT));
    fixture
        .server
        .faults()
        .add(
            FaultRule.errorFor("kms", "GetKeyPolicy", primary.arn(), "AccessDeniedException")
                .inRegion("us-east-1"));

    fixture.invoke(RuleFixture.change(RuleFixture.configurationItem(replica, "OK", CAPTURED)));

    StoredEvaluation stored = fixture.stored().get(0);
    assertEquals("NON_COMPLIANT", stored.complianceType());
    assertTrue(
        stored
            .annotation()
            .startsWith(
                "Cannot read the primary's policy (us-east-1): kms:GetKeyPolicy denied to the"
                    + " rule's role; the key policy must allow it"),
        stored.annotation());
    assertTrue(stored.annotation().contains("an SCP fencing Regions"), stored.annotation());
    assertEquals("PRIMARY_POLICY_UNREADABLE", fixture.logLines().get(0).at("/findings/0").asText());
  }

  @Test
  void handleRequest_changeForKeyWhoseDescribeKeyIsDenied_postsNonCompliantKeyUnreadable() {
    KeyMetadata replica = replicaOf(RuleFixture.defaultPolicy(ACCOUNT));
    fixture
        .server
        .faults()
        .add(
            FaultRule.errorFor("kms", "DescribeKey", replica.keyId(), "AccessDeniedException")
                .inRegion(HOME));

    fixture.invoke(RuleFixture.change(RuleFixture.configurationItem(replica, "OK", CAPTURED)));

    StoredEvaluation stored = fixture.stored().get(0);
    assertEquals(replica.keyId(), stored.resourceId());
    assertEquals("NON_COMPLIANT", stored.complianceType());
    assertTrue(
        stored
            .annotation()
            .startsWith(
                "Cannot read this key: kms:DescribeKey denied to the rule's role; the key policy"
                    + " must allow it (or delegate to IAM), and an SCP fencing Regions can also"
                    + " deny it"),
        stored.annotation());
    assertTrue(stored.annotation().endsWith("Details: log key " + replica.keyId()));
    JsonNode line = fixture.logLines().get(0);
    assertEquals("KEY_UNREADABLE", line.at("/findings/0").asText());
    assertTrue(line.at("/details/0/summary").asText().contains("Injected fault"), "" + line);
    assertEquals(1, fixture.lastMetrics().get("NonCompliant").asInt());
    assertEquals(0, fixture.lastMetrics().get("Errors").asInt());
  }

  @Test
  void handleRequest_changeForKeyWhosePolicyIsDenied_postsNonCompliantPolicyUnreadable() {
    KeyMetadata replica = replicaOf(RuleFixture.defaultPolicy(ACCOUNT));
    fixture
        .server
        .faults()
        .add(
            FaultRule.errorFor("kms", "GetKeyPolicy", replica.keyId(), "AccessDeniedException")
                .inRegion(HOME));

    fixture.invoke(RuleFixture.change(RuleFixture.configurationItem(replica, "OK", CAPTURED)));

    StoredEvaluation stored = fixture.stored().get(0);
    assertEquals("NON_COMPLIANT", stored.complianceType());
    assertTrue(
        stored
            .annotation()
            .startsWith(
                "Cannot read this key's policy: kms:GetKeyPolicy denied to the rule's role"),
        stored.annotation());
    assertEquals("POLICY_UNREADABLE", fixture.logLines().get(0).at("/findings/0").asText());
  }

  @Test
  void handleRequest_changeWithDescribeKeyThrottledBeyondRetries_postsNothingAndFails() {
    KeyMetadata replica = replicaOf(RuleFixture.partnerDecryptPolicy(ACCOUNT));
    fixture
        .server
        .faults()
        .add(
            FaultRule.errorFor("kms", "DescribeKey", replica.keyId(), "ThrottlingException")
                .inRegion(HOME));
    ObjectNode event = RuleFixture.change(RuleFixture.configurationItem(replica, "OK", CAPTURED));

    // Failing the invocation hands the event to Lambda's retries; nothing false is posted.
    assertThrows(
        KeyNotEvaluatedException.class,
        () -> fixture.invoke(fixture.fewRetriesHandler(HOME), event));

    assertEquals(0, fixture.server.calls().count("config", "PutEvaluations"));
    JsonNode line = fixture.logLines().get(0);
    assertEquals("ERROR", line.get("level").asText());
    assertEquals("key not evaluated; its previous evaluation stands", line.get("message").asText());
    assertFalse(line.get("evaluated").asBoolean());
    assertEquals("DescribeKey", line.get("operation").asText());
    assertEquals("ThrottlingException", line.get("error").asText());
    assertEquals(1, fixture.lastMetrics().get("KeysNotEvaluated").asInt());
    assertEquals(1, fixture.lastMetrics().get("Errors").asInt());
  }

  @Test
  void handleRequest_changeWithPrimaryPolicyServerErrorBeyondRetries_postsNothing() {
    KeyMetadata primary = fixture.primary("us-east-1");
    KeyMetadata replica = fixture.replica(primary.arn(), HOME, RuleFixture.defaultPolicy(ACCOUNT));
    fixture
        .server
        .faults()
        .add("kms:GetKeyPolicy:http503=1,region=us-east-1,key=" + primary.keyId());
    ObjectNode event = RuleFixture.change(RuleFixture.configurationItem(replica, "OK", CAPTURED));

    assertThrows(
        KeyNotEvaluatedException.class,
        () -> fixture.invoke(fixture.fewRetriesHandler(HOME), event));

    assertEquals(0, fixture.server.calls().count("config", "PutEvaluations"));
    assertEquals("GetKeyPolicy", fixture.logLines().get(0).get("operation").asText());
    assertEquals(1, fixture.lastMetrics().get("KeysNotEvaluated").asInt());
  }

  @Test
  void handleRequest_testModeToken_postsWithTestModeAndStoresNothing() {
    KeyMetadata replica = replicaOf(RuleFixture.defaultPolicy(ACCOUNT));
    ObjectNode event = RuleFixture.change(RuleFixture.configurationItem(replica, "OK", CAPTURED));
    event.put("resultToken", "TESTMODE");

    JsonNode posted = fixture.invoke(event);

    assertEquals(1, fixture.server.calls().count("config", "PutEvaluations", HOME));
    assertEquals("COMPLIANT", posted.at("/0/ComplianceType").asText());
    assertTrue(fixture.stored().isEmpty());
  }

  @Test
  void handleRequest_invalidBaseline_failsNamingTheProblemAndPostsNothing() {
    KeyMetadata replica = replicaOf(RuleFixture.defaultPolicy(ACCOUNT));
    fixture
        .ssm(HOME)
        .putParameter(
            r ->
                r.name("/mrk/baseline")
                    .type(ParameterType.STRING)
                    .value("{\"version\":2,\"floor\":\"x\"}"));
    ObjectNode event = RuleFixture.change(RuleFixture.configurationItem(replica, "OK", CAPTURED));
    event.put("ruleParameters", "{\"BaselineParameterName\":\"/mrk/baseline\"}");

    RuleConfigurationException e =
        assertThrows(RuleConfigurationException.class, () -> fixture.invoke(event));

    assertTrue(e.getMessage().contains("'/mrk/baseline' is invalid"), e.getMessage());
    assertTrue(e.getMessage().contains("/version"), e.getMessage());
    assertEquals(0, fixture.server.calls().count("config", "PutEvaluations"));
  }

  @Test
  void handleRequest_missingBaselineParameter_failsNamingTheParameter() {
    ObjectNode event = RuleFixture.scheduled("{\"BaselineParameterName\":\"/mrk/none\"}");

    RuleConfigurationException e =
        assertThrows(RuleConfigurationException.class, () -> fixture.invoke(event));

    assertTrue(e.getMessage().contains("'/mrk/none'"), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    assertEquals(0, fixture.server.calls().count("config", "PutEvaluations"));
  }

  @Test
  void handleRequest_baselineCeilingOnAccounts_flagsTheReplicaGrantingAnotherAccount() {
    KeyMetadata primary = fixture.primary("us-east-1");
    fixture
        .kms("us-east-1")
        .putKeyPolicy(
            r -> r.keyId(primary.arn()).policy(RuleFixture.partnerDecryptPolicy(ACCOUNT)));
    KeyMetadata replica =
        fixture.replica(primary.arn(), HOME, RuleFixture.partnerDecryptPolicy(ACCOUNT));
    fixture
        .ssm(HOME)
        .putParameter(
            r ->
                r.name("/mrk/baseline")
                    .type(ParameterType.STRING)
                    .value("{\"version\":1,\"allowedAccounts\":[\"${AccountId}\"]}"));
    ObjectNode event = RuleFixture.change(RuleFixture.configurationItem(replica, "OK", CAPTURED));
    event.put("ruleParameters", "{\"BaselineParameterName\":\"/mrk/baseline\"}");

    fixture.invoke(event);

    assertEquals("NON_COMPLIANT", fixture.stored().get(0).complianceType());
    assertEquals("BASELINE_CEILING_EXCEEDED", fixture.logLines().get(0).at("/findings/0").asText());
  }

  @Test
  void handleRequest_unknownMessageType_failsClearly() {
    ObjectNode event = RuleFixture.scheduled("{}");
    event.put("invokingEvent", "{\"messageType\":\"ConfigurationSnapshotDeliveryCompleted\"}");

    RuleConfigurationException e =
        assertThrows(RuleConfigurationException.class, () -> fixture.invoke(event));

    assertTrue(e.getMessage().contains("unsupported messageType"), e.getMessage());
  }

  static Stream<Arguments> notEvents() {
    String prefix = "the input is not an AWS Config rule event: ";
    return Stream.of(
        Arguments.of("null", prefix + "it is JSON null, not an object"),
        Arguments.of("[]", prefix + "it is not a JSON object"),
        Arguments.of(
            "{\"eventLeftScope\": \"maybe\"}",
            prefix + "its field 'eventLeftScope' does not have the type Config sends"),
        Arguments.of("not json", prefix + "it is not JSON"));
  }

  @ParameterizedTest
  @MethodSource("notEvents")
  void handleRequest_notAnEvent_failsSayingWhy(String input, String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ConfigRuleHandler handler = fixture.handler();

    RuleConfigurationException e =
        assertThrows(
            RuleConfigurationException.class,
            () ->
                handler.handleRequest(
                    new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                    out,
                    RuleFixture.context("req-1")));

    assertEquals(message, e.getMessage());
  }

  @Test
  void handleRequest_captureTimeNotATime_failsNamingTheField() {
    ObjectNode event = RuleFixture.scheduled("{}");
    event.put(
        "invokingEvent",
        "{\"messageType\":\"ConfigurationItemChangeNotification\",\"configurationItem\":"
            + "{\"resourceType\":\"AWS::KMS::Key\",\"resourceId\":\"k\","
            + "\"configurationItemCaptureTime\":\"yesterday\"}}");

    RuleConfigurationException e =
        assertThrows(RuleConfigurationException.class, () -> fixture.invoke(event));

    assertEquals(
        "configurationItem's configurationItemCaptureTime 'yesterday' is not an ISO-8601 time"
            + " with an offset (e.g. 2026-11-28T12:00:00.000Z)",
        e.getMessage());
  }

  @Test
  void handleRequest_anyInvocation_writesOneMetricsLineWithCountsAndCalls() {
    KeyMetadata replica = replicaOf(RuleFixture.partnerDecryptPolicy(ACCOUNT));

    fixture.invoke(RuleFixture.change(RuleFixture.configurationItem(replica, "OK", CAPTURED)));

    JsonNode metrics = fixture.lastMetrics();
    assertEquals("MrkPolicyGuard", metrics.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
    assertEquals(1, metrics.get("KeysEvaluated").asInt());
    assertEquals(1, metrics.get("NonCompliant").asInt());
    assertEquals(0, metrics.get("Errors").asInt());
    assertEquals(2, metrics.get("ApiCalls.Kms.GetKeyPolicy").asInt());
    assertEquals(1, metrics.get("ApiCalls.Config.PutEvaluations").asInt());
    assertFalse(fixture.logBytes.toString().contains("SecretAccessKey"));
  }

  @Test
  void handleRequest_executionRoleName_assumesTheRoleInTheEventAccount() {
    String member = "444455556666";
    fixture.server.identities().mapAccessKeyToAccount("AKIDMEMBER", member);
    fixture.server.config().registerRule(member, HOME, RuleFixture.RULE, "member-token");
    KeyMetadata primary =
        fixture.kms("us-east-1", "AKIDMEMBER").createKey(r -> r.multiRegion(true)).keyMetadata();
    KeyMetadata replica =
        fixture
            .kms("us-east-1", "AKIDMEMBER")
            .replicateKey(r -> r.keyId(primary.arn()).replicaRegion(HOME))
            .replicaKeyMetadata();
    ObjectNode event =
        RuleFixture.scheduled("{\"ExecutionRoleName\":\"MrkPolicyGuardExecution\"}", member);
    event.put("resultToken", "member-token");

    fixture.invoke(event);

    assertEquals(1, fixture.server.calls().count("sts", "AssumeRole"));
    List<StoredEvaluation> stored = fixture.server.config().evaluations(member, HOME);
    assertEquals(1, stored.size());
    assertEquals(replica.keyId(), stored.get(0).resourceId());
    assertEquals("COMPLIANT", stored.get(0).complianceType());
    assertTrue(fixture.stored().isEmpty());
  }

  @Test
  void handleRequest_executionRoleNameWithBaseline_readsTheBaselineInTheFunctionsAccount() {
    String member = "444455556666";
    fixture.server.identities().mapAccessKeyToAccount("AKIDMEMBER", member);
    fixture.server.config().registerRule(member, HOME, RuleFixture.RULE, "member-token");
    KeyMetadata primary =
        fixture.kms("us-east-1", "AKIDMEMBER").createKey(r -> r.multiRegion(true)).keyMetadata();
    fixture
        .kms("us-east-1", "AKIDMEMBER")
        .replicateKey(r -> r.keyId(primary.arn()).replicaRegion(HOME));
    // Only the central (the function's own) account holds the baseline; the member has none.
    fixture
        .ssm(HOME)
        .putParameter(
            r ->
                r.name("/mrk/baseline")
                    .type(ParameterType.STRING)
                    .value("{\"version\":1,\"forbidPublicAccess\":true}"));
    ObjectNode event =
        RuleFixture.scheduled(
            "{\"ExecutionRoleName\":\"MrkPolicyGuardExecution\","
                + "\"BaselineParameterName\":\"/mrk/baseline\"}",
            member);
    event.put("resultToken", "member-token");

    fixture.invoke(event);

    assertEquals(1, fixture.server.calls().count("ssm", "GetParameter"));
    List<StoredEvaluation> stored = fixture.server.config().evaluations(member, HOME);
    assertEquals(1, stored.size());
    assertEquals("COMPLIANT", stored.get(0).complianceType());
  }

  @Test
  void handleRequest_serviceLinkedExecutionRoleArnWithoutRoleName_usesOwnCredentials() {
    replicaOf(RuleFixture.defaultPolicy(ACCOUNT));

    fixture.invoke(RuleFixture.scheduled("{}"));

    assertEquals(0, fixture.server.calls().count("sts", "AssumeRole"));
    assertEquals(1, fixture.stored().size());
  }
}
