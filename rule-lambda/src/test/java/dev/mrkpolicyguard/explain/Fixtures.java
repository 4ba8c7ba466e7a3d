package dev.mrkpolicyguard.explain;

import dev.mrkpolicyguard.audit.SnapshotReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** CloudTrail records and the snapshot of a drifted replica, from the test resources. */
final class Fixtures {
  static final String REPLICA =
      "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
  static final String PRIMARY =
      "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
  static final Path RECORDS = Path.of("src/test/resources/cloudtrail");
  static final Path SNAPSHOT = Path.of("src/test/resources/explain/drifted-replica-snapshot.json");

  private Fixtures() {}

  /** The text of a record file in {@code src/test/resources/cloudtrail}. */
  static String text(String name) {
    try {
      return Files.readString(RECORDS.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The entries of a record file. */
  static List<RecordFile.Entry> entries(String name) {
    return ((RecordFile.Result.Read) RecordFile.read(text(name))).entries();
  }

  /** The one record of a single-record file. */
  static TrailRecord record(String name) {
    return ((RecordFile.Entry.Parsed) entries(name).get(0)).record();
  }

  /** Key facts from the drifted-replica snapshot. */
  static SnapshotKeyFacts snapshot() {
    try {
      SnapshotReader.Result result = new SnapshotReader().read(Files.readString(SNAPSHOT));
      return new SnapshotKeyFacts(((SnapshotReader.Result.Read) result).snapshot());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The explanation of a single-record file against the snapshot. */
  static Explanation explain(String name) {
    return new Explainer(snapshot()).explain(entries(name).get(0)).orElseThrow();
  }
}
