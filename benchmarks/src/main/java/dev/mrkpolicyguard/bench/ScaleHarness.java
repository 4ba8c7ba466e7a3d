package dev.mrkpolicyguard.bench;

import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.engine.region.RegionMapper;
import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.KeyDecider;
import dev.mrkpolicyguard.engine.rule.KeyEvaluation;
import dev.mrkpolicyguard.engine.rule.KeyFacts;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import dev.mrkpolicyguard.rule.ConfigRuleHandler;
import dev.mrkpolicyguard.rule.RuleSettings;
import dev.mrkpolicyguard.startup.StandInContext;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.config.ConfigClient;
import software.amazon.awssdk.services.config.model.ComplianceType;
import software.amazon.awssdk.services.config.model.Evaluation;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.MultiRegionKeyType;

/**
 * The scale benchmark of the Config rule (issue 4): a periodic run over 10,000 replica keys (2,000
 * primaries in 2 other Regions) and 10,000 single-Region keys, against the local stand-in in its
 * own process with 10 ms latency injected on every KMS and Config call. Prints wall time, peak
 * heap, API calls by operation, the minimum possible calls, and a straightforward implementation in
 * the same harness.
 *
 * <p>KMS allows one replica of a key per Region, so 2,000 primaries carry 10,000 replicas only
 * across 5 Regions: the fleet is 5 Regions of 2,000 replicas and 2,000 single-Region keys each, and
 * the rule runs once per Region, as Config does. Run: {@code java -cp
 * benchmarks/target/benchmarks.jar dev.mrkpolicyguard.bench.ScaleHarness [local-aws.jar]
 * [primaries] [naive-regions]}.
 */
