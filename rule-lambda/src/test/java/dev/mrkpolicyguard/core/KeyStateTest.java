package dev.mrkpolicyguard.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyStateTest {
  @ParameterizedTest
  @CsvSource({
    // KMS name, settling, refuses a policy rewrite
    "Creating, true, true",
    "Updating, true, true",
    "PendingDeletion, false, true",
    "PendingReplicaDeletion, false, true",
    "Enabled, false, false",
    "Disabled, false, false",
    "Unavailable, false, false"
  })
  void of_kmsName_settlingAndRewriteAsTheTableSays(String name, boolean settling, boolean refuses) {
    KeyState state = KeyState.of(name).orElseThrow();

    assertEquals(name, state.awsName());
    assertEquals(settling, state.settling());
    assertEquals(refuses, state.refusesPolicyRewrite());
  }

  @ParameterizedTest
  @CsvSource({"enabled", "NotRead", "''"})
  void of_unknownName_empty(String name) {
    assertEquals(Optional.empty(), KeyState.of(name));
  }
}
