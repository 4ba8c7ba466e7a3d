package dev.mrkpolicyguard.aws;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts API calls by service and operation (one per logical call, however many attempts its
 * retries take), for the per-invocation metrics line.
 */
public final class ApiCallCounter implements ExecutionInterceptor {
  private final ConcurrentMap<String, LongAdder> counts = new ConcurrentHashMap<>();

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    String name =
        attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)
            + "."
            + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    counts.computeIfAbsent(name, n -> new LongAdder()).increment();
  }

  /** Calls per {@code Service.Operation}, sorted by name. */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((name, adder) -> out.put(name, adder.sum()));
    return out;
  }

  /** Forgets all counts. */
  public void reset() {
    counts.clear();
  }
}
