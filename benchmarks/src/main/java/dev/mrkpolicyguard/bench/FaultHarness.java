package dev.mrkpolicyguard.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.aws.ApiCallCounter;
import dev.mrkpolicyguard.aws.ClientFactory;
import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.engine.region.RegionMapper;
import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.localaws.config.StoredEvaluation;
import dev.mrkpolicyguard.localaws.fault.FaultRule;
import dev.mrkpolicyguard.localaws.kms.PermissiveLockoutCheck;
import dev.mrkpolicyguard.rule.ConfigRuleHandler;
import dev.mrkpolicyguard.rule.RuleSettings;
import dev.mrkpolicyguard.startup.StandInContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.config.ConfigClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The fault benchmark of the Config rule (issue 17): a periodic run over 200 replicas and 8
 * single-Region keys against the local stand-in (in this JVM) with latency on every call, first
 * without faults, then with 20% throttling and 5% HTTP 500 on every call, for each retry strategy
 * and with the limiter shared by the workers or one per worker; then three pathological keys among
 * the 200. Prints wall times, their ratio to the fault-free run, attempts received, and whether
 * every key got exactly one evaluation, the one the fault-free run gave it. Not a test: numbers go
 * to docs/benchmarks.md.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.mrkpolicyguard.bench.FaultHarness
 * [replicas] [repeats] [strategy,...|all] [pathological]}.
 */
