package dev.mrkpolicyguard.trigger;

import java.util.LinkedHashMap;
import java.util.Map;

/** The counts of one invocation, for the metrics line. */
final class TriggerStats {
  private int eventsSeen;
  private int eventsIgnored;
  private int keysUnreadable;
  private int startsRequested;
  private int evaluationsStarted;
  private int startsRefused;
  private int startsCovered;
  private int startsDeferred;
  private int regionsWithoutRule;
  private int failures;

  void eventSeen() {
    eventsSeen++;
  }

  void eventIgnored() {
    eventsIgnored++;
  }

  /** A key whose copies could not be read; also a failure. */
  void keyUnreadable() {
    keysUnreadable++;
    failures++;
  }

  void startRequested() {
    startsRequested++;
  }

  void evaluationStarted() {
    evaluationsStarted++;
  }

  void startRefused() {
    startsRefused++;
  }

  void startCovered() {
    startsCovered++;
  }

  void startDeferred() {
    startsDeferred++;
  }

  void regionWithoutRule() {
    regionsWithoutRule++;
  }

  void failure() {
    failures++;
  }

  /** Metric name to value, in the order the metrics line lists them. */
  Map<String, Integer> counts() {
    Map<String, Integer> out = new LinkedHashMap<>();
    out.put("EventsSeen", eventsSeen);
    out.put("EventsIgnored", eventsIgnored);
    out.put("KeysUnreadable", keysUnreadable);
    out.put("StartsRequested", startsRequested);
    out.put("EvaluationsStarted", evaluationsStarted);
    out.put("StartsRefused", startsRefused);
    out.put("StartsCoalesced", startsCovered);
    out.put("StartsDeferred", startsDeferred);
    out.put("RegionsWithoutRule", regionsWithoutRule);
    out.put("Failures", failures);
    return out;
  }
}
