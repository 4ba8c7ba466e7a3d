package dev.mrkpolicyguard.engine.policy;

import java.util.List;
import java.util.Objects;

/**
 * An {@code Action}/{@code NotAction} or {@code Resource}/{@code NotResource} element.
 *
 * @param negated true for the {@code Not...} form
 * @param patterns the listed values, wildcards included
 */
public record PatternSpec(boolean negated, List<String> patterns) {
  public PatternSpec {
    patterns = List.copyOf(Objects.requireNonNull(patterns, "patterns"));
  }
}
