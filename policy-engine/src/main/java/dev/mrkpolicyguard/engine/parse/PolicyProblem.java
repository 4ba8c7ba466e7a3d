package dev.mrkpolicyguard.engine.parse;

import java.util.Objects;

/**
 * Something wrong with a key policy document, and where.
 *
 * @param location a JSON pointer ({@code /Statement/2/Principal/AWS/0}), or a text position such as
 *     {@code line 3, column 7} where the document is not JSON
 * @param message what is wrong, in words that say how to fix it
 */
public record PolicyProblem(String location, String message) {
  public PolicyProblem {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(message, "message");
  }

  /** The problem as one line: {@code location: message}. */
  public String describe() {
    return (location.isEmpty() ? "/" : location) + ": " + message;
  }
}
