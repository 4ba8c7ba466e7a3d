package dev.mrkpolicyguard.remediation;

import dev.mrkpolicyguard.engine.eval.KeyContext;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Where policies are saved before they are overwritten, and read back from to restore them. */
public interface BackupStore {
  /** UTC, to the millisecond, sortable, no characters that need escaping in a URI or file name. */
  DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** Saves {@code backup}; returns where it is (an {@code s3://} URI or a file path). */
  String save(PolicyBackup backup);

  /** The backup at {@code location}, or a problem saying why it cannot be had. */
  Fetched load(String location);

  /** The result of reading a backup. */
  sealed interface Fetched {
    /** The backup as stored. */
    record Found(PolicyBackup backup) implements Fetched {}

    /** No usable backup there; the reason says why. */
    record Unusable(String reason) implements Fetched {}
  }

  /** The relative name of a backup: {@code <account>/<region>/<key-id>/<UTC timestamp>.json}. */
  static String relativeName(PolicyBackup backup) {
    KeyContext key = new KeyContext(backup.keyArn());
    return key.accountId()
        + "/"
        + key.region()
        + "/"
        + key.keyId()
        + "/"
        + STAMP.format(backup.time())
        + ".json";
  }
}
