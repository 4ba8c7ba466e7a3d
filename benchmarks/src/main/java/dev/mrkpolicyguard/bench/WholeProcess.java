package dev.mrkpolicyguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.localaws.kms.PermissiveLockoutCheck;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The whole-process benchmark (issue 16, docs/benchmarks.md "Whole process"): the stand-in in this
 * JVM with 10 ms latency on every call, a fleet of replicas (primaries in us-east-1, one in ten
 * replicas drifted) and as many single-Region keys in eu-west-1; then, against the same stand-in,
 * the rule's periodic run as a process ({@code java -jar rule-lambda.jar invoke}), the boto3 script
 * of the documented pattern ({@code benchmarks/boto3_drift.py}), and one change event through
 * {@code invoke} against {@code java -version}. Prints wall and CPU time, peak RSS, calls against
 * the minimum, and whether each result is right. Run by {@code benchmarks/whole-process.sh}.
 *
 * <p>Arguments: CLI jar, boto3 script, replicas, JVM flags for our process (one string, may be
 * empty).
 */
public final class WholeProcess {
  private static final String ACCOUNT = "111122223333";
  private static final String HOME = "eu-west-1";
  private static final String PRIMARY_REGION = "us-east-1";
  private static final String RULE = "mrk-policy-guard";
  private static final String TOKEN = "example-result-token";
  private static final ObjectMapper JSON = new ObjectMapper();

  private WholeProcess() {}

