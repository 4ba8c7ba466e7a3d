package dev.mrkpolicyguard.audit;

import java.util.Objects;

/**
 * Something wrong with a snapshot file, and where.
 *
 * @param path a JSON pointer to the bad field ({@code /keys/2/metadata/Arn}), or a text position
 *     such as {@code line 3, column 7} where the file is not JSON
 * @param message what is wrong, in words that say how to fix it
 */
public record SnapshotProblem(String path, String message) {
  public SnapshotProblem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** The problem as one line: {@code path: message}. */
  public String describe() {
    return (path.isEmpty() ? "/" : path) + ": " + message;
  }
}
