package dev.mrkpolicyguard.trigger;

/** Port: reads a key's copies and state (DescribeKey in the key's own Region). */
public interface KeyCopiesReader {
  /** Describes the key named by {@code keyArn}. */
  Read read(String keyArn);

  /** The answer: the copies, or why they could not be read. */
  sealed interface Read {
    /** The key was described. */
    record Found(KeyCopies copies) implements Read {}

    /**
     * DescribeKey failed after the SDK's retries.
     *
     * @param standing true for an answer that asking again does not change (AccessDenied,
     *     NotFound): the same split as the rule's read failures
     */
    record Failed(String code, String message, boolean standing) implements Read {}
  }
}
