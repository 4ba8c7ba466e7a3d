package dev.mrkpolicyguard.localaws.config;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.localaws.TestClients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.config.ConfigClient;
import software.amazon.awssdk.services.config.model.ComplianceType;
import software.amazon.awssdk.services.config.model.ConfigException;
import software.amazon.awssdk.services.config.model.ConfigRule;
import software.amazon.awssdk.services.config.model.ConfigurationItem;
import software.amazon.awssdk.services.config.model.Evaluation;
import software.amazon.awssdk.services.config.model.EvaluationResult;
import software.amazon.awssdk.services.config.model.GetComplianceDetailsByConfigRuleResponse;
import software.amazon.awssdk.services.config.model.InvalidParameterValueException;
import software.amazon.awssdk.services.config.model.InvalidResultTokenException;
import software.amazon.awssdk.services.config.model.LimitExceededException;
import software.amazon.awssdk.services.config.model.NoSuchConfigRuleException;
import software.amazon.awssdk.services.config.model.ResourceNotDiscoveredException;
import software.amazon.awssdk.services.config.model.ResourceType;
import software.amazon.awssdk.services.kms.KmsClient;

class ConfigServiceTest {
  private static final String ACCOUNT = "111122223333";
  private static final String RULE = "mrk-policy-drift";
  private static final String TOKEN = "token-1";
  private static final Instant ORDERING = Instant.parse("2026-11-28T10:00:00.250Z");
  private static LocalAwsServer server;
  private static ConfigClient config;
  private static KmsClient kms;

  @BeforeAll
  static void start() {
    server = LocalAwsServer.builder().build().start();
    config = TestClients.config(server, "eu-west-1");
    kms = TestClients.kms(server, "eu-west-1");
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.reset();
    server.config().registerRule(ACCOUNT, "eu-west-1", RULE, TOKEN);
  }

  private static Evaluation evaluation(String resourceId, ComplianceType type) {
    return Evaluation.builder()
        .complianceResourceType("AWS::KMS::Key")
        .complianceResourceId(resourceId)
        .complianceType(type)
        .annotation("annotation of " + resourceId)
        .orderingTimestamp(ORDERING)
        .build();
  }

  @Test
  void putEvaluations_validToken_storesEvaluationsReadableThroughJavaApi() {
    var response =
        config.putEvaluations(
            r ->
                r.resultToken(TOKEN)
                    .evaluations(evaluation("mrk-1", ComplianceType.NON_COMPLIANT)));
    assertEquals(List.of(), response.failedEvaluations());
    List<StoredEvaluation> stored = server.config().evaluations(ACCOUNT, "eu-west-1");
    assertEquals(1, stored.size());
    assertAll(
        () -> assertEquals(RULE, stored.get(0).configRuleName()),
        () -> assertEquals("mrk-1", stored.get(0).resourceId()),
        () -> assertEquals("NON_COMPLIANT", stored.get(0).complianceType()),
        () -> assertEquals(ORDERING, stored.get(0).orderingTimestamp()));
  }

  @Test
  void putEvaluations_otherRegion_isNotVisibleInRuleRegion() {
    ConfigClient east = TestClients.config(server, "us-east-1");
    server.config().registerRule(ACCOUNT, "us-east-1", RULE, "east-token");
    east.putEvaluations(
        r -> r.resultToken("east-token").evaluations(evaluation("k", ComplianceType.COMPLIANT)));
    assertEquals(List.of(), server.config().evaluations(ACCOUNT, "eu-west-1"));
    assertEquals(1, server.config().evaluations(ACCOUNT, "us-east-1").size());
  }

  @Test
  void putEvaluations_unknownToken_throwsInvalidResultToken() {
    assertThrows(
        InvalidResultTokenException.class,
        () ->
            config.putEvaluations(
                r -> r.resultToken("nope").evaluations(evaluation("k", ComplianceType.COMPLIANT))));
  }

  @Test
  void putEvaluations_tokenOfOtherRegion_throwsInvalidResultToken() {
    ConfigClient east = TestClients.config(server, "us-east-1");
    assertThrows(
        InvalidResultTokenException.class,
        () ->
            east.putEvaluations(
                r -> r.resultToken(TOKEN).evaluations(evaluation("k", ComplianceType.COMPLIANT))));
  }

