package dev.mrkpolicyguard.core;

import dev.mrkpolicyguard.engine.rule.KeyFacts;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import java.util.Objects;

/**
 * The port through which the core reads what it needs to know about one KMS key: its role, primary,
 * state and manager, its policy and, for a replica, its primary's policy. Every failure left after
 * the adapter's retries is classified once, by {@link ReadFailure}; a reader never throws for one.
 */
public interface KeyReader {
  /** The key state given for keys whose metadata is not read (single-Region by their key ID). */
  String STATE_NOT_READ = "NotRead";

  /** Reads the key {@code keyArn}. */
  Read read(String keyArn);

  /**
   * Whether a key ID can only belong to a single-Region key: multi-Region key IDs, and only they,
   * start with {@code mrk-} (KMS developer guide, multi-region-keys-overview).
   */
  static boolean isSingleRegionKeyId(String keyId) {
    return !keyId.startsWith("mrk-");
  }

  /** The facts of a key known to be single-Region from its ID: no call is needed. */
  static KeyFacts singleRegion(String keyArn) {
    return new KeyFacts(
        keyArn,
        KeyRole.SINGLE_REGION,
        null,
        false,
        STATE_NOT_READ,
        new PolicyFact.NotNeeded(),
        new PolicyFact.NotNeeded());
  }

  /** What reading one key gave: its facts, or why it could not be read. */
  sealed interface Read {
    /** The key's ARN as asked for (or as KMS gave it). */
    String keyArn();

    /**
     * The key's facts; a policy that could not be read for a standing reason is an unreadable fact
     * in them.
     */
    record Facts(KeyFacts facts) implements Read {
      public Facts {
        Objects.requireNonNull(facts, "facts");
      }

      @Override
      public String keyArn() {
        return facts.keyArn();
      }
    }

    /**
     * DescribeKey failed for a standing reason ({@link ReadFailure#unreadable()}): the key is
     * judged from that alone ({@link ReadFailure#keyEvaluation}).
     */
    record Unreadable(String keyArn, ReadFailure failure) implements Read {
      public Unreadable {
        Objects.requireNonNull(keyArn, "keyArn");
        if (!failure.unreadable()) {
          throw new IllegalArgumentException("not a standing failure: " + failure);
        }
      }
    }

    /**
     * A read this key needs (DescribeKey, its policy or its primary's) failed in a way that says
     * nothing about the key: it is not judged this time.
     */
    record NotEvaluated(String keyArn, ReadFailure failure) implements Read {
      public NotEvaluated {
        Objects.requireNonNull(keyArn, "keyArn");
        Objects.requireNonNull(failure, "failure");
      }
    }
  }
}
