package dev.mrkpolicyguard.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * A start of the rule's evaluation in a Region that could not be made yet, kept in the deferral
 * queue until it is due. It stands for every change seen before {@code dueAt}: whoever receives it
 * starts the rule at or after that time, or defers it again.
 *
 * @param region the Region to start the rule in
 * @param configRuleName the rule, or null to look up the rule's names in the Region on arrival
 * @param settleOn a key copy that must have left {@code Creating}/{@code Updating} first, or null
 * @param dueAt when the start may be tried
 * @param attempts how many times it was refused or found the copy still settling so far
 * @param firstSeenAt when the change it stands for was first seen (bounds its retries)
 * @param reason why it was deferred, for the log
 */
public record Deferral(
    String region,
    String configRuleName,
    String settleOn,
    Instant dueAt,
    int attempts,
    Instant firstSeenAt,
    String reason) {
  /** The marker field of a deferral message, so that it is never mistaken for an event. */
  static final String KIND_FIELD = "mrkPolicyGuard";

  static final String KIND = "deferred-start";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public Deferral {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(dueAt, "dueAt");
    Objects.requireNonNull(firstSeenAt, "firstSeenAt");
    Objects.requireNonNull(reason, "reason");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative, got " + attempts);
    }
  }

  /** The message body. */
  public String toJson() {
    ObjectNode node = MAPPER.createObjectNode();
    node.put(KIND_FIELD, KIND);
    node.put("region", region);
    node.put("configRuleName", configRuleName);
    node.put("settleOn", settleOn);
    node.put("dueAt", dueAt.toString());
    node.put("attempts", attempts);
    node.put("firstSeenAt", firstSeenAt.toString());
    node.put("reason", reason);
    return node.toString();
  }

  /** Whether {@code node} is a deferral message (it may still be malformed). */
  static boolean isDeferral(JsonNode node) {
    return node != null && KIND.equals(node.path(KIND_FIELD).asText(null));
  }

  /** The deferral in {@code node}, or empty when a field is missing or not of its type. */
  static Optional<Deferral> parse(JsonNode node) {
    if (!isDeferral(node) || !node.path("region").isTextual() || !node.path("attempts").isInt()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Deferral(
              node.path("region").asText(),
              node.path("configRuleName").isTextual() ? node.path("configRuleName").asText() : null,
              node.path("settleOn").isTextual() ? node.path("settleOn").asText() : null,
              Instant.parse(node.path("dueAt").asText()),
              node.path("attempts").asInt(),
              Instant.parse(node.path("firstSeenAt").asText()),
              node.path("reason").asText("")));
    } catch (DateTimeParseException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