  @Test
  void putEvaluations_insufficientData_throwsInvalidParameterValue() {
    assertThrows(
        InvalidParameterValueException.class,
        () ->
            config.putEvaluations(
                r ->
                    r.resultToken(TOKEN)
                        .evaluations(evaluation("k", ComplianceType.INSUFFICIENT_DATA))));
  }

  @Test
  void putEvaluations_101Evaluations_throwsValidationException() {
    List<Evaluation> many =
        IntStream.range(0, 101)
            .mapToObj(i -> evaluation("k" + i, ComplianceType.COMPLIANT))
            .toList();
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> config.putEvaluations(r -> r.resultToken(TOKEN).evaluations(many)));
    assertEquals("ValidationException", e.awsErrorDetails().errorCode());
  }

  @Test
  void putEvaluations_annotationOf257Characters_throwsValidationException() {
    Evaluation tooLong =
        evaluation("k", ComplianceType.COMPLIANT).toBuilder().annotation("a".repeat(257)).build();
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> config.putEvaluations(r -> r.resultToken(TOKEN).evaluations(tooLong)));
    assertEquals("ValidationException", e.awsErrorDetails().errorCode());
  }

  @Test
  void putEvaluations_testModeWithAnyToken_storesNothing() {
    config.putEvaluations(
        r ->
            r.resultToken("anything")
                .testMode(true)
                .evaluations(evaluation("k", ComplianceType.COMPLIANT)));
    assertEquals(List.of(), server.config().evaluations(ACCOUNT, "eu-west-1"));
  }

  @Test
  void putEvaluations_testModeMissingOrderingTimestamp_throwsValidationException() {
    Evaluation missing =
        evaluation("k", ComplianceType.COMPLIANT).toBuilder().orderingTimestamp(null).build();
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                config.putEvaluations(r -> r.resultToken("x").testMode(true).evaluations(missing)));
    assertEquals("ValidationException", e.awsErrorDetails().errorCode());
  }

  @Test
  void getComplianceDetailsByConfigRule_storedResult_hasModelShape() {
    config.putEvaluations(
        r -> r.resultToken(TOKEN).evaluations(evaluation("mrk-1", ComplianceType.NON_COMPLIANT)));
    EvaluationResult result =
        config
            .getComplianceDetailsByConfigRule(r -> r.configRuleName(RULE))
            .evaluationResults()
            .get(0);
    var qualifier = result.evaluationResultIdentifier().evaluationResultQualifier();
    assertAll(
        () -> assertEquals(RULE, qualifier.configRuleName()),
        () -> assertEquals("AWS::KMS::Key", qualifier.resourceType()),
        () -> assertEquals("mrk-1", qualifier.resourceId()),
        () -> assertEquals(ORDERING, result.evaluationResultIdentifier().orderingTimestamp()),
        () -> assertEquals(ComplianceType.NON_COMPLIANT, result.complianceType()),
        () -> assertEquals("annotation of mrk-1", result.annotation()),
        () -> assertTrue(result.resultRecordedTime().isAfter(Instant.now().minusSeconds(60))),
        () -> assertEquals(result.resultRecordedTime(), result.configRuleInvokedTime()));
  }

  @Test
  void getComplianceDetailsByConfigRule_laterEvaluation_replacesEarlierForSameResource() {
    config.putEvaluations(
        r -> r.resultToken(TOKEN).evaluations(evaluation("k", ComplianceType.NON_COMPLIANT)));
    Evaluation later =
        evaluation("k", ComplianceType.COMPLIANT).toBuilder()
            .orderingTimestamp(ORDERING.plusSeconds(60))
            .build();
    config.putEvaluations(r -> r.resultToken(TOKEN).evaluations(later));
    var results =
        config.getComplianceDetailsByConfigRule(r -> r.configRuleName(RULE)).evaluationResults();
    assertEquals(1, results.size());
    assertEquals(ComplianceType.COMPLIANT, results.get(0).complianceType());
    assertEquals(2, server.config().evaluations(ACCOUNT, "eu-west-1").size());
  }

  @Test
  void getComplianceDetailsByConfigRule_limitTwo_pagesWithNextToken() {
    List<Evaluation> five =
        IntStream.range(0, 5).mapToObj(i -> evaluation("k" + i, ComplianceType.COMPLIANT)).toList();
    config.putEvaluations(r -> r.resultToken(TOKEN).evaluations(five));
    List<String> ids = new ArrayList<>();
    String token = null;
    do {
      String current = token;
      GetComplianceDetailsByConfigRuleResponse page =
          config.getComplianceDetailsByConfigRule(
              r -> r.configRuleName(RULE).limit(2).nextToken(current));
      page.evaluationResults()
          .forEach(
              e ->
                  ids.add(e.evaluationResultIdentifier().evaluationResultQualifier().resourceId()));
      token = page.nextToken();
    } while (token != null);
    assertEquals(List.of("k0", "k1", "k2", "k3", "k4"), ids);
  }

  @Test
  void getComplianceDetailsByConfigRule_complianceTypeFilter_returnsOnlyMatching() {
    config.putEvaluations(
        r ->
            r.resultToken(TOKEN)
                .evaluations(
                    evaluation("good", ComplianceType.COMPLIANT),
                    evaluation("bad", ComplianceType.NON_COMPLIANT)));
    var results =
        config
            .getComplianceDetailsByConfigRule(
                r -> r.configRuleName(RULE).complianceTypes(ComplianceType.NON_COMPLIANT))
            .evaluationResults();
    assertEquals(
        List.of("bad"),
        results.stream()
            .map(e -> e.evaluationResultIdentifier().evaluationResultQualifier().resourceId())
            .toList());
  }

  @Test
  void getComplianceDetailsByConfigRule_unknownRule_throwsNoSuchConfigRule() {
    assertThrows(
        NoSuchConfigRuleException.class,
        () -> config.getComplianceDetailsByConfigRule(r -> r.configRuleName("other")));
  }

  @Test
  void getResourceConfigHistory_kmsKey_returnsItemWithPolicyFromKmsState() throws Exception {
    String keyId = kms.createKey(r -> r.multiRegion(true).description("d")).keyMetadata().keyId();
    String policy =
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
    kms.putKeyPolicy(r -> r.keyId(keyId).policy(policy));
    ConfigurationItem item =
        config
            .getResourceConfigHistory(
                r -> r.resourceType(ResourceType.AWS_KMS_KEY).resourceId(keyId).limit(1))
            .configurationItems()
            .get(0);
    JsonNode configuration = new ObjectMapper().readTree(item.configuration());
    assertAll(
        () -> assertEquals("arn:aws:kms:eu-west-1:111122223333:key/" + keyId, item.arn()),
        () -> assertEquals(ACCOUNT, item.accountId()),
        () -> assertEquals(keyId, item.resourceId()),
        () -> assertEquals(ResourceType.AWS_KMS_KEY, item.resourceType()),
        () -> assertEquals("eu-west-1", item.awsRegion()),
        () -> assertEquals("OK", item.configurationItemStatusAsString()),
        () -> assertEquals(policy, item.supplementaryConfiguration().get("Policy")),
        () -> assertEquals(keyId, configuration.get("keyId").asText()),
        () -> assertTrue(configuration.get("multiRegion").asBoolean()),
        () -> assertEquals("Enabled", configuration.get("keyState").asText()),
        () ->
            assertTrue(
                item.configurationItemCaptureTime().isAfter(Instant.now().minusSeconds(60))));
  }

  @Test
  void getResourceConfigHistory_laterTimeBeforeLastChange_returnsNoItems() {
    String keyId = kms.createKey(r -> r.description("d")).keyMetadata().keyId();
    var items =
        config
            .getResourceConfigHistory(
                r ->
                    r.resourceType(ResourceType.AWS_KMS_KEY)
                        .resourceId(keyId)
                        .laterTime(Instant.parse("2020-01-01T00:00:00Z")))
            .configurationItems();
    assertEquals(List.of(), items);
  }

  @Test
  void getResourceConfigHistory_unknownKey_throwsResourceNotDiscovered() {
    assertThrows(
        ResourceNotDiscoveredException.class,
        () ->
            config.getResourceConfigHistory(
                r -> r.resourceType(ResourceType.AWS_KMS_KEY).resourceId("mrk-0")));
  }

  @Test
  void startConfigRulesEvaluation_knownRule_isRecorded() {
    config.startConfigRulesEvaluation(r -> r.configRuleNames(RULE));
    assertEquals(List.of(List.of(RULE)), server.config().startedEvaluations(ACCOUNT, "eu-west-1"));
  }

  @Test
  void startConfigRulesEvaluation_unknownRule_throwsNoSuchConfigRule() {
    assertThrows(
        NoSuchConfigRuleException.class,
        () -> config.startConfigRulesEvaluation(r -> r.configRuleNames("x")));
    assertNull(
        server.config().startedEvaluations(ACCOUNT, "eu-west-1").stream().findFirst().orElse(null));
  }

  @Test
  void startConfigRulesEvaluation_againWithinAMinute_throwsLimitExceeded() {
    config.startConfigRulesEvaluation(r -> r.configRuleNames(RULE));
    server.advanceClock(Duration.ofSeconds(59));

    assertThrows(
        LimitExceededException.class,
        () -> config.startConfigRulesEvaluation(r -> r.configRuleNames(RULE)));
    assertEquals(1, server.config().startedEvaluations(ACCOUNT, "eu-west-1").size());
  }

  @Test
  void startConfigRulesEvaluation_aMinuteLater_isRecordedAgain() {
    config.startConfigRulesEvaluation(r -> r.configRuleNames(RULE));
    server.advanceClock(Duration.ofSeconds(60));

    config.startConfigRulesEvaluation(r -> r.configRuleNames(RULE));

    assertEquals(2, server.config().startedEvaluations(ACCOUNT, "eu-west-1").size());
  }

  @Test
  void startConfigRulesEvaluation_injectedLimitExceeded_isNotRecorded() {
    server
        .faults()
        .add("config:StartConfigRulesEvaluation:error=LimitExceededException,region=eu-west-1");

    assertThrows(
        LimitExceededException.class,
        () -> config.startConfigRulesEvaluation(r -> r.configRuleNames(RULE)));
    assertEquals(List.of(), server.config().startedEvaluations(ACCOUNT, "eu-west-1"));
  }

  @Test
  void describeConfigRules_noNames_listsTheRulesOfTheRegionOnly() {
    server.config().registerRule(ACCOUNT, "eu-west-1", RULE + "-conformance-pack-abcde1234", TOKEN);
    server.config().registerRule(ACCOUNT, "us-east-1", "elsewhere", TOKEN);

    List<ConfigRule> rules = config.describeConfigRules(r -> {}).configRules();

    assertEquals(
        List.of(RULE, RULE + "-conformance-pack-abcde1234"),
        rules.stream().map(ConfigRule::configRuleName).toList());
    assertTrue(
        rules
            .get(0)
            .configRuleArn()
            .matches(
                "arn:aws:config:eu-west-1:" + ACCOUNT + ":config-rule/config-rule-[0-9a-z]{6}"));
    assertEquals("CUSTOM_LAMBDA", rules.get(0).source().ownerAsString());
  }

  @Test
  void describeConfigRules_manyRules_pagesBy25() {
    IntStream.range(0, 30)
        .forEach(i -> server.config().registerRule(ACCOUNT, "eu-west-1", "rule-" + i, TOKEN));

    List<String> names = new ArrayList<>();
    config
        .describeConfigRulesPaginator(r -> {})
        .configRules()
        .forEach(c -> names.add(c.configRuleName()));
    var first = config.describeConfigRules(r -> {});

    assertEquals(31, names.size());
    assertEquals(25, first.configRules().size());
  }

  @Test
  void describeConfigRules_unknownName_throwsNoSuchConfigRule() {
    assertThrows(
        NoSuchConfigRuleException.class,
        () -> config.describeConfigRules(r -> r.configRuleNames(RULE, "x")));
  }
}
