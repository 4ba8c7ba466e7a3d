package dev.mrkpolicyguard.iac;

import java.util.Objects;

/**
 * Where a resource is written: the input file as given on the command line and the 1-based line of
 * its definition, or 0 when the input has no line for it.
 */
public record SourceLocation(String file, int line) {
  public SourceLocation {
    Objects.requireNonNull(file, "file");
    if (line < 0) {
      throw new IllegalArgumentException("line must be 0 (unknown) or positive: " + line);
    }
  }

  @Override
  public String toString() {
    return line > 0 ? file + ":" + line : file;
  }
}