public final class ScaleHarness {
  private static final String ACCOUNT = "111122223333";
  private static final String RULE = "mrk-policy-guard";
  private static final String TOKEN = "scale-token";
  private static final List<String> PRIMARY_REGIONS = List.of("eu-west-1", "us-west-2");
  private static final List<String> REPLICA_REGIONS =
      List.of("us-east-1", "ap-southeast-2", "ca-central-1", "eu-central-1", "sa-east-1");
  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));

  /** When true, every primary names its own roles, so no two keys share a policy text. */
  private static boolean distinctPolicies;

  private ScaleHarness() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "local-aws/target/local-aws.jar");
    int primaries = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    int naiveRegions = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    distinctPolicies = args.length > 3 && Boolean.parseBoolean(args[3]);
    int port = freePort();
    Process standIn =
        new ProcessBuilder(
                "java",
                "-Xmx4g",
                "-jar",
                jar.toString(),
                "--port",
                String.valueOf(port),
                "--config-rule",
                RULE + ":" + TOKEN,
                "--lockout-check",
                "permissive",
                "--fault",
                "kms:*:latency=10ms",
                "--fault",
                "config:*:latency=10ms")
            .redirectErrorStream(true)
            .start();
    try {
      awaitReady(standIn);
      URI endpoint = URI.create("http://127.0.0.1:" + port);
      long seedStart = System.nanoTime();
      int[] seeded = seed(endpoint, primaries);
      System.out.printf(
          "seeded %d primaries, %d replicas, %d single-Region keys in %.1f s%n",
          seeded[0], seeded[1], seeded[2], (System.nanoTime() - seedStart) / 1e9);
      System.gc();
      optimised(endpoint, primaries);
      naive(endpoint, naiveRegions);
    } finally {
      standIn.destroy();
      standIn.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void optimised(URI endpoint, int primaries) throws IOException {
    HeapSampler heap = HeapSampler.start();
    Map<String, Long> calls = new TreeMap<>();
    long start = System.nanoTime();
    int posted = 0;
    for (String region : REPLICA_REGIONS) {
      SdkClientFactory clients =
          new SdkClientFactory(
              region,
              endpoint,
              CREDENTIALS,
              () -> AwsRetryStrategy.adaptiveRetryStrategy().toBuilder().maxAttempts(8).build());
      ConfigRuleHandler handler =
          new ConfigRuleHandler(
              clients,
              new RuleSettings(region, 16, 100, Clock.systemUTC()),
              new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      handler.handleRequest(
          new ByteArrayInputStream(scheduledEvent().getBytes(StandardCharsets.UTF_8)),
          out,
          StandInContext.local());
      posted += countPosted(out.toString(StandardCharsets.UTF_8));
      clients.calls().snapshot().forEach((op, n) -> calls.merge(op, n, Long::sum));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long peak = heap.stop();
    long total = calls.values().stream().mapToLong(Long::longValue).sum();
    int keysPerRegion = primaries * 2;
    long minimum = minimumCalls(primaries, keysPerRegion);
    System.out.printf(
        "%n## Optimised rule: %d Regions, %d evaluations posted%n", REPLICA_REGIONS.size(), posted);
    System.out.printf("wall time: %.1f s, peak heap: %d MB%n", seconds, peak / (1024 * 1024));
    calls.forEach((op, n) -> System.out.printf("  %-45s %,d%n", op, n));
    System.out.printf(
        "total calls: %,d; minimum possible: %,d; ratio %.3f%n",
        total, minimum, total / (double) minimum);
  }

  /**
   * ListKeys pages + DescribeKey per mrk key + GetKeyPolicy per replica and per distinct primary +
   * PutEvaluations batches, per Region.
   */
  private static long minimumCalls(int primaries, int keysPerRegion) {
    long perRegion =
        (keysPerRegion + 999) / 1000
            + primaries
            + primaries
            + primaries
            + (keysPerRegion + 99) / 100;
    return perRegion * REPLICA_REGIONS.size();
  }

  /**
   * The straightforward implementation: sequential, DescribeKey and GetKeyPolicy for every key and
   * again for a replica's primary, no cache, evaluations posted in batches of 100.
   */
  private static void naive(URI endpoint, int regions) {
    AtomicLong calls = new AtomicLong();
    KeyDecider decider = new KeyDecider();
    long start = System.nanoTime();
    int evaluated = 0;
    for (String region : REPLICA_REGIONS.subList(0, regions)) {
      KmsClient kms = kms(endpoint, region);
      ConfigClient config = config(endpoint, region);
      List<Evaluation> batch = new ArrayList<>();
      for (KeyListEntry key : listKeys(kms, calls)) {
        KeyMetadata meta = kms.describeKey(r -> r.keyId(key.keyArn())).keyMetadata();
        String policy = kms.getKeyPolicy(r -> r.keyId(key.keyArn()).policyName("default")).policy();
        calls.addAndGet(2);
        KeyFacts facts;
        if (Boolean.TRUE.equals(meta.multiRegion())
            && meta.multiRegionConfiguration().multiRegionKeyType() == MultiRegionKeyType.REPLICA) {
          String primaryArn = meta.multiRegionConfiguration().primaryKey().arn();
          KmsClient primaryKms =
              kms(endpoint, meta.multiRegionConfiguration().primaryKey().region());
          primaryKms.describeKey(r -> r.keyId(primaryArn));
          String primaryPolicy =
              primaryKms.getKeyPolicy(r -> r.keyId(primaryArn).policyName("default")).policy();
          calls.addAndGet(2);
          facts =
              new KeyFacts(
                  meta.arn(),
                  KeyRole.REPLICA,
                  primaryArn,
                  false,
                  meta.keyStateAsString(),
                  new PolicyFact.Known(policy),
                  new PolicyFact.Known(primaryPolicy));
        } else {
          facts =
              new KeyFacts(
                  meta.arn(),
                  KeyRole.SINGLE_REGION,
                  null,
                  false,
                  meta.keyStateAsString(),
                  new PolicyFact.NotNeeded(),
                  new PolicyFact.NotNeeded());
        }
        KeyEvaluation e = decider.decide(facts, Baseline.DEFAULT);
        batch.add(
            Evaluation.builder()
                .complianceResourceType("AWS::KMS::Key")
                .complianceResourceId(meta.keyId())
                .complianceType(ComplianceType.fromValue(e.compliance().name()))
                .annotation(e.annotation())
                .orderingTimestamp(Instant.now())
                .build());
        evaluated++;
        if (batch.size() == 100) {
          List<Evaluation> send = List.copyOf(batch);
          config.putEvaluations(r -> r.resultToken(TOKEN).evaluations(send));
          calls.incrementAndGet();
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        config.putEvaluations(r -> r.resultToken(TOKEN).evaluations(batch));
        calls.incrementAndGet();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "%n## Straightforward implementation: %d Region(s), %d evaluations%nwall time: %.1f s, calls: %,d%n",
        regions, evaluated, seconds, calls.get());
  }

  private static List<KeyListEntry> listKeys(KmsClient kms, AtomicLong calls) {
    List<KeyListEntry> keys = new ArrayList<>();
    String marker = null;
    do {
      String m = marker;
      var page = kms.listKeys(r -> r.limit(1000).marker(m));
      calls.incrementAndGet();
      keys.addAll(page.keys());
      marker = Boolean.TRUE.equals(page.truncated()) ? page.nextMarker() : null;
    } while (marker != null);
    return keys;
  }

  /** Seeds primaries, one replica of each in every replica Region, and single-Region keys. */
  private static int[] seed(URI endpoint, int primaries) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(48);
    AtomicLong replicas = new AtomicLong();
    AtomicLong singles = new AtomicLong();
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int i = 0; i < primaries; i++) {
        int index = i;
        work.add(pool.submit(() -> seedPrimary(endpoint, index, replicas)));
      }
      for (String region : REPLICA_REGIONS) {
        for (int i = 0; i < primaries; i++) {
          work.add(
              pool.submit(
                  () -> {
                    kms(endpoint, region).createKey(r -> r.description("single-Region"));
                    singles.incrementAndGet();
                  }));
        }
      }
      for (Future<?> f : work) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return new int[] {primaries, (int) replicas.get(), (int) singles.get()};
  }

  private static void seedPrimary(URI endpoint, int index, AtomicLong replicas) {
    String home = PRIMARY_REGIONS.get(index % PRIMARY_REGIONS.size());
    String policy = policy(home, index);
    KeyMetadata primary =
        kms(endpoint, home).createKey(r -> r.multiRegion(true).policy(policy)).keyMetadata();
    for (String region : REPLICA_REGIONS) {
      // One replica in ten keeps the KMS default policy, as ReplicateKey without Policy gives.
      boolean drifted = (index + region.hashCode()) % 10 == 0;
      String replicaPolicy = new RegionMapper(home, region).mapDocument(policy);
      kms(endpoint, home)
          .replicateKey(
              r -> {
                r.keyId(primary.keyId()).replicaRegion(region);
                if (!drifted) {
                  r.policy(replicaPolicy);
                }
              });
      replicas.incrementAndGet();
    }
  }

  /** A console-style key policy with Regional values: root, admins, users, grants, logs, EBS. */
  static String policy(String region, int index) {
    String admin =
        "arn:aws:iam::" + ACCOUNT + ":role/KeyAdmin" + (distinctPolicies ? index : index % 7);
    String app = "arn:aws:iam::" + ACCOUNT + ":role/App" + (distinctPolicies ? index : index % 13);
    return ("{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::ACCT:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},"
            + "{\"Sid\":\"Allow access for Key Administrators\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"ADMIN\"},\"Action\":[\"kms:Create*\",\"kms:Describe*\",\"kms:Enable*\",\"kms:List*\",\"kms:Put*\",\"kms:Update*\",\"kms:Revoke*\",\"kms:Disable*\",\"kms:Get*\",\"kms:Delete*\",\"kms:TagResource\",\"kms:UntagResource\",\"kms:ScheduleKeyDeletion\",\"kms:CancelKeyDeletion\",\"kms:ReplicateKey\",\"kms:UpdatePrimaryRegion\"],\"Resource\":\"*\"},"
            + "{\"Sid\":\"Allow use of the key\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"APP\"},\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:ReEncrypt*\",\"kms:GenerateDataKey*\",\"kms:DescribeKey\"],\"Resource\":\"*\"},"
            + "{\"Sid\":\"Allow attachment of persistent resources\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"APP\"},\"Action\":[\"kms:CreateGrant\",\"kms:ListGrants\",\"kms:RevokeGrant\"],\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"kms:GrantIsForAWSResource\":\"true\"}}},"
            + "{\"Sid\":\"Allow CloudWatch Logs\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"logs.REGION.amazonaws.com\"},\"Action\":[\"kms:Encrypt*\",\"kms:Decrypt*\",\"kms:GenerateDataKey*\",\"kms:Describe*\"],\"Resource\":\"*\",\"Condition\":{\"ArnLike\":{\"kms:EncryptionContext:aws:logs:arn\":\"arn:aws:logs:REGION:ACCT:*\"}}},"
            + "{\"Sid\":\"Allow EBS through EC2\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:ReEncrypt*\",\"kms:GenerateDataKey*\",\"kms:CreateGrant\",\"kms:DescribeKey\"],\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"kms:CallerAccount\":\"ACCT\",\"kms:ViaService\":\"ec2.REGION.amazonaws.com\"}}}"
            + "]}")
        .replace("ACCT", ACCOUNT)
        .replace("ADMIN", admin)
        .replace("APP", app)
        .replace("REGION", region);
  }

  /**
   * One client per Region, built once: building a client per call would bill its setup to every
   * call.
   */
  private static final Map<String, KmsClient> KMS = new ConcurrentHashMap<>();

  private static KmsClient kms(URI endpoint, String region) {
    return KMS.computeIfAbsent(
        region,
        r ->
            KmsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(r))
                .credentialsProvider(CREDENTIALS)
                .httpClient(HTTP)
                .build());
  }

  private static ConfigClient config(URI endpoint, String region) {
    return ConfigClient.builder()
        .endpointOverride(endpoint)
        .region(Region.of(region))
        .credentialsProvider(CREDENTIALS)
        .httpClient(HTTP)
        .build();
  }

  private static final software.amazon.awssdk.http.SdkHttpClient HTTP =
      UrlConnectionHttpClient.builder().build();

  private static String scheduledEvent() {
    String invoking =
        "{\\\"awsAccountId\\\":\\\""
            + ACCOUNT
            + "\\\",\\\"notificationCreationTime\\\":\\\""
            + Instant.now()
            + "\\\",\\\"messageType\\\":\\\"ScheduledNotification\\\",\\\"recordVersion\\\":\\\"1.0\\\"}";
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

  private static int countPosted(String output) {
    int count = 0;
    for (int i = output.indexOf("ComplianceResourceId");
        i >= 0;
        i = output.indexOf("ComplianceResourceId", i + 1)) {
      count++;
    }
    return count;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void awaitReady(Process process) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("local-aws listening on")) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "stand-in-output");
        drain.setDaemon(true);
        drain.start();
        return;
      }
    }
    throw new IllegalStateException("the stand-in exited before it was ready");
  }

  /** Samples heap use of this JVM every 10 ms and keeps the largest value. */
  private static final class HeapSampler {
    private final AtomicLong peak = new AtomicLong();
    private volatile boolean running = true;
    private final Thread thread;

    private HeapSampler() {
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        pool.resetPeakUsage();
      }
      thread =
          new Thread(
              () -> {
                while (running) {
                  peak.accumulateAndGet(
                      ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
                      Math::max);
                  try {
                    Thread.sleep(10);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "heap-sampler");
      thread.setDaemon(true);
    }

    static HeapSampler start() {
      HeapSampler sampler = new HeapSampler();
      sampler.thread.start();
      return sampler;
    }

    long stop() {
      running = false;
      long pools = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          pools += pool.getPeakUsage().getUsed();
        }
      }
      return Math.max(peak.get(), pools);
    }
  }
}
