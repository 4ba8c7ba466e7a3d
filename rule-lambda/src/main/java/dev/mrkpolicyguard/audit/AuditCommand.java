package dev.mrkpolicyguard.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.aws.AccountReads;
import dev.mrkpolicyguard.aws.SdkClientFactory;
import dev.mrkpolicyguard.cli.common.Arguments;
import dev.mrkpolicyguard.cli.common.CommandLine;
import dev.mrkpolicyguard.cli.common.InputFile;
import dev.mrkpolicyguard.cli.common.TerminalText;
import dev.mrkpolicyguard.cli.common.UsageException;
import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.BaselineParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code audit}: runs the rule's per-key decisions over a fleet, a saved snapshot or the live
 * account (read-only calls), and reports them as a table, JSON or an HTML page. Exit codes: 0 every
 * judged key compliant, 1 findings, 2 bad usage or input, 4 some key could not be judged because
 * something it needs could not be read (listed, never skipped).
 */
public final class AuditCommand {
  /** Exit code for bad usage or input. */
  public static final int USAGE = CommandLine.USAGE;

  /** Its section of the jar's help. */
  public static final String USAGE_TEXT =
      """
        audit     run the rule's per-key decisions over a fleet: a saved snapshot
                  (docs/snapshot.md) or the live account, with read-only calls (docs/audit.md)
                  --snapshot FILE | --regions R1,R2 [--profile P] [--endpoint-url URL]
                  [--accounts ID,ID | --organization] [--role-name NAME] (every account
                  through its role; --organization: every ACTIVE account of the organization)
                  [--baseline FILE | --baseline-parameter NAME] [--format table|json|html]
                  [--output FILE]
                  progress of a live audit goes to stderr
                  exit 0 all compliant, 1 findings, 2 bad input, usage or credentials,
                  4 some key or policy could not be read (listed)
      """;

  private static final Arguments.Spec OPTIONS =
      Arguments.Spec.of("audit")
          .value("snapshot", "FILE")
          .value("regions", "R1,R2")
          .value("accounts", "ID,ID")
          .flag("organization")
          .value("role-name", "NAME")
          .value("profile", "P")
          .value("endpoint-url", "URL")
          .value("baseline", "FILE")
          .value("baseline-parameter", "NAME")
          .value("format", "table|json|html")
          .value("output", "FILE");
  private static final Set<String> FORMATS = Set.of("table", "json", "html");

  private final Connector connector;

  /** An audit that reaches AWS through {@link Connector#AWS} when given {@code --regions}. */
  public AuditCommand() {
    this(Connector.AWS);
  }

  /** An audit that makes the clients of a live run with {@code connector}. */
  public AuditCommand(Connector connector) {
    this.connector = Objects.requireNonNull(connector, "connector");
  }

  /** Runs {@code audit} with the arguments after the command name; returns the exit code. */
  public int run(String[] args, PrintStream out, PrintStream err) {
    return CommandLine.run(args, OPTIONS, USAGE_TEXT, out, err, this::run);
  }

  private int run(Arguments options, PrintStream out, PrintStream err) {
    String problem = conflicts(options);
    if (problem != null) {
      return usage(err, problem);
    }
    String format = options.get("format").orElse("table");
    if (!FORMATS.contains(format)) {
      return usage(err, "--format must be table, json or html, not '" + format + "'");
    }
    if (options.has("accounts") || options.flag("organization")) {
      return accounts(options, out, err);
    }
    ReadOrError<Snapshot> snapshot;
    ReadOrError<Baseline> baseline;
    if (options.has("regions")) {
      ReadOrError<LiveOptions> live = LiveOptions.parse(options);
      if (live.error() != null) {
        return usage(err, live.error());
      }
      SdkClientFactory clients = connector.connect(live.value());
      baseline =
          options.has("baseline-parameter")
              ? baselineParameter(clients, live.value(), options.get("baseline-parameter").get())
              : baseline(options.get("baseline").orElse(null));
      if (baseline.error() != null) {
        return usage(err, baseline.error());
      }
      ReadOrError<ObjectNode> captured = LiveCapture.capture(clients, live.value(), err);
      if (captured.error() != null) {
        return usage(err, captured.error());
      }
      snapshot = LiveCapture.snapshot(captured.value());
    } else {
      snapshot = snapshot(options.get("snapshot").get());
      baseline = snapshot.error() == null ? baseline(options.get("baseline").orElse(null)) : null;
    }
    if (snapshot.error() != null) {
      return usage(err, snapshot.error());
    }
    if (baseline.error() != null) {
      return usage(err, baseline.error());
    }
    return report(new FleetAudit().audit(snapshot.value(), baseline.value()), options, out, err);
  }

