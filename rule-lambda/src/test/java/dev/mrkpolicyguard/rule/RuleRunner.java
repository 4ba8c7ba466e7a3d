package dev.mrkpolicyguard.rule;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mrkpolicyguard.aws.ClientFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * The Config rule as other packages' tests use it: runs {@link ConfigRuleHandler} on a
 * change-triggered event for one key, as Lambda would, and returns the compliance it posted.
 */
public final class RuleRunner {
  private RuleRunner() {}

  /**
   * Evaluates {@code key} with the rule in {@code region} (its rule must accept {@link
   * RuleFixture#TOKEN}); returns the ComplianceType posted.
   */
  public static String complianceOf(ClientFactory clients, String region, KeyMetadata key) {
    ConfigRuleHandler handler =
        new ConfigRuleHandler(
            clients,
            new RuleSettings(region, 1, 100, Clock.systemUTC()),
            new PrintStream(new ByteArrayOutputStream(), true));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      byte[] event =
          RuleFixture.JSON.writeValueAsBytes(
              RuleFixture.change(RuleFixture.configurationItem(key, "OK", Instant.now())));
      handler.handleRequest(new ByteArrayInputStream(event), out, context("rule-run"));
      JsonNode posted = RuleFixture.JSON.readTree(out.toByteArray()).get("posted");
      return posted.get(0).get("ComplianceType").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The result token the rule's events carry. */
  public static String token() {
    return RuleFixture.TOKEN;
  }

  /** The rule name the rule's events carry. */
  public static String ruleName() {
    return RuleFixture.RULE;
  }

  /** A Lambda context with {@code requestId}. */
  public static Context context(String requestId) {
    return RuleFixture.context(requestId);
  }
}
