package dev.mrkpolicyguard.rule;

import java.util.Map;

/**
 * The port to what AWS Config records for the rule now (GetComplianceDetailsByConfigRule, every
 * page, COMPLIANT, NON_COMPLIANT and NOT_APPLICABLE).
 */
public interface ComplianceHistory {
  /**
   * The recorded result per key ID of the rule {@code ruleName}.
   *
   * @throws Refused if Config refuses to show the rule's record (it does for rules an AWS service
   *     owns): the periodic run then posts every key instead
   */
  Map<String, ComplianceRecords.Recorded> recorded(String ruleName);

  /** Config refused the read itself (AccessDenied), as opposed to a failure worth retrying. */
  final class Refused extends RuntimeException {
    private final String errorCode;

    public Refused(String errorCode, String message) {
      super(message);
      this.errorCode = errorCode;
    }

    /** The error code Config answered with. */
    public String errorCode() {
      return errorCode;
    }
  }
}
