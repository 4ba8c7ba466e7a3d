package dev.mrkpolicyguard.explain;

import dev.mrkpolicyguard.engine.rule.KeyFacts;
import java.util.Objects;

/**
 * Where {@code explain} reads what it needs of a key: its role, its policy and its primary's
 * policy. Implemented over a snapshot ({@link SnapshotKeyFacts}) and over live KMS reads (in {@code
 * dev.mrkpolicyguard.aws}).
 */
@FunctionalInterface
public interface KeyFactsSource {
  /** The facts of the key {@code keyArn}. */
  Lookup lookup(String keyArn);

  /** What a source knows of one key. */
  sealed interface Lookup {
    /** The key's facts (an unreadable policy is a fact too). */
    record Found(KeyFacts facts) implements Lookup {
      public Found {
        Objects.requireNonNull(facts, "facts");
      }
    }

    /** The source has no such key; {@code reason} says where to look instead. */
    record NotFound(String reason) implements Lookup {
      public NotFound {
        Objects.requireNonNull(reason, "reason");
      }
    }

    /** The key could not be read; {@code reason} says why and how to fix it. */
    record Failed(String reason) implements Lookup {
      public Failed {
        Objects.requireNonNull(reason, "reason");
      }
    }
  }
}
