package dev.mrkpolicyguard.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.config.ConfigClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Real SDK v2 clients over {@link UrlConnectionHttpClient} (small and quick to start in Lambda),
 * with the SDK's standard retry mode (exponential backoff with full jitter, a retry quota per
 * client, no client-side rate limiting; see {@link #defaultRetries()}). Clients and assumed-role
 * credentials are built once and reused. An attempt that ran out of its attempt timeout (only
 * writes set one) is never retried: see {@link NoRetryAfterTimeout}.
 */
public final class SdkClientFactory implements ClientFactory {
  /** Attempts per call in Lambda: the first try and up to seven retries. */
  public static final int DEFAULT_MAX_ATTEMPTS = 8;

  /**
   * The first backoff after a throttling error, before jitter: the SDK's default is 1 s, which made
   * a periodic run under 20% throttling 3-4 x slower than without; 250 ms, doubling up to 20 s,
   * keeps it within 3 x (docs/benchmarks.md).
   */
  public static final Duration THROTTLING_BASE_DELAY = Duration.ofMillis(250);

  static {
    dev.mrkpolicyguard.startup.HttpKeepAlive.ensure(); // idle connections for every worker
  }

  private final String stsRegion;
  private final URI endpoint;
  private final AwsCredentialsProvider own;
  private final Supplier<RetryStrategy> retries;
  private final SdkHttpClient http = UrlConnectionHttpClient.create();
  private final ApiCallCounter calls = new ApiCallCounter();
  private final ConcurrentMap<ClientKey, Object> clients = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, AwsCredentialsProvider> roles = new ConcurrentHashMap<>();

  /**
   * @param stsRegion the Region of the STS endpoint used to assume roles (the function's Region)
   * @param endpoint an endpoint for every service (a local stand-in), or {@code null} for AWS
   * @param own the function's own credentials
   * @param retries makes the retry strategy of each client
   */
  public SdkClientFactory(
      String stsRegion, URI endpoint, AwsCredentialsProvider own, Supplier<RetryStrategy> retries) {
    this.stsRegion = Objects.requireNonNull(stsRegion, "stsRegion");
    this.endpoint = endpoint;
    this.own = Objects.requireNonNull(own, "own");
    this.retries = Objects.requireNonNull(retries, "retries");
  }

  /** The HTTP client every client of this factory shares (kept alive, closed with none). */
  SdkHttpClient httpClient() {
    return http;
  }

  /** Clients for AWS in {@code region} with the default credential chain and default retries. */
  public static SdkClientFactory forAws(String region, URI endpointOrNull) {
    return forAws(region, endpointOrNull, DefaultCredentialsProvider.builder().build());
  }

  /** Clients for AWS in {@code region} signing with {@code credentials}, default retries. */
  public static SdkClientFactory forAws(
      String region, URI endpointOrNull, AwsCredentialsProvider credentials) {
    return new SdkClientFactory(region, endpointOrNull, credentials, defaultRetries());
  }

  /**
   * The retry strategy of every client in Lambda and the CLI, a new one per client: the SDK's
   * standard mode, 8 attempts, throttling backoff from {@link #THROTTLING_BASE_DELAY} doubling to
   * 20 s with full jitter. Not the adaptive mode: its client-side rate limiter, shared by the
   * workers of a client, cuts the send rate at every throttling error and recovers slowly, which
   * made a run under 20% throttling 25 to 80 x slower (docs/benchmarks.md). KMS throttles per
   * account and Region, shared with every other caller; backoff with jitter spreads the retries of
   * 12 workers without stalling them.
   */
  public static Supplier<RetryStrategy> defaultRetries() {
    return () ->
        AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .maxAttempts(DEFAULT_MAX_ATTEMPTS)
            .throttlingBackoffStrategy(
                BackoffStrategy.exponentialDelay(THROTTLING_BASE_DELAY, Duration.ofSeconds(20)))
            .build();
  }

  /** The Region of the STS endpoint that assumes roles. */
  public String stsRegion() {
    return stsRegion;
  }

  /** The Region these clients were made for: the function's own, where STS is called. */
  public String region() {
    return stsRegion;
  }

  @Override
  public AwsCredentialsProvider ownCredentials() {
    return own;
  }

  @Override
  public AwsCredentialsProvider assumedRole(String roleArn, String sessionName) {
    return roles.computeIfAbsent(
        roleArn + "|" + sessionName,
        k ->
            StsAssumeRoleCredentialsProvider.builder()
                .stsClient(client(StsClient.builder(), stsRegion, own))
                .refreshRequest(r -> r.roleArn(roleArn).roleSessionName(sessionName))
                .asyncCredentialUpdateEnabled(false)
                .build());
  }

  @Override
  public KmsClient kms(String region, AwsCredentialsProvider credentials) {
    return cached(KmsClient.class, region, credentials, () -> KmsClient.builder());
  }

  @Override
  public ConfigClient config(String region, AwsCredentialsProvider credentials) {
    return cached(ConfigClient.class, region, credentials, () -> ConfigClient.builder());
  }

  @Override
  public SsmClient ssm(String region, AwsCredentialsProvider credentials) {
    return cached(SsmClient.class, region, credentials, () -> SsmClient.builder());
  }

  /** A CloudTrail client for {@code region} signing with {@code credentials} ({@code explain}). */
  public CloudTrailClient cloudTrail(String region, AwsCredentialsProvider credentials) {
    return cached(CloudTrailClient.class, region, credentials, () -> CloudTrailClient.builder());
  }

  /** An SQS client for {@code region} signing with {@code credentials} (the trigger's queue). */
  public SqsClient sqs(String region, AwsCredentialsProvider credentials) {
    return cached(SqsClient.class, region, credentials, () -> SqsClient.builder());
  }

  /** A Lambda client for {@code region} signing with {@code credentials} (the reconcile). */
  public LambdaClient lambda(String region, AwsCredentialsProvider credentials) {
    return cached(LambdaClient.class, region, credentials, () -> LambdaClient.builder());
  }

  /** An STS client for {@code region} signing with {@code credentials}. */
  public StsClient sts(String region, AwsCredentialsProvider credentials) {
    return cached(StsClient.class, region, credentials, () -> StsClient.builder());
  }

  /** Path-style addressing when an endpoint is given: a local stand-in has no bucket host names. */
  @Override
  public S3Client s3(String region, AwsCredentialsProvider credentials) {
    return cached(
        S3Client.class,
        region,
        credentials,
        () -> S3Client.builder().forcePathStyle(endpoint != null));
  }

  @Override
  public ApiCallCounter calls() {
    return calls;
  }

  private <C, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> C cached(
      Class<C> type, String region, AwsCredentialsProvider credentials, Supplier<B> builder) {
    ClientKey key = new ClientKey(type, region, credentials);
    return type.cast(clients.computeIfAbsent(key, k -> client(builder.get(), region, credentials)));
  }

  private <C, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> C client(
      B builder, String region, AwsCredentialsProvider credentials) {
    builder
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .httpClient(http)
        .overrideConfiguration(
            ClientOverrideConfiguration.builder()
                .retryStrategy(new NoRetryAfterTimeout(retries.get()))
                .addExecutionInterceptor(calls)
                .build());
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }

  /** Credentials are compared by identity: each provider instance is one principal. */
  private record ClientKey(Class<?> type, String region, AwsCredentialsProvider credentials) {}
}
