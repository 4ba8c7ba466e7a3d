package dev.mrkpolicyguard.rule;

import java.time.Instant;
import java.util.Objects;

/**
 * What AWS Config records for one key (from {@link ComplianceHistory}): the periodic run compares
 * against it to post only what changed and to retire keys that vanished.
 */
public final class ComplianceRecords {
  /** One recorded result. */
  public record Recorded(String complianceType, String annotation, Instant recordedTime) {
    /** Whether posting {@code type} with {@code text} would change nothing Config shows. */
    boolean sameAs(String type, String text) {
      return complianceType.equals(type) && Objects.equals(blankToNull(annotation), text);
    }
  }

  private ComplianceRecords() {}

  static String blankToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }
}
