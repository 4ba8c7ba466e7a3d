package dev.mrkpolicyguard.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RuleParametersTest {
  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  ", "{}"})
  void parse_nothingSet_defaultsEverything(String json) {
    assertEquals(
        new RuleParameters(null, null, RuleParameters.DEFAULT_FULL_REFRESH_DAYS),
        RuleParameters.parse(json));
  }

  @Test
  void parse_everyParameter_trimmedValues() {
    RuleParameters parameters =
        RuleParameters.parse(
            "{\"BaselineParameterName\":\" /mrk/baseline \",\"ExecutionRoleName\":\"Auditor\","
                + "\"FullRefreshDays\":\"14\"}");

    assertEquals(new RuleParameters("/mrk/baseline", "Auditor", 14), parameters);
  }

  @Test
  void parse_fullRefreshDaysAsANumber_accepted() {
    assertEquals(30, RuleParameters.parse("{\"FullRefreshDays\":30}").fullRefreshDays());
  }

  @Test
  void parse_blankValue_treatedAsUnset() {
    assertEquals(null, RuleParameters.parse("{\"ExecutionRoleName\":\" \"}").executionRoleName());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "3651", "seven", "1.5"})
  void parse_fullRefreshDaysOutOfRange_refusedNamingTheValue(String days) {
    RuleConfigurationException e =
        assertThrows(
            RuleConfigurationException.class,
            () -> RuleParameters.parse("{\"FullRefreshDays\":\"" + days + "\"}"));

    assertTrue(e.getMessage().contains("'" + days + "'"), e.getMessage());
  }

  @Test
  void parse_unknownParameter_refusedListingTheKnownOnes() {
    RuleConfigurationException e =
        assertThrows(
            RuleConfigurationException.class,
            () -> RuleParameters.parse("{\"BaselineParam\":\"/x\"}"));

    assertTrue(e.getMessage().contains("'BaselineParam'"), e.getMessage());
    assertTrue(e.getMessage().contains("BaselineParameterName"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "\"text\"", "{", "null"})
  void parse_notAJsonObject_refused(String json) {
    assertThrows(RuleConfigurationException.class, () -> RuleParameters.parse(json));
  }

  @Test
  void parse_nonTextRoleName_refused() {
    assertThrows(
        RuleConfigurationException.class, () -> RuleParameters.parse("{\"ExecutionRoleName\":42}"));
  }
}
