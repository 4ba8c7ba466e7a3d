package dev.mrkpolicyguard.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentDenialsTest {
  private static final EventHistory.Query QUERY =
      new EventHistory.Query(
          "eu-west-1",
          "kms.amazonaws.com",
          Instant.parse("2025-06-03T08:00:00Z"),
          Instant.parse("2025-06-03T10:00:00Z"));
  private static final String DENIED =
      Fixtures.text("assumed-role-decrypt-no-identity-policy.json");
  private static final String SUCCEEDED = Fixtures.text("describe-key-succeeded.json");
  private static final String OTHER_KEY = Fixtures.text("unknown-key-decrypt-denied.json");

  @Test
  void collect_severalPages_followsNextTokenToTheEnd() {
    List<String> tokens = new ArrayList<>();
    EventHistory history =
        (query, token) -> {
          tokens.add(token);
          return token == null
              ? new EventHistory.Page.Fetched(List.of(DENIED, SUCCEEDED), "page-2")
              : new EventHistory.Page.Fetched(List.of(DENIED), null);
        };

    RecentDenials.Collected c = new RecentDenials(history).collect(QUERY, null);

    assertEquals(java.util.Arrays.asList(null, "page-2"), tokens);
    assertEquals(3, c.scanned());
    assertEquals(
        List.of("event 1", "event 3"), c.entries().stream().map(RecordFile.Entry::where).toList());
    assertFalse(c.truncated());
    assertNull(c.failure());
  }

  @Test
  void collect_keyGiven_keepsOnlyDenialsForThatKey() {
    EventHistory history =
        (query, token) -> new EventHistory.Page.Fetched(List.of(DENIED, OTHER_KEY), null);

    RecentDenials.Collected c =
        new RecentDenials(history).collect(QUERY, "mrk-1234abcd12ab34cd56ef1234567890ab");

    assertEquals(List.of("event 1"), c.entries().stream().map(RecordFile.Entry::where).toList());
  }

  @Test
  void collect_pageLimitReached_isTruncated() {
    EventHistory history = (query, token) -> new EventHistory.Page.Fetched(List.of(DENIED), "more");

    RecentDenials.Collected c = new RecentDenials(history, 3).collect(QUERY, null);

    assertEquals(3, c.scanned());
    assertTrue(c.truncated());
  }

  @Test
  void collect_failureAfterAPage_keepsWhatWasReadAndTheReason() {
    EventHistory history =
        (query, token) ->
            token == null
                ? new EventHistory.Page.Fetched(List.of(DENIED), "page-2")
                : new EventHistory.Page.Failed("throttled");

    RecentDenials.Collected c = new RecentDenials(history).collect(QUERY, null);

    assertEquals(1, c.entries().size());
    assertEquals("throttled", c.failure());
  }

  @Test
  void collect_malformedEvent_isKeptToBeReported() {
    EventHistory history = (query, token) -> new EventHistory.Page.Fetched(List.of("{"), null);

    RecentDenials.Collected c = new RecentDenials(history).collect(QUERY, null);

    assertEquals(RecordFile.Entry.Malformed.class, c.entries().get(0).getClass());
  }

  @Test
  void namesKey_keyIdOrArn_matchesTheRecordsKey() {
    TrailRecord record = Fixtures.record("assumed-role-decrypt-no-identity-policy.json");

    assertEquals(
        List.of(true, true, false),
        List.of(
            RecentDenials.namesKey(record, Fixtures.REPLICA),
            RecentDenials.namesKey(record, "mrk-1234abcd12ab34cd56ef1234567890ab"),
            RecentDenials.namesKey(record, Fixtures.PRIMARY)));
  }
}
