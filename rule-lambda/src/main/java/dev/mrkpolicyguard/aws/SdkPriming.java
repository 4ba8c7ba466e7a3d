package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.startup.Priming;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
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

  private SdkPriming() {}

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