  /** {@code audit --accounts}: every account through its role, one report. */
  private int accounts(Arguments options, PrintStream out, PrintStream err) {
    ReadOrError<LiveOptions> live = LiveOptions.parse(options);
    if (live.error() != null) {
      return usage(err, live.error());
    }
    ReadOrError<MultiAccountRun> run = MultiAccountRun.parse(options);
    if (run.error() != null) {
      return usage(err, run.error());
    }
    SdkClientFactory clients = connector.connect(live.value());
    ReadOrError<Baseline> baseline =
        options.has("baseline-parameter")
            ? baselineParameter(clients, live.value(), options.get("baseline-parameter").get())
            : baseline(options.get("baseline").orElse(null));
    if (baseline.error() != null) {
      return usage(err, baseline.error());
    }
    if (options.flag("organization")) {
      ReadOrError<List<String>> listed = OrganizationAccounts.active(clients, live.value(), err);
      if (listed.error() != null) {
        return usage(err, listed.error());
      }
      run = ReadOrError.of(run.value().withAccounts(listed.value()));
    }
    ReadOrError<List<AccountCapture>> captured = run.value().capture(clients, live.value(), err);
    if (captured.error() != null) {
      return usage(err, captured.error());
    }
    List<OrganizationReport.Account> accounts = new ArrayList<>();
    for (AccountCapture capture : captured.value()) {
      ReadOrError<Snapshot> snapshot =
          capture.reason() == null
              ? LiveCapture.snapshot(capture.snapshot())
              : ReadOrError.failed(capture.reason());
      accounts.add(
          snapshot.error() == null
              ? new OrganizationReport.Account(
                  capture.account(),
                  new FleetAudit().audit(snapshot.value(), baseline.value()),
                  null)
              : new OrganizationReport.Account(capture.account(), null, snapshot.error()));
    }
    return report(new OrganizationReport(accounts), options, out, err);
  }

