package dev.mrkpolicyguard.localaws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.config.ConfigClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/** Real SDK v2 clients pointed at a running stand-in, without retries so faults stay visible. */
public final class TestClients {
  public static final String ACCESS_KEY = "AKIDEXAMPLE";
  private static final SdkHttpClient HTTP = UrlConnectionHttpClient.create();

  private TestClients() {}

  public static KmsClient kms(LocalAwsServer server, String region) {
    return kms(server, region, AwsBasicCredentials.create(ACCESS_KEY, "x"));
  }

  public static KmsClient kms(LocalAwsServer server, String region, AwsCredentials credentials) {
    return KmsClient.builder()
        .httpClient(HTTP)
        .endpointOverride(server.endpoint())
        .region(Region.of(region))
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  public static ConfigClient config(LocalAwsServer server, String region) {
    return ConfigClient.builder()
        .httpClient(HTTP)
        .endpointOverride(server.endpoint())
        .region(Region.of(region))
        .credentialsProvider(basic())
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  public static CloudTrailClient cloudTrail(LocalAwsServer server, String region) {
    return CloudTrailClient.builder()
        .httpClient(HTTP)
        .endpointOverride(server.endpoint())
        .region(Region.of(region))
        .credentialsProvider(basic())
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  public static SqsClient sqs(LocalAwsServer server, String region) {
    return SqsClient.builder()
        .httpClient(HTTP)
        .endpointOverride(server.endpoint())
        .region(Region.of(region))
        .credentialsProvider(basic())
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  public static SsmClient ssm(LocalAwsServer server, String region) {
    return SsmClient.builder()
        .httpClient(HTTP)
        .endpointOverride(server.endpoint())
        .region(Region.of(region))
        .credentialsProvider(basic())
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  public static StsClient sts(LocalAwsServer server, AwsCredentials credentials) {
    return StsClient.builder()
        .httpClient(HTTP)
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  public static StsClient sts(LocalAwsServer server) {
    return sts(server, AwsBasicCredentials.create(ACCESS_KEY, "x"));
  }

  public static S3Client s3(LocalAwsServer server, String region) {
    return S3Client.builder()
        .httpClient(HTTP)
        .endpointOverride(server.endpoint())
        .forcePathStyle(true)
        .region(Region.of(region))
        .credentialsProvider(basic())
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  private static StaticCredentialsProvider basic() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, "x"));
  }
}
