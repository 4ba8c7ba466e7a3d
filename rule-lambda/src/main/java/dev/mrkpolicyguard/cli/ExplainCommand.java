package dev.mrkpolicyguard.cli;

import dev.mrkpolicyguard.audit.Connector;
import dev.mrkpolicyguard.audit.LiveOptions;
import dev.mrkpolicyguard.audit.SnapshotReader;
import dev.mrkpolicyguard.aws.CloudTrailEventHistory;
import dev.mrkpolicyguard.aws.KmsKeyFacts;
import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.aws.SdkKmsKeys;
import dev.mrkpolicyguard.cli.common.Arguments;
import dev.mrkpolicyguard.cli.common.CommandLine;
import dev.mrkpolicyguard.cli.common.UsageException;
import dev.mrkpolicyguard.core.KeyFactsReader;
import dev.mrkpolicyguard.core.Region;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.explain.EventHistory;
import dev.mrkpolicyguard.explain.ExplainReport;
import dev.mrkpolicyguard.explain.Explainer;
import dev.mrkpolicyguard.explain.Explanation;
import dev.mrkpolicyguard.explain.ExplanationJson;
import dev.mrkpolicyguard.explain.ExplanationText;
import dev.mrkpolicyguard.explain.KeyFactsSource;
import dev.mrkpolicyguard.explain.RecentDenials;
import dev.mrkpolicyguard.explain.RecordFile;
import dev.mrkpolicyguard.explain.RequestBuilder;
import dev.mrkpolicyguard.explain.SnapshotKeyFacts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * {@code explain}: explains AccessDenied (and other) CloudTrail records of KMS calls to replica
 * keys, from a file or from the Region's recent event history, against live key policies or a
 * snapshot. Exit codes: 0 every record explained, 4 some could not be (listed), 2 bad input or
 * usage.
 */
final class ExplainCommand {
  /** Inputs beyond this size (after decompression) are refused: a day of one account's trail. */
  static final int MAX_INPUT_BYTES = 256 * 1024 * 1024;

  /** Its section of the jar's help. */
  static final String USAGE_TEXT =
      """
        explain   explain CloudTrail records of KMS calls to replica keys: does the replica's
                  drift from its primary explain the AccessDenied? (docs/explain.md)
                  --records FILE | --lookup --region R [--since 1h] ; [--key KEY]
                  [--snapshot FILE | --profile P] [--endpoint-url URL] [--format text|json]
                  without --snapshot, the key policies are read live (read-only calls)
                  exit 0 every record explained, 2 bad input or usage,
                  4 some record could not be explained (listed)
      """;

  private static final Arguments.Spec OPTIONS =
      Arguments.Spec.of("explain")
          .value("records", "FILE")
          .flag("lookup")
          .value("region", "REGION")
          .value("since", "DURATION")
          .value("key", "KEY")
          .value("snapshot", "FILE")
          .value("profile", "PROFILE")
          .value("endpoint-url", "URL")
          .value("format", "text|json");
  private static final Pattern SINCE = Pattern.compile("(\\d{1,6})([mhd])");
  private static final Duration MAX_SINCE = Duration.ofDays(90);

  private final Connector connector;
  private final Clock clock;

  ExplainCommand() {
    this(Connector.AWS, Clock.systemUTC());
  }

