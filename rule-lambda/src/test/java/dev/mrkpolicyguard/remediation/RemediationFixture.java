package dev.mrkpolicyguard.remediation;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.aws.ApiCallCounter;
import dev.mrkpolicyguard.aws.ClientFactory;
import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.rule.RuleRunner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.config.ConfigClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The local stand-in with the engine's lockout check, a backup bucket, the Config rule, and the
 * remediation handler running as its own role; plus the SSM documents under an interpreter.
 */
final class RemediationFixture implements AutoCloseable {
  static final String ACCOUNT = "111122223333";
  static final String HOME = "eu-west-1";
  static final String PRIMARY_REGION = "us-east-1";
  static final String BUCKET = "mrk-policy-guard-backups";
  static final String FUNCTION = "mrk-policy-guard-remediation:live";
  static final String AUTOMATION_ROLE = "arn:aws:iam::111122223333:role/MrkPolicyGuardAutomation";

  /** Acts as the account's root: sets up keys and runs the rule. */
  static final String ROOT_KEY = "AKIDEXAMPLE";

  /** Acts as a key administrator role named in some policies. */
  static final String ADMIN_KEY = "AKIDKEYADMIN";

  static final String ADMIN_ROLE = "arn:aws:iam::111122223333:role/KeyAdmin";

  /** Acts as the remediation function's role session, as in Lambda. */
  static final String FUNCTION_KEY = "AKIDREMEDIATION";

  static final String FUNCTION_ROLE = "arn:aws:iam::111122223333:role/MrkPolicyGuardRemediation";
  static final ObjectMapper JSON = new ObjectMapper();

  final LocalAwsServer server =
      LocalAwsServer.builder()
          .accessKeyPrincipal(ADMIN_KEY, ADMIN_ROLE)
          .accessKeyPrincipal(
              FUNCTION_KEY,
              "arn:aws:sts::111122223333:assumed-role/MrkPolicyGuardRemediation/remediation")
          .configRule(RuleRunner.ruleName(), RuleRunner.token())
          .build()
          .start();
  final ByteArrayOutputStream handlerLog = new ByteArrayOutputStream();
  private final Map<String, KmsClient> kmsClients = new ConcurrentHashMap<>();

  RemediationFixture() {
    s3(ROOT_KEY, null).createBucket(r -> r.bucket(BUCKET));
  }

  @Override
  public void close() {
    server.stop();
  }

  // ---- policies ----

  static String defaultPolicy() {
    return "{\"Version\":\"2012-10-17\",\"Id\":\"key-default-1\",\"Statement\":[{\"Sid\":\"Enable IAM"
        + " User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
        + ACCOUNT
        + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
  }

  /** The default policy plus {@code statement} (JSON of one statement). */
  static String defaultPolicyWith(String statement) {
    return defaultPolicy().replace("}]}", "}," + statement + "]}");
  }

  static String partnerDecryptPolicy() {
    return defaultPolicyWith(
        "{\"Sid\":\"Partner\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
            + "\"arn:aws:iam::444455556666:root\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}");
  }

  /** Only {@code roleArns} may administer the key: no delegation to the account. */
  static String onlyRolesPolicy(String... roleArns) {
    StringBuilder principals = new StringBuilder();
    for (String role : roleArns) {
      principals.append(principals.length() == 0 ? "" : ",").append('"').append(role).append('"');
    }
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Administrators\",\"Effect\":"
        + "\"Allow\",\"Principal\":{\"AWS\":["
        + principals
        + "]},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
  }

  // ---- clients ----

