package dev.mrkpolicyguard.localaws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class LocalAwsMainTest {

  @Test
  void parse_allFlags_configuresServer() {
    String[] args = {
      "--port", "0",
      "--account", "AKIDB=444455556666",
      "--config-rule", "drift:tok",
      "--fault", "kms:ListKeys:throttle=1",
      "--seed", "5",
      "--lockout-check", "engine"
    };
    try (LocalAwsServer server = LocalAwsMain.parse(args).build().start()) {
      assertEquals("444455556666", server.identities().resolve("AKIDB").account());
      assertEquals(1, server.faults().rules().size());
      assertEquals(List.of(), server.config().evaluations("444455556666", "any-region-1"));
    }
  }

  @Test
  void parse_unknownFlag_throwsIllegalArgument() {
    assertThrows(
        IllegalArgumentException.class, () -> LocalAwsMain.parse(new String[] {"--nope", "1"}));
  }

  @Test
  void parse_flagWithoutValue_throwsIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> LocalAwsMain.parse(new String[] {"--port"}));
  }

  @Test
  void parse_malformedFault_throwsIllegalArgument() {
    assertThrows(
        IllegalArgumentException.class, () -> LocalAwsMain.parse(new String[] {"--fault", "kms"}));
  }
}
