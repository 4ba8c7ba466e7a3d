package dev.mrkpolicyguard.explain;

import dev.mrkpolicyguard.audit.Snapshot;
import dev.mrkpolicyguard.audit.SnapshotKey;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import java.util.Objects;

/** Key facts from a snapshot ({@code export}, docs/snapshot.md): no AWS call is made. */
public final class SnapshotKeyFacts implements KeyFactsSource {
  private final Snapshot snapshot;

  public SnapshotKeyFacts(Snapshot snapshot) {
    this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
  }

  @Override
  public Lookup lookup(String keyArn) {
    for (SnapshotKey key : snapshot.keys()) {
      if (key.arn().equals(keyArn)) {
        return new Lookup.Found(snapshot.facts(key));
      }
    }
    KeyContext key = new KeyContext(keyArn);
    if (!key.accountId().equals(snapshot.account())) {
      return new Lookup.NotFound(
          "the key belongs to account "
              + key.accountId()
              + " and the snapshot is of account "
              + snapshot.account()
              + "; explain the record with a snapshot of the key's account");
    }
    if (!snapshot.regions().contains(key.region())) {
      return new Lookup.NotFound(
          key.region()
              + " is not in the snapshot; export again with --regions including "
              + key.region());
    }
    return new Lookup.NotFound(
        "the snapshot"
            + (snapshot.capturedAt() == null ? "" : " (captured " + snapshot.capturedAt() + ")")
            + " has no such key: it was created after the snapshot, deleted, or the record names a"
            + " key of another account");
  }
}