  KmsClient kms(String region, String accessKey) {
    return kmsClients.computeIfAbsent(
        region + "|" + accessKey,
        k ->
            KmsClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.of(region))
                .credentialsProvider(credentials(accessKey))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(fastRetries()))
                .build());
  }

  KmsClient kms(String region) {
    return kms(region, ROOT_KEY);
  }

  S3Client s3(String accessKey, ExecutionInterceptor interceptorOrNull) {
    return S3Client.builder()
        .endpointOverride(server.endpoint())
        .forcePathStyle(true)
        .region(Region.of(HOME))
        .credentialsProvider(credentials(accessKey))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(
            c -> {
              c.retryStrategy(fastRetries());
              if (interceptorOrNull != null) {
                c.addExecutionInterceptor(interceptorOrNull);
              }
            })
        .build();
  }

  static AwsCredentialsProvider credentials(String accessKey) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "x"));
  }

  /** Quick retries, so that injected throttling does not slow the tests down. */
  static RetryStrategy fastRetries() {
    return AwsRetryStrategy.adaptiveRetryStrategy().toBuilder()
        .maxAttempts(12)
        .backoffStrategy(
            BackoffStrategy.exponentialDelay(Duration.ofMillis(2), Duration.ofMillis(50)))
        .throttlingBackoffStrategy(
            BackoffStrategy.exponentialDelay(Duration.ofMillis(5), Duration.ofMillis(100)))
        .build();
  }

  SdkClientFactory clients(String accessKey) {
    Supplier<RetryStrategy> retries = RemediationFixture::fastRetries;
    return new SdkClientFactory(HOME, server.endpoint(), credentials(accessKey), retries);
  }

  // ---- keys ----

  KeyMetadata primary(String policy) {
    return primary(policy, ROOT_KEY);
  }

  KeyMetadata primary(String policy, String accessKey) {
    return kms(PRIMARY_REGION, accessKey)
        .createKey(r -> r.multiRegion(true).policy(policy))
        .keyMetadata();
  }

  KeyMetadata replica(KeyMetadata primary, String policy, String accessKey) {
    return kms(PRIMARY_REGION, accessKey)
        .replicateKey(r -> r.keyId(primary.arn()).replicaRegion(HOME).policy(policy))
        .replicaKeyMetadata();
  }

  KeyMetadata replica(KeyMetadata primary, String policy) {
    return replica(primary, policy, ROOT_KEY);
  }

  String policyOf(KeyMetadata key) {
    return server.kms().policy(ACCOUNT, key.arn().split(":")[3], key.keyId()).orElseThrow();
  }

  /** Whether two JSON documents are the same tree (KMS stores what it is given, formatting too). */
  static boolean sameJson(String a, String b) {
    return parse(a).equals(parse(b));
  }

  long putKeyPolicyCalls() {
    return server.calls().count("kms", "PutKeyPolicy");
  }

  // ---- the rule, the handler, the documents ----

  String ruleVerdict(KeyMetadata key) {
    return RuleRunner.complianceOf(clients(ROOT_KEY), HOME, key);
  }

  RemediationHandler handler() {
    return handler(clients(FUNCTION_KEY));
  }

  RemediationHandler handler(ClientFactory clients) {
    return handler(clients, new RemediationSettings(HOME, BUCKET, null, Clock.systemUTC()));
  }

  RemediationHandler handler(ClientFactory clients, RemediationSettings settings) {
    return new RemediationHandler(
        clients, settings, new PrintStream(handlerLog, true, StandardCharsets.UTF_8));
  }

  /** PutKeyPolicy calls to keys in {@code region}. */
  long putKeyPolicyCalls(String region) {
    return server.calls().count("kms", "PutKeyPolicy", region);
  }

  /** The backup at {@code uri} (in the fixture's bucket) as stored. */
  String backupText(String uri) {
    String key = uri.substring(("s3://" + BUCKET + "/").length());
    return s3(ROOT_KEY, null).getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asUtf8String();
  }

  /**
   * Replaces the backup at {@code uri} by one whose policy is {@code policy}, with a matching
   * SHA-256: a forgery the digest cannot tell from a real backup.
   */
  void forgeBackup(String uri, String policy) {
    JsonNode real = parse(backupText(uri));
    PolicyBackup forged =
        new PolicyBackup(
            real.get("keyArn").asText(),
            policy,
            PolicyBackup.sha256(policy),
            real.get("reason").asText(),
            java.time.Instant.parse(real.get("time").asText()));
    String key = uri.substring(("s3://" + BUCKET + "/").length());
    s3(ROOT_KEY, null)
        .putObject(
            r -> r.bucket(BUCKET).key(key),
            software.amazon.awssdk.core.sync.RequestBody.fromBytes(forged.toJson()));
  }

  /** Invokes {@code handler} with {@code input} as Lambda would; returns its JSON output. */
  static String invoke(RequestStreamHandler handler, String input) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      handler.handleRequest(
          new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
          out,
          RuleRunner.context("req-1"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  AutomationInterpreter document(String file, RequestStreamHandler function) {
    Path path = Path.of("..", "cloudformation", "documents", file);
    if (!path.toFile().exists()) {
      path = Path.of("cloudformation", "documents", file);
    }
    return new AutomationInterpreter(path, this::automationKms, Map.of(FUNCTION, function));
  }

  AutomationInterpreter alignDocument(RequestStreamHandler function) {
    return document("align-replica-key-policy.yaml", function);
  }

  AutomationInterpreter restoreDocument(RequestStreamHandler function) {
    return document("restore-replica-key-policy.yaml", function);
  }

  /** A KMS client acting as a session of {@code roleArn}, assumed through the stand-in's STS. */
  private KmsClient automationKms(String roleArn) {
    StsClient sts =
        StsClient.builder()
            .endpointOverride(server.endpoint())
            .region(Region.of(HOME))
            .credentialsProvider(credentials(ROOT_KEY))
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(c -> c.retryStrategy(fastRetries()))
            .build();
    Credentials session =
        sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("automation")).credentials();
    return KmsClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.of(HOME))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsSessionCredentials.create(
                    session.accessKeyId(), session.secretAccessKey(), session.sessionToken())))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.retryStrategy(fastRetries()))
        .build();
  }

  /**
   * The function's clients, except that its S3 client runs {@code interceptor}: how a test acts
   * between the backup and the write.
   */
  ClientFactory clientsWithS3Interceptor(ExecutionInterceptor interceptor) {
    SdkClientFactory delegate = clients(FUNCTION_KEY);
    S3Client s3 = s3(FUNCTION_KEY, interceptor);
    return new ClientFactory() {
      @Override
      public AwsCredentialsProvider ownCredentials() {
        return delegate.ownCredentials();
      }

      @Override
      public AwsCredentialsProvider assumedRole(String roleArn, String sessionName) {
        return delegate.assumedRole(roleArn, sessionName);
      }

      @Override
      public KmsClient kms(String region, AwsCredentialsProvider credentials) {
        return delegate.kms(region, credentials);
      }

      @Override
      public ConfigClient config(String region, AwsCredentialsProvider credentials) {
        return delegate.config(region, credentials);
      }

      @Override
      public SsmClient ssm(String region, AwsCredentialsProvider credentials) {
        return delegate.ssm(region, credentials);
      }

      @Override
      public S3Client s3(String region, AwsCredentialsProvider credentials) {
        return s3;
      }

      @Override
      public ApiCallCounter calls() {
        return delegate.calls();
      }
    };
  }
}
