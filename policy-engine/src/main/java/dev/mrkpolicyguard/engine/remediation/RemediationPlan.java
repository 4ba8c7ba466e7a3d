package dev.mrkpolicyguard.engine.remediation;

import dev.mrkpolicyguard.engine.compare.Comparison;
import dev.mrkpolicyguard.engine.compare.Verdict;
import java.util.Objects;

/** What realigning a replica's policy to its primary's would do. */
public sealed interface RemediationPlan {

  /** The replica already grants exactly what the primary grants: nothing to write. */
  record NoChange(Verdict verdictBefore) implements RemediationPlan {
    public NoChange {
      Objects.requireNonNull(verdictBefore, "verdictBefore");
    }
  }

  /** Realigning is refused; the reason says what needs attention first. */
  record Refused(String reason) implements RemediationPlan {
    public Refused {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Write {@code targetPolicy} (the primary's policy mapped into the replica's Region).
   *
   * @param targetPolicy the policy document to put on the replica
   * @param before how the current replica policy compares with the primary's
   */
  record Apply(String targetPolicy, Comparison before) implements RemediationPlan {
    public Apply {
      Objects.requireNonNull(targetPolicy, "targetPolicy");
      Objects.requireNonNull(before, "before");
    }
  }
}
