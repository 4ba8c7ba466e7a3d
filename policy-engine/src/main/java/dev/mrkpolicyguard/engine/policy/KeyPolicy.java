package dev.mrkpolicyguard.engine.policy;

import java.util.List;
import java.util.Objects;

/**
 * A parsed KMS key policy: the document as KMS stores it, with JSON shape variants (scalar or
 * array, principal spellings) already normalised.
 *
 * @param version the {@code Version} element, or {@code null} when absent
 * @param id the {@code Id} element, or {@code null}
 * @param statements the statements, in document order
 */
public record KeyPolicy(String version, String id, List<Statement> statements) {
  /** The current IAM policy language version, the only one in which policy variables work. */
  public static final String VERSION_2012 = "2012-10-17";

  /** The legacy version; policy variables are plain text there. */
  public static final String VERSION_2008 = "2008-10-17";

  public KeyPolicy {
    statements = List.copyOf(Objects.requireNonNull(statements, "statements"));
  }

  /** Whether {@code ${...}} in values is a policy variable (only in version 2012-10-17). */
  public boolean interpretsVariables() {
    return VERSION_2012.equals(version);
  }
}