  /**
   * A command that makes its AWS clients with {@code connector} and reads time from {@code clock}.
   */
  ExplainCommand(Connector connector, Clock clock) {
    this.connector = Objects.requireNonNull(connector, "connector");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Runs {@code explain} with the arguments after the command name; returns the exit code. */
  int run(String[] args, PrintStream out, PrintStream err) {
    return CommandLine.run(args, OPTIONS, USAGE_TEXT, out, err, this::run);
  }

  private int run(Arguments args, PrintStream out, PrintStream err) throws UsageException {
    String format = args.get("format").orElse("text");
    if (!format.equals("text") && !format.equals("json")) {
      throw new UsageException("--format must be text or json, not '" + format + "'");
    }
    boolean lookup = args.flag("lookup");
    if (lookup == args.get("records").isPresent()) {
      throw new UsageException(
          "give --records FILE (CloudTrail records) or --lookup --region REGION (recent failed"
              + " KMS calls), not both and not neither");
    }
    if (!lookup && (args.get("region").isPresent() || args.get("since").isPresent())) {
      throw new UsageException("--region and --since are for --lookup");
    }
    String key = key(args);
    URI endpoint = args.endpointUrl();
    String profile = args.get("profile").orElse(null);
    if (profile != null && profile.isBlank()) {
      throw new UsageException("--profile needs the name of a profile of ~/.aws/config");
    }
    Region home = lookup ? region(args) : new Region("us-east-1");
    Supplier<SdkClientFactory> clients =
        new Once<>(() -> connector.connect(new LiveOptions(List.of(home), profile, endpoint)));
    KeyFactsSource keys = keys(args, clients);

    ExplainReport report;
    if (lookup) {
      report = lookup(args, home.name(), key, clients, keys, err);
    } else {
      report = new Explainer(keys).explain(records(args.require("records"), key));
    }
    out.print(
        format.equals("json")
            ? ExplanationJson.render(report) + "\n"
            : ExplanationText.render(report));
    if (format.equals("json")) {
      for (Explanation.Unexplained u : report.unexplained()) {
        err.println("could not explain " + u.record().where() + ": " + u.problem());
      }
    }
    return report.exitCode();
  }

  private static String key(Arguments args) throws UsageException {
    String key = args.get("key").orElse(null);
    if (key == null) {
      return null;
    }
    if (KeyContext.parse(key).isEmpty() && !key.matches("(mrk-)?[0-9a-fA-F-]{8,}")) {
      throw new UsageException(
          "--key '" + key + "' is neither a key ARN nor a key ID (e.g. mrk-1234abcd...)");
    }
    return key;
  }

  private static Region region(Arguments args) throws UsageException {
    args.require("region");
    return args.region("region").orElseThrow();
  }

  private KeyFactsSource keys(Arguments args, Supplier<SdkClientFactory> clients)
      throws UsageException {
    String file = args.get("snapshot").orElse(null);
    if (file == null) {
      Supplier<KmsKeyFacts> live =
          new Once<>(
              () -> {
                SdkClientFactory factory = clients.get();
                return new KmsKeyFacts(new KeyFactsReader(SdkKmsKeys.own(factory)));
              });
      return keyArn -> live.get().lookup(keyArn);
    }
    SnapshotReader.Result result = new SnapshotReader().read(text(read(file, "--snapshot")));
    if (result instanceof SnapshotReader.Result.Invalid invalid) {
      StringBuilder message =
          new StringBuilder(
              "--snapshot '" + file + "' is not a valid snapshot (docs/snapshot.md):");
      invalid.problems().forEach(p -> message.append("\n  ").append(p.describe()));
      throw new UsageException(message.toString());
    }
    return new SnapshotKeyFacts(((SnapshotReader.Result.Read) result).snapshot());
  }

  private static List<RecordFile.Entry> records(String file, String key) throws UsageException {
    RecordFile.Result result = RecordFile.read(text(read(file, "--records")));
    if (result instanceof RecordFile.Result.Invalid invalid) {
      throw new UsageException("--records '" + file + "': " + invalid.message());
    }
    List<RecordFile.Entry> entries = ((RecordFile.Result.Read) result).entries();
    if (key == null) {
      return entries;
    }
    return entries.stream()
        .filter(
            e ->
                e instanceof RecordFile.Entry.Malformed
                    || RecentDenials.namesKey(((RecordFile.Entry.Parsed) e).record(), key))
        .toList();
  }

  private ExplainReport lookup(
      Arguments args,
      String region,
      String key,
      Supplier<SdkClientFactory> clients,
      KeyFactsSource keys,
      PrintStream err)
      throws UsageException {
    Duration since = since(args.get("since").orElse("1h"));
    Instant end = clock.instant();
    EventHistory history =
        (query, token) -> {
          SdkClientFactory factory = clients.get();
          return new CloudTrailEventHistory(r -> factory.cloudTrail(r, factory.ownCredentials()))
              .page(query, token);
        };
    RecentDenials.Collected collected =
        new RecentDenials(history)
            .collect(
                new EventHistory.Query(region, RequestBuilder.KMS, end.minus(since), end), key);
    if (collected.failure() != null && collected.scanned() == 0) {
      throw new UsageException(collected.failure());
    }
    err.println(
        "lookup: "
            + collected.scanned()
            + " KMS events in "
            + region
            + " since "
            + end.minus(since)
            + ", "
            + collected.entries().size()
            + " access denials"
            + (key == null ? "" : " for " + key));
    if (collected.truncated()) {
      err.println(
          "lookup: stopped after the newest "
              + collected.scanned()
              + " events; give a shorter --since to see older ones");
    }
    ExplainReport report = new Explainer(keys).explain(collected.entries());
    if (collected.failure() != null) {
      report =
          report.with(
              List.of(
                  new Explanation.Unexplained(
                      new Explanation.Subject("the lookup", null, null, null, null, null),
                      "it stopped after "
                          + collected.scanned()
                          + " events: "
                          + collected.failure())));
    }
    return report;
  }

  static Duration since(String text) throws UsageException {
    Matcher m = SINCE.matcher(text);
    if (!m.matches()) {
      throw new UsageException(
          "--since takes a duration such as 30m, 1h or 7d, not '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    Duration since =
        switch (m.group(2)) {
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
    if (since.isZero() || since.compareTo(MAX_SINCE) > 0) {
      throw new UsageException(
          "--since must be more than 0 and at most 90d: event history keeps 90 days");
    }
    return since;
  }

  private static byte[] read(String file, String option) throws UsageException {
    Path path = Path.of(file);
    try {
      if (Files.size(path) > MAX_INPUT_BYTES) {
        throw new UsageException(
            option + " '" + file + "' is larger than " + (MAX_INPUT_BYTES >> 20) + " MiB");
      }
      byte[] bytes = Files.readAllBytes(path);
      return gzipped(bytes) ? gunzip(bytes, option, file) : bytes;
    } catch (NoSuchFileException e) {
      throw new UsageException(option + ": no such file '" + file + "'");
    } catch (IOException e) {
      throw new UsageException(option + ": cannot read '" + file + "': " + e.getMessage());
    }
  }

  /** CloudTrail delivers log files gzipped ({@code .json.gz}); they are read as they are. */
  private static boolean gzipped(byte[] bytes) {
    return bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
  }

  private static byte[] gunzip(byte[] bytes, String option, String file) throws UsageException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
        if (out.size() > MAX_INPUT_BYTES) {
          throw new UsageException(
              option + " '" + file + "' is larger than " + (MAX_INPUT_BYTES >> 20) + " MiB");
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UsageException(option + " '" + file + "' is not a readable gzip file");
    }
  }

  private static String text(byte[] bytes) throws UsageException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new UsageException("the input is not UTF-8 text (CloudTrail writes UTF-8 JSON)");
    }
  }

  /** A value made on first use only: live runs build their clients only when they need them. */
  private static final class Once<T> implements Supplier<T> {
    private final Supplier<T> make;
    private T value;

    Once(Supplier<T> make) {
      this.make = make;
    }

    @Override
    public synchronized T get() {
      if (value == null) {
        value = make.get();
      }
      return value;
    }
  }
}
