package dev.mrkpolicyguard.remediation;

/** What a remediation run writes to the replica. */
public enum Mode {
  /** The primary's policy, mapped into the replica's Region. */
  ALIGN_TO_PRIMARY,
  /** A policy backed up by an earlier run, exactly as it was. */
  RESTORE
}
