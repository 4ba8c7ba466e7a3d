package dev.mrkpolicyguard.engine.rule;

import dev.mrkpolicyguard.engine.compare.Comparison;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Comparisons remembered across the keys of one decider, so that a fleet made from templates
 * compares each policy text pair once. Bounded by an estimate of the bytes it holds, least recently
 * used first out. Only comparisons that cannot depend on which key they are for may be shared (see
 * {@link #shareable}); the key's partition, Region, account, role, usage and spec belong in the
 * cache key.
 */
public final class ComparisonCache {
  /** What an entry costs besides its texts: map entry, list, comparison object. */
  static final long ENTRY_OVERHEAD = 256;

  /** What one difference of a comparison costs, roughly (a witness request and its strings). */
  static final long DIFFERENCE_BYTES = 512;

  private final long maxBytes;
  private final LinkedHashMap<List<Object>, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;
  private long hits;

  private record Entry(Comparison comparison, long bytes) {}

  /** A cache holding at most about {@code maxBytes}. */
  public ComparisonCache(long maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /**
   * Whether a comparison involving policy {@code text} cannot depend on which key of its place it
   * is for: the text names neither this key's ID nor any KMS resource ARN (a pattern such as {@code
   * key/mrk-12*} matches some keys of an account and not others, without naming the full ID).
   * Everything else a policy can depend on (partition, Region, account) is part of the cache key.
   */
  public static boolean shareable(String text, KeyContext key) {
    String lower = text.toLowerCase(Locale.ROOT);
    return !lower.contains(key.keyId().toLowerCase(Locale.ROOT)) && !lower.contains(":kms:");
  }

  /** The comparison under {@code cacheKey}, computed with {@code compute} when not held. */
  public Comparison get(List<Object> cacheKey, Supplier<Comparison> compute) {
    synchronized (this) {
      Entry known = entries.get(cacheKey);
      if (known != null) {
        hits++;
        return known.comparison();
      }
    }
    Comparison computed = compute.get();
    long size = size(cacheKey, computed);
    synchronized (this) {
      if (size <= maxBytes && !entries.containsKey(cacheKey)) {
        entries.put(cacheKey, new Entry(computed, size));
        bytes += size;
        evict();
      }
    }
    return computed;
  }

  /** How many comparisons are held. */
  public synchronized int size() {
    return entries.size();
  }

  /** The estimated bytes held; never more than the bound. */
  public synchronized long bytes() {
    return bytes;
  }

  /** How many lookups found their comparison held. */
  public synchronized long hits() {
    return hits;
  }

  private void evict() {
    Iterator<Map.Entry<List<Object>, Entry>> oldest = entries.entrySet().iterator();
    while (bytes > maxBytes && oldest.hasNext()) {
      bytes -= oldest.next().getValue().bytes();
      oldest.remove();
    }
  }

  private static long size(List<Object> cacheKey, Comparison comparison) {
    long size = ENTRY_OVERHEAD + DIFFERENCE_BYTES * comparison.differences().size();
    for (Object part : cacheKey) {
      size += 2L * String.valueOf(part).length();
    }
    return size;
  }
}
