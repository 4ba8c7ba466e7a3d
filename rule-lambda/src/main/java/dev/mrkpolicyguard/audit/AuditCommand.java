package dev.mrkpolicyguard.audit;

import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.BaselineParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code audit}: runs the rule's per-key decisions over a snapshot of a fleet and reports them as a
 * table, JSON or an HTML page. Exit codes: 0 every judged key compliant, 1 findings, 2 bad usage or
 * input, 4 some key could not be judged because a policy could not be read.
 */
public final class AuditCommand {
  /** Exit code for bad usage or input. */
  public static final int USAGE = 2;

  private static final Set<String> OPTIONS = Set.of("snapshot", "baseline", "format", "output");
  private static final Set<String> FORMATS = Set.of("table", "json", "html");

  /** Runs {@code audit} with the arguments after the command name; returns the exit code. */
  public int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> options = new LinkedHashMap<>();
    String problem = parse(args, options);
    if (problem != null) {
      return usage(err, problem);
    }
    String format = options.getOrDefault("format", "table");
    if (!FORMATS.contains(format)) {
      return usage(err, "--format must be table, json or html, not '" + format + "'");
    }
    String snapshotFile = options.get("snapshot");
    if (snapshotFile == null || snapshotFile.isEmpty()) {
      return usage(err, "missing required option --snapshot");
    }
    Loaded<Snapshot> snapshot = snapshot(snapshotFile);
    if (snapshot.error() != null) {
      return usage(err, snapshot.error());
    }
    Loaded<Baseline> baseline = baseline(options.get("baseline"));
    if (baseline.error() != null) {
      return usage(err, baseline.error());
    }
    AuditReport report = new FleetAudit().audit(snapshot.value(), baseline.value());
    String text =
        switch (format) {
          case "json" -> JsonReport.render(report);
          case "html" -> new HtmlReport().render(report);
          default -> TableReport.render(report);
        };
    String output = options.get("output");
    if (output == null) {
      out.print(text.endsWith("\n") ? text : text + "\n");
    } else {
      try {
        Files.writeString(Path.of(output), text, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return usage(err, "--output: cannot write '" + output + "': " + e.getMessage());
      }
      err.println(TableReport.summary(report.summary()) + " Report written to " + output + ".");
    }
    boolean listed = output == null && format.equals("table");
    for (AuditedKey k : listed ? List.<AuditedKey>of() : report.unreadable()) {
      err.println("could not judge " + k.key().arn() + ": " + k.unreadableReason());
    }
    return report.exitCode();
  }

  /** A value read from a file, or the message saying why it could not be. */
  private record Loaded<T>(T value, String error) {}

  private static Loaded<Snapshot> snapshot(String file) {
    Loaded<String> text = read(file, "--snapshot");
    if (text.error() != null) {
      return new Loaded<>(null, text.error());
    }
    SnapshotReader.Result result = new SnapshotReader().read(text.value());
    if (result instanceof SnapshotReader.Result.Invalid invalid) {
      StringBuilder message =
          new StringBuilder("--snapshot '" + file + "' is not a valid snapshot");
      message.append(" (format: docs/snapshot.md):");
      invalid.problems().forEach(p -> message.append("\n  ").append(p.describe()));
      return new Loaded<>(null, message.toString());
    }
    return new Loaded<>(((SnapshotReader.Result.Read) result).snapshot(), null);
  }

  private static Loaded<Baseline> baseline(String file) {
    if (file == null) {
      return new Loaded<>(Baseline.DEFAULT, null);
    }
    Loaded<String> text = read(file, "--baseline");
    if (text.error() != null) {
      return new Loaded<>(null, text.error());
    }
    BaselineParser.Result result = new BaselineParser().parse(text.value());
    if (result instanceof BaselineParser.Result.Invalid invalid) {
      StringBuilder message =
          new StringBuilder("--baseline '" + file + "' is not a valid baseline");
      message.append(" (format: docs/baseline.md):");
      invalid.problems().forEach(p -> message.append("\n  ").append(p.describe()));
      return new Loaded<>(null, message.toString());
    }
    return new Loaded<>(((BaselineParser.Result.Parsed) result).baseline(), null);
  }

  private static Loaded<String> read(String file, String option) {
    try {
      return new Loaded<>(Files.readString(Path.of(file), StandardCharsets.UTF_8), null);
    } catch (NoSuchFileException e) {
      return new Loaded<>(null, option + ": no such file '" + file + "'");
    } catch (IOException e) {
      return new Loaded<>(
          null, option + ": cannot read '" + file + "' as UTF-8: " + e.getMessage());
    }
  }

  /**
   * Reads {@code --name value} and {@code --name=value} options into {@code into}, as the other
   * commands do; returns what is wrong, or {@code null}.
   */
  private static String parse(String[] args, Map<String, String> into) {
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        return "unexpected argument '" + args[i] + "'";
      }
      String name = args[i].substring(2);
      String value = "";
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        value = args[++i];
      }
      if (!OPTIONS.contains(name)) {
        return "unknown option --"
            + name
            + " (audit takes --snapshot, --baseline, --format, --output)";
      }
      if (into.put(name, value) != null) {
        return "option --" + name + " given twice";
      }
    }
    return null;
  }

  private static int usage(PrintStream err, String message) {
    err.println("error: " + message);
    return USAGE;
  }
}
