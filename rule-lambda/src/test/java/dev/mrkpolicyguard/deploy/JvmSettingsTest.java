package dev.mrkpolicyguard.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The JVM flags and memory each function runs with, as chosen by measurement (docs/benchmarks.md,
 * "JIT and memory settings", and docs/deploy.md, Sizing): a template edit that drops or changes
 * them must change this test and those documents with it.
 */
class JvmSettingsTest {
  /** C1 only and the serial collector: measured per function on 1 and 2 CPUs with SnapStart. */
  static final String CHOSEN = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

  private final CfnTemplate stack = CfnTemplate.load(LambdaWiringTest.STACK_FILE);

  @ParameterizedTest
  @CsvSource({
    "RuleFunction, 1024",
    "TriggerFunction, 512",
    "HookFunction, 1024",
    "RemediationFunction, 512"
  })
  void function_stack_runsWithTheMeasuredFlagsAndMemory(String function, int memory) {
    JsonNode properties = stack.properties(function);

    assertEquals(
        CHOSEN, properties.at("/Environment/Variables/JAVA_TOOL_OPTIONS").asText(), function);
    assertEquals(memory, properties.path("MemorySize").asInt(), function);
  }
}
