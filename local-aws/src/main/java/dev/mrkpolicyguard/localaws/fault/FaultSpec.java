package dev.mrkpolicyguard.localaws.fault;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parser of the textual fault form {@code SERVICE:OPERATION:EFFECT[,OPTION=VALUE...]}.
 *
 * <p>Effects: {@code throttle=SHARE}, {@code http500=SHARE}, {@code http503=SHARE}, {@code
 * latency=DURATION} or {@code latency=MIN..MAX}, {@code error=CODE}. Options: {@code region=R},
 * {@code key=RESOURCE}, {@code share=SHARE} (for {@code error} and {@code latency}; default 1),
 * {@code status=HTTP} (for {@code error}; default 400), {@code when=before|after} (default before:
 * after means the operation runs and only its answer is delayed or replaced). Durations: {@code
 * 10ms}, {@code 2s}, or a bare number of milliseconds. Example: {@code
 * kms:GetKeyPolicy:error=AccessDeniedException,key=mrk-1}.
 */
final class FaultSpec {
  private FaultSpec() {}

  static FaultRule parse(String spec) {
    String[] head = spec.split(":", 3);
    if (head.length != 3 || head[0].isEmpty() || head[1].isEmpty()) {
      throw invalid(spec, "expected SERVICE:OPERATION:EFFECT");
    }
    Map<String, String> options = options(spec, head[2]);
    Map.Entry<String, String> effect = options.entrySet().iterator().next();
    options.remove(effect.getKey());
    String region = options.remove("region");
    String resource = options.remove("key");
    double share = share(spec, options.remove("share"), 1.0);
    int status = options.containsKey("status") ? Integer.parseInt(options.remove("status")) : 400;
    boolean after = after(spec, options.remove("when"));
    if (!options.isEmpty()) {
      throw invalid(spec, "unknown options " + options.keySet());
    }
    FaultRule rule = rule(spec, head, effect, region, resource, share, status);
    return after ? rule.afterOperation() : rule;
  }

  private static boolean after(String spec, String when) {
    if (when == null || when.equals("before")) {
      return false;
    }
    if (when.equals("after")) {
      return true;
    }
    throw invalid(spec, "when is before or after, not '" + when + "'");
  }

  private static FaultRule rule(
      String spec,
      String[] head,
      Map.Entry<String, String> effect,
      String region,
      String resource,
      double share,
      int status) {
    String value = effect.getValue();
    return switch (effect.getKey()) {
      case "throttle" ->
          new FaultRule(
              head[0],
              head[1],
              region,
              resource,
              share(spec, value, 1.0),
              new FaultEffect.Throttle());
      case "http500", "http503" ->
          new FaultRule(
              head[0],
              head[1],
              region,
              resource,
              share(spec, value, 1.0),
              new FaultEffect.ServerError(Integer.parseInt(effect.getKey().substring(4))));
      case "latency" ->
          new FaultRule(head[0], head[1], region, resource, share, latency(spec, value));
      case "error" ->
          new FaultRule(
              head[0],
              head[1],
              region,
              resource,
              share,
              new FaultEffect.Error(value, status, "Injected fault: " + value));
      default -> throw invalid(spec, "unknown effect '" + effect.getKey() + "'");
    };
  }

  private static Map<String, String> options(String spec, String text) {
    Map<String, String> options = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw invalid(spec, "expected NAME=VALUE, got '" + part + "'");
      }
      options.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
    }
    return options;
  }

  private static FaultEffect.Latency latency(String spec, String value) {
    int range = value.indexOf("..");
    if (range < 0) {
      Duration fixed = duration(spec, value);
      return new FaultEffect.Latency(fixed, fixed);
    }
    return new FaultEffect.Latency(
        duration(spec, value.substring(0, range)), duration(spec, value.substring(range + 2)));
  }

  private static Duration duration(String spec, String value) {
    try {
      if (value.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
      }
      if (value.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
      }
      return Duration.ofMillis(Long.parseLong(value));
    } catch (NumberFormatException e) {
      throw invalid(spec, "bad duration '" + value + "'");
    }
  }

  private static double share(String spec, String value, double fallback) {
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw invalid(spec, "bad share '" + value + "'");
    }
  }

  private static IllegalArgumentException invalid(String spec, String why) {
    return new IllegalArgumentException("invalid fault '" + spec + "': " + why);
  }
}
