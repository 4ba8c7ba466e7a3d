package dev.mrkpolicyguard.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TriggerSettingsTest {
  private final TriggerSettings settings = TriggerSettings.defaults("mrk-replica-key-policy");

  @ParameterizedTest
  @CsvSource({
    "mrk-replica-key-policy, true",
    "mrk-replica-key-policy-conformance-pack-hbmlt5imw, true",
    "mrk-replica-key-policy-conformance-pack-, false",
    "mrk-replica-key-policy-copy, false",
    "other-mrk-replica-key-policy, false",
    "mrk-replica-key-policyX, false"
  })
  void isTheRule_name_ownNameOrAPacksCopy(String name, boolean expected) {
    assertEquals(expected, settings.isTheRule(name));
  }
}