public final class FaultHarness {
  private static final String ACCOUNT = "111122223333";
  private static final String RULE = "mrk-policy-guard";
  private static final String TOKEN = "fault-token";
  private static final String HOME = "eu-west-1";
  private static final String PRIMARY_REGION = "us-east-1";
  private static final int SINGLES = 8;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AwsCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));
  private static final String LATENCY = "20ms..80ms";

  private FaultHarness() {}

  /** A retry strategy under test, and whether each worker thread gets its own clients. */
  private record Strategy(String name, Supplier<RetryStrategy> retries, boolean perWorker) {}

  private static List<Strategy> strategies() {
    int attempts = SdkClientFactory.DEFAULT_MAX_ATTEMPTS;
    Supplier<RetryStrategy> adaptive =
        () -> AwsRetryStrategy.adaptiveRetryStrategy().toBuilder().maxAttempts(attempts).build();
    Supplier<RetryStrategy> standard =
        () -> AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(attempts).build();
    Supplier<RetryStrategy> standardQuickThrottle =
        () ->
            AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(attempts)
                .throttlingBackoffStrategy(
                    BackoffStrategy.exponentialDelay(
                        Duration.ofMillis(250), Duration.ofSeconds(20)))
                .build();
    Supplier<RetryStrategy> standardNoBreaker =
        () ->
            AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(attempts)
                .circuitBreakerEnabled(false)
                .build();
    return List.of(
        new Strategy("adaptive-shared", adaptive, false),
        new Strategy("adaptive-per-worker", adaptive, true),
        new Strategy("standard-shared", standard, false),
        new Strategy("standard-per-worker", standard, true),
        new Strategy("standard-no-breaker", standardNoBreaker, false),
        new Strategy("standard-250ms-throttle", standardQuickThrottle, false),
        new Strategy("standard-250ms-per-worker", standardQuickThrottle, true),
        new Strategy("default", SdkClientFactory.defaultRetries(), false));
  }

  public static void main(String[] args) throws IOException {
    int replicas = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    String only = args.length > 2 ? args[2] : "all";
    boolean pathological = args.length <= 3 || Boolean.parseBoolean(args[3]);
    try (LocalAwsServer server =
        LocalAwsServer.builder()
            .lockoutCheck(PermissiveLockoutCheck.INSTANCE)
            .configRule(RULE, TOKEN)
            .build()
            .start()) {
      List<String> slow = seed(server, replicas, pathological ? 3 : 0);
      // Warm-up: the first run pays for class loading and JIT compilation.
      latency(server);
      run(server, strategies().get(2), Duration.ofSeconds(900), null);
      run(server, strategies().get(2), Duration.ofSeconds(900), null);
      System.out.printf(
          "fleet: %d replicas in %s (primaries in %s), %d single-Region keys; latency %s on"
              + " every KMS and Config call; %d workers, %d attempts per call%n",
          replicas,
          HOME,
          PRIMARY_REGION,
          SINGLES,
          LATENCY,
          RuleSettings.DEFAULT_CONCURRENCY,
          SdkClientFactory.DEFAULT_MAX_ATTEMPTS);
      for (Strategy strategy : strategies()) {
        if (!only.equals("all") && !List.of(only.split(",")).contains(strategy.name())) {
          continue;
        }
        for (int i = 0; i < repeats; i++) {
          compare(server, strategy);
        }
      }
      if (pathological) {
        pathological(server, slow);
      }
    }
  }

  /** The fault-free run, then the faulty one, with the same strategy. */
  private static void compare(LocalAwsServer server, Strategy strategy) throws IOException {
    server.faults().clear();
    latency(server);
    Run clean = run(server, strategy, Duration.ofSeconds(900), null);
    server.faults().add(FaultRule.throttle("*", "*", 0.2));
    server.faults().add(FaultRule.serverError("*", "*", 500, 0.05));
    Run faulty = run(server, strategy, Duration.ofSeconds(900), null);
    server.faults().clear();
    boolean right = faulty.stored.equals(clean.stored) && faulty.once && clean.once;
    System.out.printf(
        "%-20s fault-free %6.1f s (%5d attempts)  faulty %6.1f s (%5d attempts)  ratio %5.2f"
            + "  keys posted %d/%d  exactly one right evaluation per key: %s%n",
        strategy.name(),
        clean.seconds,
        clean.attempts,
        faulty.seconds,
        faulty.attempts,
        faulty.seconds / clean.seconds,
        faulty.stored.size(),
        clean.keys,
        right ? "yes" : "NO (" + faulty.notEvaluated + " not evaluated)");
  }

  /**
   * Three replicas whose comparison is pathological (the engine's slow shape): with the default
   * comparison budget in a 900 s function, and with no budget to speak of in a 120 s function,
   * where only the deadline stops them. Every other key must be posted both times.
   */
  private static void pathological(LocalAwsServer server, List<String> slow) throws IOException {
    long start = System.nanoTime();
    var comparison =
        new dev.mrkpolicyguard.engine.compare.PolicyComparator()
            .compare(
                parse(slowPolicy(false)),
                new dev.mrkpolicyguard.engine.eval.KeyContext(
                    "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"),
                parse(slowPolicy(true)),
                new dev.mrkpolicyguard.engine.eval.KeyContext(
                    "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"));
    System.out.printf(
        "one pathological comparison without a budget: %s after %.1f s (%s)%n",
        comparison.verdict(), (System.nanoTime() - start) / 1e9, comparison.reason());
    server.faults().clear();
    latency(server);
    Strategy chosen = strategies().get(strategies().size() - 1);
    pathologicalRun(server, chosen, slow, Duration.ofSeconds(900), null);
    pathologicalRun(server, chosen, slow, Duration.ofSeconds(120), Duration.ofHours(1));
  }

  private static void pathologicalRun(
      LocalAwsServer server,
      Strategy strategy,
      List<String> slow,
      Duration timeout,
      Duration budgetOrNull)
      throws IOException {
    Run run = run(server, strategy, timeout, budgetOrNull);
    long undecided =
        slow.stream()
            .filter(id -> run.stored.getOrDefault(id, "").contains("ran out of its time budget"))
            .count();
    long slowPosted = slow.stream().filter(run.stored::containsKey).count();
    System.out.printf(
        "3 pathological keys of %d, %d s function, comparison budget %s: run %.1f s; posted %d of"
            + " %d keys; other keys not posted: %d; slow keys UNDECIDED out of time: %d, left"
            + " undecided at the deadline: %d%n",
        run.keys - SINGLES,
        timeout.toSeconds(),
        budgetOrNull == null ? "10 s" : budgetOrNull.toSeconds() + " s",
        run.seconds,
        run.stored.size(),
        run.keys,
        run.keys - run.stored.size() - (slow.size() - slowPosted),
        undecided,
        slow.size() - slowPosted);
  }

  private static dev.mrkpolicyguard.engine.policy.KeyPolicy parse(String json) {
    return ((dev.mrkpolicyguard.engine.parse.ParseResult.Parsed)
            new dev.mrkpolicyguard.engine.parse.PolicyParser().parse(json))
        .policy();
  }

  private static void latency(LocalAwsServer server) {
    server.faults().add(FaultRule.parse("kms:*:latency=" + LATENCY));
    server.faults().add(FaultRule.parse("config:*:latency=" + LATENCY));
  }

  /** One periodic run from a clean Config record (every key is posted). */
  private record Run(
      double seconds,
      long attempts,
      int keys,
      Map<String, String> stored,
      boolean once,
      int notEvaluated) {}

  private static Run run(
      LocalAwsServer server, Strategy strategy, Duration timeout, Duration budgetOrNull)
      throws IOException {
    server.config().reset();
    server.config().registerRuleEverywhere(RULE, TOKEN);
    ClientFactory clients =
        strategy.perWorker()
            ? new PerWorkerClients(server, strategy.retries())
            : new SdkClientFactory(HOME, server.endpoint(), CREDENTIALS, strategy.retries());
    RuleSettings settings =
        new RuleSettings(HOME, RuleSettings.DEFAULT_CONCURRENCY, 100, Clock.systemUTC());
    if (budgetOrNull != null) {
      settings = settings.withComparisonBudget(budgetOrNull, System::nanoTime);
    }
    ConfigRuleHandler handler =
        new ConfigRuleHandler(
            clients,
            settings,
            new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
    long attemptsBefore = server.calls().total();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long start = System.nanoTime();
    handler.handleRequest(
        new ByteArrayInputStream(scheduledEvent().getBytes(StandardCharsets.UTF_8)),
        out,
        fixedContext(timeout));
    double seconds = (System.nanoTime() - start) / 1e9;
    JsonNode result = JSON.readTree(out.toByteArray());
    Map<String, String> stored = new HashMap<>();
    Map<String, Integer> count = new HashMap<>();
    for (StoredEvaluation e : server.config().evaluations(ACCOUNT, HOME)) {
      stored.put(e.resourceId(), e.complianceType() + " " + e.annotation());
      count.merge(e.resourceId(), 1, Integer::sum);
    }
    boolean once = count.values().stream().allMatch(n -> n == 1);
    return new Run(
        seconds,
        server.calls().total() - attemptsBefore,
        result.get("keys").asInt(),
        stored,
        once,
        result.get("notEvaluated").size());
  }

  /** Seeds primaries and replicas (one in ten drifted), the slow ones last, and single keys. */
  private static List<String> seed(LocalAwsServer server, int replicas, int slowCount) {
    KmsClient primaryKms = kms(server, PRIMARY_REGION);
    KmsClient homeKms = kms(server, HOME);
    List<String> slow = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      boolean isSlow = i >= replicas - slowCount;
      String policy = isSlow ? slowPolicy(false) : ScaleHarness.policy(PRIMARY_REGION, i);
      KeyMetadata primary =
          primaryKms.createKey(r -> r.multiRegion(true).policy(policy)).keyMetadata();
      String replicaPolicy =
          isSlow ? slowPolicy(true) : new RegionMapper(PRIMARY_REGION, HOME).mapDocument(policy);
      boolean drifted = !isSlow && i % 10 == 0;
      String keyId =
          primaryKms
              .replicateKey(
                  r -> {
                    r.keyId(primary.keyId()).replicaRegion(HOME);
                    if (!drifted) {
                      r.policy(replicaPolicy);
                    }
                  })
              .replicaKeyMetadata()
              .keyId();
      if (isSlow) {
        slow.add(keyId);
      }
    }
    for (int i = 0; i < SINGLES; i++) {
      homeKms.createKey(r -> r.description("single-Region"));
    }
    return slow;
  }

  /**
   * The engine's slow shape (docs/semantics.md): 22 conditions each of which alone lets a role
   * decrypt, each statement six times; the replica also denies when none has its value. Searching
   * it to the node limit takes minutes.
   */
  static String slowPolicy(boolean replica) {
    StringBuilder statements = new StringBuilder();
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 22; i++) {
      for (int copy = 0; copy < 6; copy++) {
        statements.append(
            ",{\"Sid\":\"k"
                + i
                + "c"
                + copy
                + "\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
                + ACCOUNT
                + ":role/App\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\",\"Condition\":"
                + "{\"StringEquals\":{\"kms:EncryptionContext:k"
                + i
                + "\":\"a\"}}}");
      }
      all.append(i == 0 ? "" : ",").append("\"kms:EncryptionContext:k" + i + "\":\"b\"");
    }
    if (replica) {
      statements.append(
          ",{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
              + ACCOUNT
              + ":role/App\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\",\"Condition\":"
              + "{\"StringEquals\":{"
              + all
              + "}}}");
    }
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
        + "{\"AWS\":\"arn:aws:iam::"
        + ACCOUNT
        + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}"
        + statements
        + "]}";
  }

  private static final Map<String, KmsClient> SEEDING = new ConcurrentHashMap<>();

  private static KmsClient kms(LocalAwsServer server, String region) {
    return SEEDING.computeIfAbsent(
        region,
        r ->
            KmsClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.of(r))
                .credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .build());
  }

  private static String scheduledEvent() {
    String invoking =
        "{\\\"awsAccountId\\\":\\\""
            + ACCOUNT
            + "\\\",\\\"notificationCreationTime\\\":\\\"2026-11-28T12:00:00.000Z\\\","
            + "\\\"messageType\\\":\\\"ScheduledNotification\\\",\\\"recordVersion\\\":\\\"1.0\\\"}";
    return "{\"invokingEvent\":\""
        + invoking
        + "\",\"ruleParameters\":\"{}\",\"resultToken\":\""
        + TOKEN
        + "\",\"eventLeftScope\":false,\"configRuleName\":\""
        + RULE
        + "\",\"accountId\":\""
        + ACCOUNT
        + "\",\"version\":\"1.0\"}";
  }

  /**
   * Clients of their own for each worker thread (so each has its own retry limiter and token
   * bucket), built with the same retry strategy supplier and one counter.
   */
  private static final class PerWorkerClients implements ClientFactory {
    private final LocalAwsServer server;
    private final Supplier<RetryStrategy> retries;
    private final Map<Thread, SdkClientFactory> perThread = new ConcurrentHashMap<>();
    private final SdkClientFactory main;

    PerWorkerClients(LocalAwsServer server, Supplier<RetryStrategy> retries) {
      this.server = server;
      this.retries = retries;
      this.main = new SdkClientFactory(HOME, server.endpoint(), CREDENTIALS, retries);
    }

    private SdkClientFactory mine() {
      return perThread.computeIfAbsent(
          Thread.currentThread(),
          t -> new SdkClientFactory(HOME, server.endpoint(), CREDENTIALS, retries));
    }

    @Override
    public AwsCredentialsProvider ownCredentials() {
      return CREDENTIALS;
    }

    @Override
    public AwsCredentialsProvider assumedRole(String roleArn, String sessionName) {
      return main.assumedRole(roleArn, sessionName);
    }

    @Override
    public KmsClient kms(String region, AwsCredentialsProvider credentials) {
      return mine().kms(region, credentials);
    }

    @Override
    public ConfigClient config(String region, AwsCredentialsProvider credentials) {
      return main.config(region, credentials);
    }

    @Override
    public SsmClient ssm(String region, AwsCredentialsProvider credentials) {
      return main.ssm(region, credentials);
    }

    @Override
    public S3Client s3(String region, AwsCredentialsProvider credentials) {
      return main.s3(region, credentials);
    }

    @Override
    public ApiCallCounter calls() {
      return main.calls();
    }
  }

  /** A Lambda context whose remaining time is the function's timeout, as at the start. */
  private static Context fixedContext(Duration timeout) {
    return new StandInContext(
        "fault-harness",
        "local",
        "mrk-policy-guard-rule",
        "arn:aws:lambda:eu-west-1:111122223333:function:mrk-policy-guard-rule",
        1024,
        () -> (int) timeout.toMillis(),
        line -> {});
  }
}
