package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.startup.Priming;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.config.ConfigClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Builds a client of each SDK service in the jar and makes each request the functions make, through
 * {@link NoNetworkHttpClient}. A function's jar holds only the services it calls, so each service
 * is primed only when its client class is there.
 */
public final class SdkPriming {
  /** A placeholder, not a credential: nothing signed with it leaves the JVM. */
  private static final StaticCredentialsProvider PLACEHOLDER =
      StaticCredentialsProvider.create(
          AwsBasicCredentials.create("AKIAPRIMINGEXAMPLE00", "priming-placeholder-not-a-secret"));

  private static final String KEY = Priming.PRIMARY_ARN;

  /**
   * The classes the default credential chain loads when it resolves: in a SnapStart function the
   * chain ends at the container provider, which fetches the function's credentials over HTTP from
   * the endpoint in AWS_CONTAINER_CREDENTIALS_FULL_URI
   * (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-activate.html#snapstart-credentials).
   * Loaded and initialised only: resolving them would put the function's credentials into the
   * snapshot.
   */
  private static final List<String> CREDENTIAL_CHAIN_CLASSES =
      List.of(
          "software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain",
          "software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider",
          "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider",
          "software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider",
          "software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider",
          "software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider",
          "software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider$ContainerCredentialsEndpointProvider",
          "software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider",
          "software.amazon.awssdk.auth.credentials.internal.HttpCredentialsLoader",
          "software.amazon.awssdk.auth.credentials.internal.HttpCredentialsLoader$LoadedCredentials",
          "software.amazon.awssdk.auth.credentials.AwsSessionCredentials",
          "software.amazon.awssdk.regions.util.HttpResourcesUtils",
          "software.amazon.awssdk.regions.util.ResourcesEndpointProvider",
          "software.amazon.awssdk.regions.util.ResourcesEndpointRetryPolicy",
          "software.amazon.awssdk.regions.internal.util.ConnectionUtils");

  private SdkPriming() {}

  /**
   * Clients for {@code region} that all use {@code endpoint} (priming's loopback stand-in) and sign
   * with the placeholder, never the function's credentials.
   */
  public static SdkClientFactory clients(String region, URI endpoint) {
    return SdkClientFactory.forAws(region, endpoint, PLACEHOLDER);
  }

  /**
   * Closes the clients {@code clients} made for {@code regions} (each ends its scheduler thread):
   * the services a function's jar holds, with the factory's own credentials.
   */
  public static void close(SdkClientFactory clients, List<String> regions) {
    AwsCredentialsProvider own = clients.ownCredentials();
    for (String region : Set.copyOf(regions)) {
      closeIfPresent("kms.KmsClient", () -> clients.kms(region, own));
      closeIfPresent("config.ConfigClient", () -> clients.config(region, own));
      closeIfPresent("ssm.SsmClient", () -> clients.ssm(region, own));
      closeIfPresent("sqs.SqsClient", () -> clients.sqs(region, own));
      closeIfPresent("sts.StsClient", () -> clients.sts(region, own));
      closeIfPresent("s3.S3Client", () -> clients.s3(region, own));
      closeIfPresent("cloudtrail.CloudTrailClient", () -> clients.cloudTrail(region, own));
    }
  }

  private static void closeIfPresent(String service, Supplier<? extends SdkClient> client) {
    if (present("software.amazon.awssdk.services." + service)) {
      client.get().close();
    }
  }

  /**
   * Builds the default credential chain and the container provider and loads the classes they use
   * when they resolve, without resolving anything: no credential is fetched or kept.
   */
  public static void loadCredentialChain() {
    DefaultCredentialsProvider.builder().build().close();
    ContainerCredentialsProvider.builder().build().close();
    ClassLoader loader = SdkPriming.class.getClassLoader();
    for (String name : CREDENTIAL_CHAIN_CLASSES) {
      try {
        Class.forName(name, true, loader);
      } catch (ClassNotFoundException | LinkageError absent) {
        // Another SDK version names it otherwise: that class is left to the first event.
      }
    }
  }