  public static void main(String[] args) throws Exception {
    Path cli = Path.of(args[0]);
    cliJar = cli;
    Path script = Path.of(args[1]);
    int replicas = Integer.parseInt(args[2]);
    List<String> flags =
        args.length > 3 && !args[3].isBlank() ? List.of(args[3].split(" ")) : List.of();
    try (LocalAwsServer server =
        LocalAwsServer.builder()
            .lockoutCheck(PermissiveLockoutCheck.INSTANCE)
            .configRule(RULE, TOKEN)
            .threads(64)
            .build()
            .start()) {
      URI endpoint = server.endpoint();
      long t0 = System.nanoTime();
      Set<String> drifted = seed(endpoint, replicas);
      System.out.printf(
          "seeded %d replicas (%d drifted) and %d single-Region keys in %s, primaries in %s, in %.1f s%n",
          replicas, drifted.size(), replicas, HOME, PRIMARY_REGION, (System.nanoTime() - t0) / 1e9);
      server.faults().add("*:*:latency=10ms");
      Path work = Files.createTempDirectory("whole-process");

      // 1. The rule's periodic run, as a process.
      Path event = work.resolve("scheduled.json");
      Files.writeString(event, scheduledEvent());
      if (LAUNCHER != null) {
        // The launcher's first run makes its class archive (on JDK 17 at exit); users pay it once.
        Path warm = work.resolve("warm.json");
        warmKey = drifted.iterator().next();
        Files.writeString(warm, changeEvent(warmKey));
        Run made =
            timed(
                cli(
                    flags,
                    cli,
                    "invoke",
                    "--event",
                    warm.toString(),
                    "--endpoint-url",
                    endpoint.toString(),
                    "--region",
                    HOME),
                work.resolve("warm.out"),
                work.resolve("warm.err"));
        System.out.printf(
            "launcher %s: its first run (makes the class archive) %.2f s wall%n",
            LAUNCHER, made.wall());
      }
      long before = server.calls().total();
      long standInCpu = processCpuNanos();
      List<String> ours =
          cli(
              flags,
              cli,
              "invoke",
              "--event",
              event.toString(),
              "--endpoint-url",
              endpoint.toString(),
              "--region",
              HOME);
      Run rule = timed(ours, work.resolve("rule.out"), work.resolve("rule.err"));
      long ruleCalls = server.calls().total() - before;
      double standIn = (processCpuNanos() - standInCpu) / 1e9;
      JsonNode posted = JSON.readTree(Files.readString(work.resolve("rule.out")));
      Set<String> nonCompliant = new TreeSet<>();
      int evaluations = 0;
      for (JsonNode e : posted) {
        evaluations++;
        if ("NON_COMPLIANT".equals(e.path("ComplianceType").asText())) {
          nonCompliant.add(e.path("ComplianceResourceId").asText());
        }
      }
      long minimum = minimumCalls(replicas, evaluations);
      if (warmKey != null
          && !nonCompliant.contains(warmKey)
          && Files.readString(work.resolve("warm.out")).contains("\"NON_COMPLIANT\"")) {
        // The launcher's first run posted it NON_COMPLIANT; the periodic run posts only changes.
        nonCompliant.add(warmKey);
      }
      if ("periodic".equals(System.getenv("WHOLE_PROCESS_ONLY"))) {
        System.out.printf(
            "periodic run (ours): %.2f s wall, %.2f s CPU (%.2f ms CPU per key), peak RSS %d MB,"
                + " %d calls (minimum %d), %d NON_COMPLIANT of %d drifted; the stand-in used"
                + " %.2f s CPU meanwhile%n",
            rule.wall(),
            rule.cpu(),
            500 * rule.cpu() / replicas,
            rule.rssKb() / 1024,
            ruleCalls,
            minimum,
            nonCompliant.size(),
            drifted.size(),
            standIn);
        return;
      }

      // 2. The boto3 script of the documented pattern, against the same stand-in.
      before = server.calls().total();
      Run boto =
          timed(
              List.of("python3", script.toString(), endpoint.toString(), HOME),
              work.resolve("boto3.out"),
              work.resolve("boto3.err"));
      long botoCalls = server.calls().total() - before;
      Set<String> botoDrifted = new TreeSet<>();
      JSON.readTree(Files.readString(work.resolve("boto3.out")))
          .path("drifted")
          .forEach(n -> botoDrifted.add(n.asText()));

      // 3. One change event through invoke, against java -version.
      String keyId = drifted.iterator().next();
      Path change = work.resolve("change.json");
      Files.writeString(change, changeEvent(keyId));
      List<String> one =
          cli(
              flags,
              cli,
              "invoke",
              "--event",
              change.toString(),
              "--endpoint-url",
              endpoint.toString(),
              "--region",
              HOME);
      List<String> version = new ArrayList<>(List.of("java"));
      version.addAll(flags);
      version.add("-version");
      // One process start is noisy at this scale (tens of ms): EVENT_RUNS of each, in turn, and
      // their medians.
      List<Run> events = new ArrayList<>();
      List<Run> versions = new ArrayList<>();
      boolean oneRight = true;
      for (int i = 0; i < EVENT_RUNS; i++) {
        Run e = timed(one, work.resolve("one.out"), work.resolve("one.err"));
        oneRight &=
            e.exit() == 0
                && Files.readString(work.resolve("one.out")).contains("\"NON_COMPLIANT\"");
        events.add(e);
        versions.add(timed(version, work.resolve("version.out"), work.resolve("version.err")));
      }
      Run event1 = median(events);
      Run jv = median(versions);

      int keys = 2 * replicas;
      System.out.printf(
          "JVM flags: %s%n",
          LAUNCHER != null
              ? "those of " + LAUNCHER
              : flags.isEmpty() ? "(none)" : String.join(" ", flags));
      System.out.printf(
          "periodic run (ours): %.2f s wall, %.2f s CPU (%.2f ms CPU per key), peak RSS %d MB,"
              + " %d calls (minimum %d, %.3f x), exit %d, result %s%n",
          rule.wall(),
          rule.cpu(),
          1000 * rule.cpu() / keys,
          rule.rssKb() / 1024,
          ruleCalls,
          minimum,
          (double) ruleCalls / minimum,
          rule.exit(),
          nonCompliant.equals(drifted)
              ? "right (" + nonCompliant.size() + " NON_COMPLIANT, the drifted ones)"
              : "WRONG ("
                  + nonCompliant.size()
                  + " NON_COMPLIANT, "
                  + drifted.size()
                  + " drifted)");
      System.out.printf(
          "stand-in meanwhile:  %.2f s CPU (in this JVM, on the same cores as our process)%n",
          standIn);
      System.out.printf(
          "boto3 script:        %.2f s wall, %.2f s CPU, %d calls, exit %d, result %s%n",
          boto.wall(),
          boto.cpu(),
          botoCalls,
          boto.exit(),
          botoDrifted.equals(drifted)
              ? "right"
              : "WRONG (flags "
                  + botoDrifted.size()
                  + " replicas as drifted, "
                  + drifted.size()
                  + " are: a text diff sees Regional values as drift)");
      System.out.printf(
          "ratio boto3 / ours:  %.1f x (target at least 10 x)%n", boto.wall() / rule.wall());
      System.out.printf(
          "one change event:    median of %d: %.2f s wall, %.2f s CPU, result %s; java -version"
              + " %.2f s; ratio %.1f x (target at most 15 x); event runs %s%n",
          EVENT_RUNS,
          event1.wall(),
          event1.cpu(),
          oneRight ? "right" : "WRONG",
          jv.wall(),
          event1.wall() / jv.wall(),
          events.stream().map(r -> String.format("%.2f", r.wall())).toList());
      if (rule.exit() != 0) {
        System.out.println("rule stderr: " + tail(work.resolve("rule.err")));
      }
      if (boto.exit() != 0) {
        System.out.println("boto3 stderr: " + tail(work.resolve("boto3.err")));
      }
    }
  }

