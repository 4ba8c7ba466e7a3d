package dev.mrkpolicyguard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.trigger.KmsChange;
import dev.mrkpolicyguard.trigger.TriggerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The near-real-time trigger's wiring in the stack: the EventBridge rule's pattern against the
 * sample events, the queue between the rule and the function, the event source mapping, the
 * function's environment and the alarms.
 */
class TriggerTemplateTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String ACCOUNT = "111122223333";
  private final CfnTemplate stack = CfnTemplate.load(LambdaWiringTest.STACK_FILE);
  private final EventPattern pattern = EventPattern.ofStack(ACCOUNT, "us-east-1");

  private static ObjectNode example(String name) throws IOException {
    return (ObjectNode)
        MAPPER.readTree(
            Files.readString(CfnTemplate.repoRoot().resolve("examples/events/" + name)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "cloudtrail-put-key-policy.json",
        "cloudtrail-replicate-key.json",
        "cloudtrail-update-primary-region.json",
        "cloudtrail-schedule-key-deletion.json",
        "cloudtrail-cancel-key-deletion.json"
      })
  void pattern_exampleOfEachName_delivered(String file) throws IOException {
    assertTrue(pattern.matches(example(file)), file);
  }

  @Test
  void pattern_eventNames_exactlyThoseTheTriggerHandles() {
    Set<String> names = new TreeSet<>();
    pattern.json().at("/detail/eventName").forEach(n -> names.add(n.asText()));

    assertEquals(new TreeSet<>(KmsChange.EVENT_NAMES), names);
  }

  @Test
  void pattern_kmsOwnRecordOfUpdatePrimaryRegion_notDelivered() throws IOException {
    ObjectNode echo = example("cloudtrail-update-primary-region-new-primary.json");

    assertFalse(EventPattern.ofStack(ACCOUNT, "eu-west-1").matches(echo));
  }

  @Test
  void pattern_failedCall_notDelivered() throws IOException {
    ObjectNode event = example("cloudtrail-put-key-policy.json");
    ((ObjectNode) event.get("detail")).put("errorCode", "AccessDeniedException");

    assertFalse(pattern.matches(event));
  }

  @Test
  void pattern_singleRegionKeyOrAnotherAccountsKey_notDelivered() throws IOException {
    ObjectNode single = example("cloudtrail-put-key-policy.json");
    ((ObjectNode) single.at("/detail/resources/0"))
        .put(
            "ARN",
            "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab");
    ObjectNode foreign = example("cloudtrail-put-key-policy.json");
    ((ObjectNode) foreign.at("/detail/resources/0"))
        .put("ARN", "arn:aws:kms:us-east-1:444455556666:key/mrk-1234abcd12ab34cd56ef1234567890ab");

    assertFalse(pattern.matches(single));
    assertFalse(pattern.matches(foreign));
  }

  @Test
  void pattern_otherKmsCall_notDelivered() throws IOException {
    ObjectNode event = example("cloudtrail-put-key-policy.json");
    ((ObjectNode) event.get("detail")).put("eventName", "EnableKey");

    assertFalse(pattern.matches(event));
  }

  @Test
  void rule_target_theQueueWithADeadLetterQueue() {
    JsonNode target = stack.properties("TriggerEventRule").at("/Targets/0");

    assertEquals(1, stack.properties("TriggerEventRule").path("Targets").size());
    assertEquals("ENABLED", stack.properties("TriggerEventRule").path("State").asText());
    assertEquals(CfnTemplate.getAtt("TriggerQueue", "Arn"), target.path("Arn"));
    assertEquals(
        CfnTemplate.getAtt("TriggerDeadLetterQueue", "Arn"), target.at("/DeadLetterConfig/Arn"));
  }

  @Test
  void queuePolicy_onlyTheTriggerRuleMaySend() {
    JsonNode allow = stack.properties("TriggerQueuePolicy").at("/PolicyDocument/Statement/0");

    assertEquals("events.amazonaws.com", allow.at("/Principal/Service").asText());
    assertEquals("sqs:SendMessage", allow.path("Action").asText());
    assertEquals(
        CfnTemplate.getAtt("TriggerEventRule", "Arn"),
        allow.at("/Condition/ArnEquals/aws:SourceArn"));
  }

  @Test
  void mapping_queueToAlias_partialBatchFailuresAndAtMostTwoAtOnce() {
    JsonNode mapping = stack.properties("TriggerQueueMapping");

    assertEquals(CfnTemplate.getAtt("TriggerQueue", "Arn"), mapping.path("EventSourceArn"));
    assertEquals(CfnTemplate.ref("TriggerAlias"), mapping.path("FunctionName"));
    assertEquals("ReportBatchItemFailures", mapping.at("/FunctionResponseTypes/0").asText());
    assertEquals(2, mapping.at("/ScalingConfig/MaximumConcurrency").asInt());
    assertTrue(mapping.path("MaximumBatchingWindowInSeconds").asInt() >= 1);
  }

  @Test
  void queue_visibilitySixTimesTheTimeoutAndRetentionBeyondTheRetries() {
    JsonNode queue = stack.properties("TriggerQueue");
    int timeout = stack.properties("TriggerFunction").path("Timeout").asInt();

    assertTrue(queue.path("VisibilityTimeout").asInt() >= 6 * timeout);
    assertTrue(
        queue.path("MessageRetentionPeriod").asLong()
            > TriggerSettings.defaults("r").maxAge().toSeconds());
    assertEquals(
        CfnTemplate.getAtt("TriggerDeadLetterQueue", "Arn"),
        queue.at("/RedrivePolicy/deadLetterTargetArn"));
  }

  @Test
  void environment_triggerFunction_queueAndRuleName() {
    JsonNode variables = stack.properties("TriggerFunction").at("/Environment/Variables");

    assertEquals(CfnTemplate.ref("TriggerQueue"), variables.path("DEFERRAL_QUEUE_URL"));
    assertEquals(CfnTemplate.ref("ConfigRuleName"), variables.path("CONFIG_RULE_NAME"));
    assertEquals(
        TriggerSettings.DEFAULT_RULE_NAME,
        stack.root().at("/Parameters/ConfigRuleName/Default").asText());
  }

  @Test
  void alarms_failuresOfTheTriggerAndItsDeadLetters() {
    JsonNode failures = stack.properties("TriggerFailuresAlarm");
    JsonNode dead = stack.properties("TriggerDeadLetterAlarm");

    assertEquals("MrkPolicyGuard", failures.path("Namespace").asText());
    assertEquals("Failures", failures.path("MetricName").asText());
    assertEquals("Component", failures.at("/Dimensions/0/Name").asText());
    assertEquals("Trigger", failures.at("/Dimensions/0/Value").asText());
    assertEquals("AWS/SQS", dead.path("Namespace").asText());
    assertEquals(
        CfnTemplate.getAtt("TriggerDeadLetterQueue", "QueueName"), dead.at("/Dimensions/0/Value"));
  }
}