  public static void run(SdkHttpClient http, List<String> problems) {
    Priming.attempt("retry strategy", problems, () -> SdkClientFactory.defaultRetries().get());
    if (present("software.amazon.awssdk.services.kms.KmsClient")) {
      Priming.attempt("kms", problems, () -> kms(http));
    }
    if (present("software.amazon.awssdk.services.config.ConfigClient")) {
      Priming.attempt("config", problems, () -> config(http));
    }
    if (present("software.amazon.awssdk.services.ssm.SsmClient")) {
      Priming.attempt("ssm", problems, () -> ssm(http));
    }
    if (present("software.amazon.awssdk.services.s3.S3Client")) {
      Priming.attempt("s3", problems, () -> s3(http));
    }
    if (present("software.amazon.awssdk.services.sqs.SqsClient")) {
      Priming.attempt("sqs", problems, () -> sqs(http));
    }
    if (present("software.amazon.awssdk.services.sts.StsClient")) {
      Priming.attempt("sts", problems, () -> sts(http));
    }
  }

  private static void kms(SdkHttpClient http) {
    try (KmsClient kms = build(KmsClient.builder(), http)) {
      call(() -> kms.describeKey(r -> r.keyId(KEY)));
      call(() -> kms.getKeyPolicy(r -> r.keyId(KEY).policyName("default")));
      call(() -> kms.listKeys(r -> r.limit(1000)));
      call(() -> kms.putKeyPolicy(r -> r.keyId(KEY).policyName("default").policy("{}")));
    }
  }

  private static void config(SdkHttpClient http) {
    try (ConfigClient config = build(ConfigClient.builder(), http)) {
      call(
          () ->
              config.putEvaluations(
                  r ->
                      r.resultToken("priming")
                          .evaluations(
                              e ->
                                  e.complianceResourceType("AWS::KMS::Key")
                                      .complianceResourceId("mrk-1234abcd12ab34cd56ef1234567890ab")
                                      .complianceType("COMPLIANT")
                                      .orderingTimestamp(Instant.EPOCH))));
      call(
          () ->
              config.getResourceConfigHistory(
                  r -> r.resourceType("AWS::KMS::Key").resourceId("priming").limit(1)));
      call(() -> config.describeConfigRules(r -> r.configRuleNames("priming")));
      call(() -> config.startConfigRulesEvaluation(r -> r.configRuleNames("priming")));
    }
  }

  private static void ssm(SdkHttpClient http) {
    try (SsmClient ssm = build(SsmClient.builder(), http)) {
      call(() -> ssm.getParameter(r -> r.name("/mrk-policy-guard/priming")));
    }
  }

  private static void s3(SdkHttpClient http) {
    try (S3Client s3 = build(S3Client.builder(), http)) {
      call(
          () ->
              s3.putObject(
                  r -> r.bucket("priming").key("priming.json").contentType("application/json"),
                  RequestBody.fromString("{}")));
      call(() -> s3.getObjectAsBytes(r -> r.bucket("priming").key("priming.json")));
    }
  }

  private static void sqs(SdkHttpClient http) {
    try (SqsClient sqs = build(SqsClient.builder(), http)) {
      call(
          () ->
              sqs.sendMessage(
                  r ->
                      r.queueUrl("https://sqs.us-east-1.amazonaws.com/111122223333/priming")
                          .messageBody("{}")
                          .delaySeconds(60)));
    }
  }

  private static void sts(SdkHttpClient http) {
    try (StsClient sts = build(StsClient.builder(), http)) {
      call(
          () ->
              sts.assumeRole(
                  r ->
                      r.roleArn("arn:aws:iam::111122223333:role/priming")
                          .roleSessionName("priming")));
    }
  }

  private static <
          C extends SdkClient, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>>
      C build(B builder, SdkHttpClient http) {
    return builder
        .region(Region.US_EAST_1)
        .credentialsProvider(PLACEHOLDER)
        .httpClient(http)
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /** One request: the SDK may reject the placeholder answer ({@code {}}); the request ran. */
  private static void call(Runnable request) {
    try {
      request.run();
    } catch (SdkException expected) {
      // The answer is not what the operation returns; only the request path mattered.
    }
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, SdkPriming.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
