package dev.mrkpolicyguard.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mrkpolicyguard.core.ListedKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeriodicRunTest {
  private static final Instant START = Instant.parse("2026-11-28T12:00:00Z");

  @ParameterizedTest
  @CsvSource({
    // remaining s, keys started until s, waited for until s
    "900, 720, 810",
    "300, 240, 270",
    "120, 90, 105",
    "40, 20, 30"
  })
  void deadlineOf_remainingTime_keepsAFifthInReserveAtLeast30sAtMostHalf(
      long remaining, long startUntil, long waitUntil) {
    PeriodicRun.Deadline deadline = PeriodicRun.Deadline.of(START, Duration.ofSeconds(remaining));

    assertEquals(START.plusSeconds(startUntil), deadline.startUntil());
    assertEquals(START.plusSeconds(waitUntil), deadline.waitUntil());
  }

  private static ListedKey key(String id) {
    return new ListedKey(id, "arn:aws:kms:eu-west-1:111122223333:key/" + id);
  }

  private static ComplianceRecords.Recorded recordedAt(String time) {
    return new ComplianceRecords.Recorded("COMPLIANT", "ok", Instant.parse(time));
  }

  @Test
  void order_records_keysWithoutARecordFirstThenTheLeastRecentlyRecorded() {
    List<ListedKey> keys =
        List.of(key("mrk-new"), key("mrk-recent"), key("mrk-old"), key("mrk-unseen"));
    Map<String, ComplianceRecords.Recorded> records =
        Map.of(
            "mrk-recent", recordedAt("2026-11-28T11:00:00Z"),
            "mrk-old", recordedAt("2026-11-21T11:00:00Z"));

    List<String> ordered = PeriodicRun.order(keys, records).stream().map(ListedKey::keyId).toList();

    assertEquals(List.of("mrk-new", "mrk-unseen", "mrk-old", "mrk-recent"), ordered);
  }
}