  /**
   * ListKeys pages, and for each multi-Region key (its ID starts with {@code mrk-}; a single-Region
   * key needs no call beyond the listing) one DescribeKey, its policy and its primary's (one
   * primary per replica here), and the posts of 100 evaluations each.
   */
  static long minimumCalls(int replicas, int evaluations) {
    int keys = 2 * replicas;
    return (keys + 999) / 1000 + 3L * replicas + (evaluations + 99) / 100;
  }

  /**
   * A launcher to run our process through instead of {@code java [flags] -jar CLI} ({@code
   * WHOLE_PROCESS_LAUNCHER=bin/mrk-policy-guard}), with its cache in a fresh directory.
   */
  private static final String LAUNCHER = System.getenv("WHOLE_PROCESS_LAUNCHER");

  private static Path launcherCache;

  /** The drifted key whose change event the launcher's first run posted, or null. */
  private static String warmKey;

  /** The command-line jar the launcher runs. */
  private static Path cliJar;

  /** Our process: through the launcher, or {@code java [flags] -jar cli}, with {@code args}. */
  private static List<String> cli(List<String> flags, Path cli, String... args) {
    List<String> command = new ArrayList<>();
    if (LAUNCHER != null) {
      command.add(LAUNCHER);
    } else {
      command.add("java");
      command.addAll(flags);
      command.addAll(List.of("-jar", cli.toString()));
    }
    command.addAll(List.of(args));
    return command;
  }

  /** How many times the single event and {@code java -version} run. */
  private static final int EVENT_RUNS = 7;

  /** The run of median wall time. */
  private static Run median(List<Run> runs) {
    List<Run> sorted = new ArrayList<>(runs);
    sorted.sort(java.util.Comparator.comparingDouble(Run::wall));
    return sorted.get(sorted.size() / 2);
  }

  record Run(double wall, double cpu, long rssKb, int exit) {}

