package dev.mrkpolicyguard.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.cli.common.Arguments;
import dev.mrkpolicyguard.cli.common.CommandLine;
import dev.mrkpolicyguard.cli.common.InputFile;
import dev.mrkpolicyguard.cli.common.TerminalText;
import dev.mrkpolicyguard.report.SafeJson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * {@code export}: captures the live account's keys in some Regions, with read-only calls, as the
 * snapshot that {@code audit --snapshot} reads (docs/snapshot.md). Exit codes: 0 every key was
 * read, 2 bad usage or no usable credentials, 4 written, but something could not be read (listed).
 */
public final class ExportCommand {
  /** Exit code: the snapshot was written, but some key, policy or Region could not be read. */
  public static final int PARTIAL = 4;

  /** Its section of the jar's help. */
  public static final String USAGE_TEXT =
      """
        export    capture the live account's keys as a snapshot for audit --snapshot
                  --regions R1,R2 [--profile P] [--endpoint-url URL] [--output FILE]
                  or --accounts ID,ID --role-name NAME --output-dir DIR (a file per account)
                  exit 0 every key read, 2 bad usage or credentials,
                  4 written, but some key or policy could not be read (listed)
      """;

  private static final Arguments.Spec OPTIONS =
      Arguments.Spec.of("export")
          .value("regions", "R1,R2")
          .value("profile", "P")
          .value("endpoint-url", "URL")
          .value("output", "FILE")
          .value("accounts", "ID,ID")
          .value("role-name", "NAME")
          .value("output-dir", "DIR");

  /** Escapes C1 and bidi controls as every JSON output does: the snapshot means the same. */
  private static final ObjectMapper MAPPER = SafeJson.indented();

  private final Connector connector;

  /** An export that reaches AWS through {@link Connector#AWS}. */
  public ExportCommand() {
    this(Connector.AWS);
  }

  /** An export that makes its clients with {@code connector}. */
  public ExportCommand(Connector connector) {
    this.connector = Objects.requireNonNull(connector, "connector");
  }

  /** Runs {@code export} with the arguments after the command name; returns the exit code. */
  public int run(String[] args, PrintStream out, PrintStream err) {
    return CommandLine.run(args, OPTIONS, USAGE_TEXT, out, err, this::run);
  }

  private int run(Arguments options, PrintStream out, PrintStream err) {
    if (!options.has("regions")) {
      return usage(err, "missing required option --regions (e.g. --regions us-east-1,eu-west-1)");
    }
    String problem = MultiAccountRun.conflicts(options);
    if (problem == null && options.has("accounts") != options.has("output-dir")) {
      problem =
          options.has("accounts")
              ? "--accounts needs --output-dir DIR: one snapshot file per account"
              : "--output-dir goes with --accounts (one snapshot file per account)";
    }
    if (problem == null && options.has("accounts") && options.has("output")) {
      problem = "--output is for one account; with --accounts give --output-dir DIR";
    }
    if (problem != null) {
      return usage(err, problem);
    }
    ReadOrError<LiveOptions> live = LiveOptions.parse(options);
    if (live.error() != null) {
      return usage(err, live.error());
    }
    if (options.has("accounts")) {
      return accounts(options, live.value(), err);
    }
    ReadOrError<ObjectNode> captured =
        LiveCapture.capture(connector.connect(live.value()), live.value(), err);
    if (captured.error() != null) {
      return usage(err, captured.error());
    }
    String text;
    try {
      text = MAPPER.writeValueAsString(captured.value()) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the snapshot as JSON", e);
    }
    String output = options.get("output").orElse(null);
    if (output == null) {
      out.print(text);
      if (!CommandLine.written(out, err)) {
        return AuditCommand.USAGE;
      }
    } else {
      try {
        Files.writeString(Path.of(output), text, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return usage(err, "--output: cannot write '" + output + "': " + InputFile.reason(e));
      }
    }
    int gaps = listGaps(captured.value(), err);
    int keys = captured.value().get("keys").size();
    err.println(
        "exported "
            + keys
            + " keys"
            + (gaps == 0 ? "" : "; " + gaps + " could not be read (listed above)")
            + (output == null ? "" : " to " + TerminalText.escape(output)));
    return gaps == 0 ? 0 : PARTIAL;
  }

  /**
   * {@code export --accounts}: one snapshot file per account read, {@code DIR/ACCOUNT.json}; an
   * account that could not be read gets no file, is listed on stderr and makes the exit code 4.
   */
  private int accounts(Arguments options, LiveOptions live, PrintStream err) {
    ReadOrError<MultiAccountRun> run = MultiAccountRun.parse(options);
    if (run.error() != null) {
      return usage(err, run.error());
    }
    Path dir = Path.of(options.get("output-dir").get());
    if (!Files.isDirectory(dir)) {
      return usage(
          err, "--output-dir: '" + TerminalText.escape(dir.toString()) + "' is not a directory");
    }
    ReadOrError<List<AccountCapture>> captured =
        run.value().capture(connector.connect(live), live, err);
    if (captured.error() != null) {
      return usage(err, captured.error());
    }
    int gaps = 0;
    int written = 0;
    for (AccountCapture capture : captured.value()) {
      if (capture.reason() != null) {
        gaps++;
        err.println(
            TerminalText.escape(
                "could not read account " + capture.account() + ": " + capture.reason()));
        continue;
      }
      Path file = dir.resolve(capture.account() + ".json");
      try {
        Files.writeString(
            file, MAPPER.writeValueAsString(capture.snapshot()) + "\n", StandardCharsets.UTF_8);
      } catch (IOException e) {
        return usage(err, "--output-dir: cannot write '" + file + "': " + InputFile.reason(e));
      }
      written++;
      gaps += listGaps(capture.snapshot(), err);
    }
    err.println(
        "exported "
            + written
            + " of "
            + captured.value().size()
            + " accounts to "
            + TerminalText.escape(dir.toString())
            + (gaps == 0 ? "" : "; " + gaps + " could not be read (listed above)"));
    return gaps == 0 ? 0 : PARTIAL;
  }

  /** Lists on {@code err} what the capture could not read; returns how many. */
  private static int listGaps(ObjectNode snapshot, PrintStream err) {
    int gaps = 0;
    for (JsonNode key : snapshot.get("keys")) {
      JsonNode error = key.get("policyError");
      if (error != null) {
        gaps++;
        err.println(
            TerminalText.escape(
                "could not read the policy of "
                    + key.get("metadata").get("Arn").asText()
                    + " ("
                    + error.get("code").asText()
                    + "): "
                    + error.get("message").asText()));
      }
    }
    for (JsonNode entry : snapshot.get("unread")) {
      gaps++;
      String arn = entry.hasNonNull("keyArn") ? entry.get("keyArn").asText() : null;
      NotRead notRead =
          new NotRead(
              entry.get("region").asText(),
              arn,
              entry.get("operation").asText(),
              entry.get("error").get("code").asText(),
              entry.get("error").get("message").asText());
      err.println(
          TerminalText.escape("could not read " + notRead.subject() + ": " + notRead.reason()));
    }
    return gaps;
  }

  private static int usage(PrintStream err, String message) {
    return CommandLine.error(err, message);
  }
}
