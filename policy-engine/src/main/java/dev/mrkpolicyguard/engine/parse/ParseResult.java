package dev.mrkpolicyguard.engine.parse;

import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import java.util.List;
import java.util.Objects;

/** The outcome of parsing a key policy: the policy, or every problem found in it. */
public sealed interface ParseResult {

  /** A well-formed key policy. */
  record Parsed(KeyPolicy policy) implements ParseResult {
    public Parsed {
      Objects.requireNonNull(policy, "policy");
    }
  }

  /** A document KMS would reject, with the reasons. */
  record Invalid(List<PolicyProblem> problems) implements ParseResult {
    public Invalid {
      problems = List.copyOf(problems);
      if (problems.isEmpty()) {
        throw new IllegalArgumentException("an invalid policy needs at least one problem");
      }
    }

    /** All problems, one per line. */
    public String describe() {
      StringBuilder out = new StringBuilder();
      for (PolicyProblem problem : problems) {
        if (out.length() > 0) {
          out.append('\n');
        }
        out.append(problem.describe());
      }
      return out.toString();
    }
  }
}
