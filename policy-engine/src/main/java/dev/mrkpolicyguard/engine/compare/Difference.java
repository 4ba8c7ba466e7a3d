package dev.mrkpolicyguard.engine.compare;

import java.util.Objects;

/**
 * One class of requests decided differently, with one witness.
 *
 * @param direction which policy allows the witness
 * @param kind how deep the difference goes
 * @param witness a request that shows it
 * @param explanation which statements decide the witness, in words
 */
public record Difference(
    Direction direction, DifferenceKind kind, Witness witness, String explanation) {
  public Difference {
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(witness, "witness");
    Objects.requireNonNull(explanation, "explanation");
  }
}
