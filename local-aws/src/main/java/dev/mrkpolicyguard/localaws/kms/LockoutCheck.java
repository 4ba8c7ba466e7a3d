package dev.mrkpolicyguard.localaws.kms;

/**
 * The judgement behind KMS's policy lockout safety check: would the new key policy still let the
 * calling principal call {@code kms:PutKeyPolicy} on the key?
 */
@FunctionalInterface
public interface LockoutCheck {

  boolean allowsPutKeyPolicy(String policyJson, String callerArn, String keyArn);
}