  /** The CPU time of this JVM (the stand-in serves from it), in nanoseconds. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static final Pattern WALL =
      Pattern.compile(
          "Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\): (?:(\\d+):)?(\\d+):([\\d.]+)");

  /** Runs {@code command} under /usr/bin/time -v: wall, user + system CPU, peak RSS. */
  static Run timed(List<String> command, Path out, Path err)
      throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of("/usr/bin/time", "-v"));
    full.addAll(command);
    ProcessBuilder builder =
        new ProcessBuilder(full).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
    builder.environment().put("AWS_SECRET_ACCESS_KEY", "secret");
    builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    if (LAUNCHER != null) {
      if (launcherCache == null) {
        launcherCache = Files.createTempDirectory("whole-process-cache");
      }
      builder.environment().put("XDG_CACHE_HOME", launcherCache.toString());
      builder.environment().put("MRK_POLICY_GUARD_JAR", cliJar.toAbsolutePath().toString());
    }
    Process p = builder.start();
    int exit = p.waitFor();
    String text = Files.readString(err, StandardCharsets.UTF_8);
    Matcher wall = WALL.matcher(text);
    if (!wall.find()) {
      throw new IllegalStateException("no timing from /usr/bin/time: " + tail(err));
    }
    double seconds =
        (wall.group(1) == null ? 0 : Integer.parseInt(wall.group(1)) * 3600)
            + Integer.parseInt(wall.group(2)) * 60
            + Double.parseDouble(wall.group(3));
    return new Run(
        seconds,
        number(text, "User time \\(seconds\\): ([\\d.]+)")
            + number(text, "System time \\(seconds\\): ([\\d.]+)"),
        (long) number(text, "Maximum resident set size \\(kbytes\\): (\\d+)"),
        exit);
  }

  private static double number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  private static String tail(Path file) throws IOException {
    String text = Files.readString(file);
    return text.substring(Math.max(0, text.length() - 2000));
  }

  /** Seeds the fleet; returns the key IDs of the drifted replicas. */
  private static Set<String> seed(URI endpoint, int replicas) throws Exception {
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));
    KmsClient primaryRegion =
        KmsClient.builder()
            .region(Region.of(PRIMARY_REGION))
            .credentialsProvider(credentials)
            .endpointOverride(endpoint)
            .build();
    KmsClient home =
        KmsClient.builder()
            .region(Region.of(HOME))
            .credentialsProvider(credentials)
            .endpointOverride(endpoint)
            .build();
    Set<String> drifted = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int i = 0; i < replicas; i++) {
        int index = i;
        work.add(
            pool.submit(
                () -> {
                  String policy = ScaleHarness.policy(PRIMARY_REGION, index);
                  String keyId =
                      primaryRegion
                          .createKey(r -> r.multiRegion(true).policy(policy))
                          .keyMetadata()
                          .keyId();
                  boolean drift = index % 10 == 0;
                  String replicaPolicy =
                      drift
                          ? policy.replace("kms:DescribeKey\"]", "kms:DescribeKey\",\"kms:Sign\"]")
                          : ScaleHarness.policy(HOME, index);
                  primaryRegion.replicateKey(
                      r -> r.keyId(keyId).replicaRegion(HOME).policy(replicaPolicy));
                  if (drift) {
                    drifted.add(keyId);
                  }
                  home.createKey(r -> r.description("single-Region"));
                }));
      }
      for (Future<?> f : work) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
      primaryRegion.close();
      home.close();
    }
    return new TreeSet<>(drifted);
  }

  private static String scheduledEvent() throws IOException {
    return JSON.writeValueAsString(
        JSON.createObjectNode()
            .put("version", "1.0")
            .put(
                "invokingEvent",
                "{\"awsAccountId\":\""
                    + ACCOUNT
                    + "\",\"notificationCreationTime\":"
                    + "\"2026-11-28T12:00:00.000Z\",\"messageType\":\"ScheduledNotification\","
                    + "\"recordVersion\":\"1.0\"}")
            .put("ruleParameters", "{}")
            .put("resultToken", TOKEN)
            .put("eventLeftScope", false)
            .put(
                "configRuleArn",
                "arn:aws:config:" + HOME + ":" + ACCOUNT + ":config-rule/config-rule-0abc12")
            .put("configRuleName", RULE)
            .put("configRuleId", "config-rule-0abc12")
            .put("accountId", ACCOUNT)
            .put("evaluationMode", "DETECTIVE"));
  }

  private static String changeEvent(String keyId) throws IOException {
    String example = Files.readString(Path.of("examples/events/configuration-item-change.json"));
    return example.replace("mrk-1234abcd12ab34cd56ef1234567890ab", keyId);
  }
}
