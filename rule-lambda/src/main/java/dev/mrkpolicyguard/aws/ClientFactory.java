package dev.mrkpolicyguard.aws;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.config.ConfigClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Where the rule gets its AWS clients and credentials. Implementations build each client once and
 * hand out the same instance afterwards, so a Lambda container reuses its connections.
 */
public interface ClientFactory {
  /** The function's own credentials (the default credential chain in Lambda). */
  AwsCredentialsProvider ownCredentials();

  /**
   * Credentials of a session of {@code roleArn}, assumed with the function's own credentials and
   * refreshed before they expire.
   */
  AwsCredentialsProvider assumedRole(String roleArn, String sessionName);

  /** A KMS client for {@code region} signing with {@code credentials}. */
  KmsClient kms(String region, AwsCredentialsProvider credentials);

  /** An AWS Config client for {@code region} signing with {@code credentials}. */
  ConfigClient config(String region, AwsCredentialsProvider credentials);

  /** An SSM client for {@code region} signing with {@code credentials}. */
  SsmClient ssm(String region, AwsCredentialsProvider credentials);

  /** An S3 client for {@code region} signing with {@code credentials}. */
  S3Client s3(String region, AwsCredentialsProvider credentials);

  /** Counts of the API calls made through these clients since the last {@link #resetCalls()}. */
  ApiCallCounter calls();

  /** Starts a new count of API calls (one per invocation). */
  default void resetCalls() {
    calls().reset();
  }
}
