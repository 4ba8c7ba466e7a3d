package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.core.KmsKeys;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Opens other accounts for a capture: assumes the same read-only role in each (sts:AssumeRole with
 * the caller's own credentials, once per account, refreshed before the session expires) and hands
 * out the key reads and the caller identity of that account with the role's session.
 */
public final class AccountRoles {
  /** The session name AWS CloudTrail shows for the audit's calls in each account. */
  public static final String SESSION_NAME = "mrk-policy-guard-audit";

  private final SdkClientFactory clients;
  private final String roleName;
  private final String homeRegion;

  /** An account opened for reading, or why it could not be. */
  public sealed interface Opened {
    /**
     * The role was assumed: {@code keys} reads the account's keys with its session, and {@code
     * caller} says whom the session identifies as (sts:GetCallerIdentity).
     */
    record Reader(KmsKeys keys, Supplier<AccountReads.Caller> caller) implements Opened {}

    /** The role could not be assumed; {@code reason} says why and how to fix it. */
    record Refused(String reason) implements Opened {}
  }

  /** Assumes {@code roleName} through {@code clients}' STS endpoint in its Region. */
  public AccountRoles(SdkClientFactory clients, String roleName) {
    this.clients = Objects.requireNonNull(clients, "clients");
    this.roleName = Objects.requireNonNull(roleName, "roleName");
    this.homeRegion = clients.stsRegion();
  }

  /** Opens {@code account} (12 digits) in {@code partition} ({@code aws}, {@code aws-cn}, ...). */
  public Opened open(String partition, String account) {
    String roleArn = "arn:" + partition + ":iam::" + account + ":role/" + roleName;
    AwsCredentialsProvider session = clients.assumedRole(roleArn, SESSION_NAME);
    try {
      session.resolveCredentials();
    } catch (SdkException e) {
      return new Opened.Refused(refusal(roleArn, e));
    }
    return new Opened.Reader(
        new SdkKmsKeys(region -> clients.kms(region, session)),
        () -> AccountReads.caller(clients.sts(homeRegion, session)));
  }

  private static String refusal(String roleArn, SdkException e) {
    SdkException cause = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AwsServiceException aws) {
        cause = aws;
        break;
      }
    }
    return "cannot assume "
        + roleArn
        + " (sts:AssumeRole "
        + AwsErrors.code(cause)
        + "): "
        + AwsErrors.message(cause)
        + "; deploy cloudformation/audit-role.yaml in that account trusting the auditing"
        + " principal, or correct --role-name";
  }
}