  private static int report(
      OrganizationReport report, Arguments options, PrintStream out, PrintStream err) {
    String format = options.get("format").orElse("table");
    String text =
        switch (format) {
          case "json" -> report.json();
          case "html" -> report.html();
          default -> report.table();
        };
    String output = options.get("output").orElse(null);
    if (output == null) {
      out.print(text);
      if (!CommandLine.written(out, err)) {
        return USAGE;
      }
    } else {
      try {
        Files.writeString(Path.of(output), text, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return usage(err, "--output: cannot write '" + output + "': " + InputFile.reason(e));
      }
      err.println(
          report.accountsLine() + " Report written to " + TerminalText.escape(output) + ".");
    }
    if (output != null || !format.equals("table")) {
      for (OrganizationReport.Account a : report.unread()) {
        err.println(
            TerminalText.escape("could not read account " + a.account() + ": " + a.reason()));
      }
      for (OrganizationReport.Account a : report.read()) {
        for (AuditReport.Unjudged u : a.report().unjudged()) {
          err.println(TerminalText.escape("could not judge " + u.subject() + ": " + u.reason()));
        }
      }
    }
    return report.exitCode();
  }

  /** Which options cannot go together, or what is missing; {@code null} when all is well. */
  private static String conflicts(Arguments options) {
    String accounts = MultiAccountRun.conflicts(options);
    if (accounts != null) {
      return accounts;
    }
    boolean live = options.has("regions");
    if (live && options.has("snapshot")) {
      return "--snapshot and --regions cannot be used together: audit a saved snapshot"
          + " (--snapshot FILE) or the live account (--regions R1,R2)";
    }
    if (!live && !options.has("snapshot")) {
      return "give --snapshot FILE to audit a saved snapshot, or --regions R1,R2 to audit the"
          + " live account";
    }
    for (String option : List.of("profile", "endpoint-url", "baseline-parameter")) {
      if (!live && options.has(option)) {
        return "--" + option + " is for a live audit (--regions); a snapshot audit reads no AWS";
      }
    }
    if (options.has("baseline") && options.has("baseline-parameter")) {
      return "--baseline and --baseline-parameter cannot be used together: give one baseline";
    }
    return null;
  }

  private static int report(
      AuditReport report, Arguments options, PrintStream out, PrintStream err) {
    String format = options.get("format").orElse("table");
    String text =
        switch (format) {
          case "json" -> JsonReport.render(report);
          case "html" -> new HtmlReport().render(report);
          default -> TableReport.render(report);
        };
    String output = options.get("output").orElse(null);
    if (output == null) {
      out.print(text.endsWith("\n") ? text : text + "\n");
      if (!CommandLine.written(out, err)) {
        return USAGE;
      }
    } else {
      try {
        Files.writeString(Path.of(output), text, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return usage(err, "--output: cannot write '" + output + "': " + InputFile.reason(e));
      }
      err.println(
          TableReport.summary(report.summary())
              + " Report written to "
              + TerminalText.escape(output)
              + ".");
    }
    boolean listed = output == null && format.equals("table");
    for (AuditReport.Unjudged u : listed ? List.<AuditReport.Unjudged>of() : report.unjudged()) {
      err.println(TerminalText.escape("could not judge " + u.subject() + ": " + u.reason()));
    }
    return report.exitCode();
  }

  /** The baseline in SSM parameter {@code name}, read in the first of the Regions. */
  private static ReadOrError<Baseline> baselineParameter(
      SdkClientFactory clients, LiveOptions live, String name) {
    String region = live.homeRegion();
    AccountReads.Parameter parameter = AccountReads.parameter(clients, region, name);
    if (parameter instanceof AccountReads.Parameter.Missing) {
      return ReadOrError.failed(
          "--baseline-parameter: there is no SSM parameter '"
              + name
              + "' in "
              + region
              + " (the first of --regions); create it or correct the name");
    }
    if (parameter instanceof AccountReads.Parameter.Failed failed) {
      return ReadOrError.failed(
          "--baseline-parameter: cannot read SSM parameter '"
              + name
              + "' in "
              + region
              + ": "
              + failed.message()
              + "; allow ssm:GetParameter on it (and kms:Decrypt if it is a SecureString)");
    }
    String text = ((AccountReads.Parameter.Found) parameter).value();
    return parsedBaseline(text, "--baseline-parameter '" + name + "'");
  }

  private static ReadOrError<Snapshot> snapshot(String file) {
    ReadOrError<String> text = read(file, "--snapshot", InputFile.Kind.SNAPSHOT);
    if (text.error() != null) {
      return new ReadOrError<>(null, text.error());
    }
    SnapshotReader.Result result = new SnapshotReader().read(text.value());
    if (result instanceof SnapshotReader.Result.Invalid invalid) {
      StringBuilder message =
          new StringBuilder("--snapshot '" + file + "' is not a valid snapshot");
      message.append(" (format: docs/snapshot.md):");
      invalid
          .problems()
          .forEach(p -> message.append("\n  ").append(TerminalText.escape(p.describe())));
      return new ReadOrError<>(null, message.toString());
    }
    return new ReadOrError<>(((SnapshotReader.Result.Read) result).snapshot(), null);
  }

  private static ReadOrError<Baseline> baseline(String file) {
    if (file == null) {
      return ReadOrError.of(Baseline.DEFAULT);
    }
    ReadOrError<String> text = read(file, "--baseline", InputFile.Kind.BASELINE);
    if (text.error() != null) {
      return ReadOrError.failed(text.error());
    }
    return parsedBaseline(text.value(), "--baseline '" + file + "'");
  }

  private static ReadOrError<Baseline> parsedBaseline(String text, String source) {
    BaselineParser.Result result = new BaselineParser().parse(text);
    if (result instanceof BaselineParser.Result.Invalid invalid) {
      StringBuilder message = new StringBuilder(source + " is not a valid baseline");
      message.append(" (format: docs/baseline.md):");
      invalid
          .problems()
          .forEach(p -> message.append("\n  ").append(TerminalText.escape(p.describe())));
      return ReadOrError.failed(message.toString());
    }
    return ReadOrError.of(((BaselineParser.Result.Parsed) result).baseline());
  }

  private static ReadOrError<String> read(String file, String option, InputFile.Kind kind) {
    try {
      return ReadOrError.of(InputFile.readUtf8(option, file, kind));
    } catch (UsageException e) {
      return ReadOrError.failed(e.getMessage());
    }
  }

  private static int usage(PrintStream err, String message) {
    return CommandLine.error(err, message);
  }
}
