package dev.mrkpolicyguard.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One thing the trigger was handed: an EventBridge event (directly, or as the body of a queue
 * message) or a deferred start coming back from the queue. {@code id} is the queue message's ID
 * (what Lambda's partial batch response names), or a made-up one for a direct invocation.
 */
public sealed interface TriggerInput {
  String id();

  /** An EventBridge event with a CloudTrail record. */
  record Event(String id, JsonNode event) implements TriggerInput {
    public Event {
      Objects.requireNonNull(id, "id");
    }
  }

  /** A deferred start that is now due. */
  record Deferred(String id, Deferral deferral) implements TriggerInput {
    public Deferred {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(deferral, "deferral");
    }
  }

  /** A queue message that is neither (not JSON, or a deferral with a bad field). */
  record Unusable(String id, String problem) implements TriggerInput {
    public Unusable {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(problem, "problem");
    }
  }

  /** What a queue message body holds. */
  static TriggerInput ofBody(String id, JsonNode body) {
    if (Deferral.isDeferral(body)) {
      return Deferral.parse(body)
          .<TriggerInput>map(d -> new Deferred(id, d))
          .orElseGet(() -> new Unusable(id, "a deferral message with a missing or bad field"));
    }
    if (body != null && body.isObject() && body.has("detail-type")) {
      return new Event(id, body);
    }
    return new Unusable(id, "neither an EventBridge event nor a deferral message");
  }
}
