package dev.mrkpolicyguard.trigger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one invocation of the trigger did, per Region and rule: the events it saw and the Regions
 * each one needs, the evaluations it started, the starts it deferred or found already covered, and
 * what failed. {@code invoke --handler trigger} prints it as JSON.
 */
public final class TriggerReport {
  private final List<Seen> events = new ArrayList<>();
  private final List<Started> started = new ArrayList<>();
  private final List<Deferred> deferred = new ArrayList<>();
  private final List<Covered> coalesced = new ArrayList<>();
  private final List<String> regionsWithoutRule = new ArrayList<>();
  private final List<Failure> failures = new ArrayList<>();
  private final List<String> retry = new ArrayList<>();

  /** An event and the Regions it needs the rule run in (none, with {@code note} saying why). */
  public record Seen(String eventName, String keyArn, List<String> regions, String note) {
    public Seen {
      regions = List.copyOf(regions);
    }
  }

  /** An evaluation Config accepted to start. */
  public record Started(String region, String configRuleName) {}

  /**
   * A start sent to the deferral queue.
   *
   * @param configRuleName null when the rule is looked up on arrival
   * @param settleOn the copy to wait for, or null
   */
  public record Deferred(
      String region,
      String configRuleName,
      String settleOn,
      Instant dueAt,
      long delaySeconds,
      int attempts,
      String reason) {}

  /** A start not needed: an accepted or queued start covers the change. */
  public record Covered(String region, String configRuleName, String why) {}

  /** Something that failed; {@code what} names the step. */
  public record Failure(String what, String region, String keyArn, String code, String message) {}

  public List<Seen> events() {
    return List.copyOf(events);
  }

  public List<Started> started() {
    return List.copyOf(started);
  }

  public List<Deferred> deferred() {
    return List.copyOf(deferred);
  }

  public List<Covered> coalesced() {
    return List.copyOf(coalesced);
  }

  public List<String> regionsWithoutRule() {
    return List.copyOf(regionsWithoutRule);
  }

  public List<Failure> failures() {
    return List.copyOf(failures);
  }

  /** The inputs (queue message IDs) to be delivered again: something could not be kept. */
  public List<String> retry() {
    return List.copyOf(retry);
  }

  void seen(Seen seen) {
    events.add(seen);
  }

  void started(Started start) {
    started.add(start);
  }

  void deferred(Deferred deferral) {
    deferred.add(deferral);
  }

  void covered(Covered covered) {
    coalesced.add(covered);
  }

  void withoutRule(String region) {
    if (!regionsWithoutRule.contains(region)) {
      regionsWithoutRule.add(region);
    }
  }

  void failed(Failure failure) {
    failures.add(failure);
  }

  void retry(String inputId) {
    retry.add(inputId);
  }

  /** The report as one JSON object. */
  public ObjectNode toJson(ObjectMapper mapper) {
    ObjectNode out = mapper.createObjectNode();
    ArrayNode seen = out.putArray("events");
    for (Seen e : events) {
      ObjectNode node = seen.addObject();
      node.put("eventName", e.eventName()).put("keyArn", e.keyArn());
      e.regions().forEach(node.putArray("regions")::add);
      node.put("note", e.note());
    }
    ArrayNode starts = out.putArray("started");
    started.forEach(
        s ->
            starts.addObject().put("region", s.region()).put("configRuleName", s.configRuleName()));
    ArrayNode later = out.putArray("deferred");
    for (Deferred d : deferred) {
      later
          .addObject()
          .put("region", d.region())
          .put("configRuleName", d.configRuleName())
          .put("settleOn", d.settleOn())
          .put("dueAt", d.dueAt().toString())
          .put("delaySeconds", d.delaySeconds())
          .put("attempts", d.attempts())
          .put("reason", d.reason());
    }
    ArrayNode covered = out.putArray("coalesced");
    coalesced.forEach(
        c ->
            covered
                .addObject()
                .put("region", c.region())
                .put("configRuleName", c.configRuleName())
                .put("why", c.why()));
    regionsWithoutRule.forEach(out.putArray("regionsWithoutRule")::add);
    ArrayNode failed = out.putArray("failures");
    for (Failure f : failures) {
      failed
          .addObject()
          .put("what", f.what())
          .put("region", f.region())
          .put("keyArn", f.keyArn())
          .put("error", f.code())
          .put("message", f.message());
    }
    retry.forEach(out.putArray("retry")::add);
    return out;
  }
}
