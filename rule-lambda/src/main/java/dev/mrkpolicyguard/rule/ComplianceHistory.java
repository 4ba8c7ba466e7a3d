package dev.mrkpolicyguard.rule;

import java.util.Map;

/**
 * The port to what AWS Config records for the rule now (GetComplianceDetailsByConfigRule, every
 * page, COMPLIANT, NON_COMPLIANT and NOT_APPLICABLE).
 */
public interface ComplianceHistory {
  /** The recorded result per key ID of the rule {@code ruleName}. */
  Map<String, ComplianceRecords.Recorded> recorded(String ruleName);
}
