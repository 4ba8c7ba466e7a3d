package dev.mrkpolicyguard.explain;

import dev.mrkpolicyguard.engine.eval.KeyContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The recent failed KMS calls of a Region, read page by page from its event history: KMS records
 * whose {@code errorCode} is an access denial, optionally only those for one key. LookupEvents
 * takes one lookup attribute, so the history is asked for KMS events and the rest is filtered here.
 */
public final class RecentDenials {
  /** Pages read at most (50 events each): the newest 10,000 KMS events of the window. */
  public static final int MAX_PAGES = 200;

  private final EventHistory history;
  private final int maxPages;

  public RecentDenials(EventHistory history) {
    this(history, MAX_PAGES);
  }

  /** Reads at most {@code maxPages} pages of {@code history}. */
  public RecentDenials(EventHistory history, int maxPages) {
    this.history = Objects.requireNonNull(history, "history");
    if (maxPages < 1) {
      throw new IllegalArgumentException("maxPages must be at least 1");
    }
    this.maxPages = maxPages;
  }

  /**
   * What was read.
   *
   * @param entries the denied KMS calls (and malformed events), newest first
   * @param scanned how many KMS events were read
   * @param truncated whether more pages were left unread after {@link #MAX_PAGES}
   * @param failure why reading stopped early, or {@code null}
   */
  public record Collected(
      List<RecordFile.Entry> entries, int scanned, boolean truncated, String failure) {
    public Collected {
      entries = List.copyOf(entries);
    }
  }

  /** The denied KMS calls of {@code query}, for the key {@code key} only when not null. */
  public Collected collect(EventHistory.Query query, String key) {
    List<RecordFile.Entry> entries = new ArrayList<>();
    String token = null;
    int scanned = 0;
    for (int page = 0; page < maxPages; page++) {
      EventHistory.Page answer = history.page(query, token);
      if (answer instanceof EventHistory.Page.Failed failed) {
        return new Collected(entries, scanned, false, failed.reason());
      }
      EventHistory.Page.Fetched fetched = (EventHistory.Page.Fetched) answer;
      for (String json : fetched.records()) {
        scanned++;
        RecordFile.Entry entry = RecordFile.one("event " + scanned, json);
        if (entry instanceof RecordFile.Entry.Malformed || keep(entry, key)) {
          entries.add(entry);
        }
      }
      token = fetched.nextToken();
      if (token == null) {
        return new Collected(entries, scanned, false, null);
      }
    }
    return new Collected(entries, scanned, true, null);
  }

  private static boolean keep(RecordFile.Entry entry, String key) {
    TrailRecord record = ((RecordFile.Entry.Parsed) entry).record();
    String code = record.text("errorCode").orElse("");
    return record.text("eventSource").orElse("").equals(RequestBuilder.KMS)
        && code.toLowerCase(Locale.ROOT).contains("accessdenied")
        && (key == null || namesKey(record, key));
  }

  /** Whether {@code record} is a call to {@code key}: a key ARN, or a key ID in any Region. */
  public static boolean namesKey(TrailRecord record, String key) {
    String arn = RequestBuilder.keyArn(record).orElse(null);
    if (arn == null) {
      return false;
    }
    if (KeyContext.parse(key).isPresent()) {
      return arn.equals(key);
    }
    return new KeyContext(arn).keyId().equals(key);
  }
}
