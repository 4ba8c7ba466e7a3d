package dev.mrkpolicyguard.remediation;

/** What one remediation run did, the first word of its output. */
public enum Outcome {
  /** The new policy was written and read back equivalent to the target. */
  APPLIED,
  /** The replica already grants exactly the target's access: nothing was written. */
  NO_CHANGE,
  /** A dry run: the output shows what would be written; nothing was. */
  DRY_RUN,
  /** The run declined before writing anything; the reason says what needs attention. */
  REFUSED,
  /** The run tried and did not finish; the reason says whether anything was written. */
  FAILED;

  /** Whether the run ended as asked: the command-line exit code 0. */
  public boolean succeeded() {
    return this == APPLIED || this == NO_CHANGE || this == DRY_RUN;
  }
}
