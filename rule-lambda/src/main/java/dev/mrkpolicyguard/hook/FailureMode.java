package dev.mrkpolicyguard.hook;

/**
 * The hook's failure mode, as set on the {@code AWS::CloudFormation::LambdaHook} (CloudFormation
 * Hooks user guide): in WARN, CloudFormation shows a FAILED answer as a warning and goes on; in
 * FAIL, it stops the operation. The function needs it too, to decide what a primary it cannot read
 * means.
 */
public enum FailureMode {
  WARN,
  FAIL;

  /** {@code text} as a mode; WARN unless it is exactly FAIL (any case). */
  public static FailureMode of(String text) {
    return "FAIL".equalsIgnoreCase(text == null ? "" : text.strip()) ? FAIL : WARN;
  }
}
