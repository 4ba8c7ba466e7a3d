package dev.mrkpolicyguard.explain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A Region's recent management events, a page at a time: CloudTrail {@code LookupEvents} (read
 * only), implemented in {@code dev.mrkpolicyguard.aws}.
 */
@FunctionalInterface
public interface EventHistory {
  /** The page of events of {@code query} after {@code nextToken} ({@code null}: the first). */
  Page page(Query query, String nextToken);

  /**
   * Which events: those of {@code eventSource} in {@code region} between {@code start} and {@code
   * end}.
   */
  record Query(String region, String eventSource, Instant start, Instant end) {
    public Query {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(eventSource, "eventSource");
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(end, "end");
      if (start.isAfter(end)) {
        throw new IllegalArgumentException("start " + start + " is after end " + end);
      }
    }
  }

  /** One answer of the history. */
  sealed interface Page {
    /** Records as CloudTrail wrote them, newest first, and the token of the next page. */
    record Fetched(List<String> records, String nextToken) implements Page {
      public Fetched {
        records = List.copyOf(records);
      }
    }

    /** The history could not be read; {@code reason} says why and how to fix it. */
    record Failed(String reason) implements Page {
      public Failed {
        Objects.requireNonNull(reason, "reason");
      }
    }
  }
}
