package dev.mrkpolicyguard.localaws;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts every call received, per service, operation and Region, faulted calls included. */
public final class CallLog {
  private final Map<Call, LongAdder> counts = new ConcurrentHashMap<>();

  void record(String service, String operation, String region) {
    counts.computeIfAbsent(new Call(service, operation, region), k -> new LongAdder()).increment();
  }

  public long count(String service, String operation, String region) {
    LongAdder adder = counts.get(new Call(service, operation, region));
    return adder == null ? 0 : adder.sum();
  }

  /** Calls of the operation summed over every Region. */
  public long count(String service, String operation) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().service().equals(service))
        .filter(e -> e.getKey().operation().equals(operation))
        .mapToLong(e -> e.getValue().sum())
        .sum();
  }

  public long total() {
    return counts.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** An immutable, sorted copy of all counts. */
  public Map<Call, Long> snapshot() {
    Map<Call, Long> copy = new TreeMap<>();
    counts.forEach((call, adder) -> copy.put(call, adder.sum()));
    return Collections.unmodifiableMap(copy);
  }

  void clear() {
    counts.clear();
  }

  /** One counted call site: service, operation and Region. */
  public record Call(String service, String operation, String region) implements Comparable<Call> {
    @Override
    public int compareTo(Call other) {
      return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
      return service + ":" + operation + "@" + region;
    }
  }
}
