package dev.mrkpolicyguard.iac;

import dev.mrkpolicyguard.cli.common.Arguments;
import dev.mrkpolicyguard.cli.common.CommandLine;
import dev.mrkpolicyguard.cli.common.InputFile;
import dev.mrkpolicyguard.cli.common.TimeBudget;
import dev.mrkpolicyguard.cli.common.UsageException;
import dev.mrkpolicyguard.core.Region;
import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.BaselineParser;
import dev.mrkpolicyguard.engine.rule.KeyDecider;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code check-iac}: judges the multi-Region keys of CloudFormation templates and Terraform plans
 * before they are deployed (docs/prevention.md). Exit codes as {@code audit}: 0 clean, 1 findings,
 * 2 bad input or usage, 4 some key could not be judged (listed).
 */
public final class CheckIacCommand {
  private static final Set<String> FORMATS = Set.of("text", "json", "sarif");

  /** Opens a source of live primary policies, read-only. */
  @FunctionalInterface
  public interface LiveConnector {
    /**
     * Primary policies read from AWS with the named profile (or the default chain) and an endpoint
     * for every service (or AWS's own, when {@code null}).
     */
    PrimarySource connect(String profile, URI endpoint);
  }

  private final LiveConnector live;
  private final TimeBudget budget;

  /** A command that reads live primaries through {@code live} when given {@code --live}. */
  public CheckIacCommand(LiveConnector live) {
    this(live, new TimeBudget(System::nanoTime));
  }

  /** As {@link #CheckIacCommand(LiveConnector)}, each comparison within {@code budget}. */
  public CheckIacCommand(LiveConnector live, TimeBudget budget) {
    this.live = Objects.requireNonNull(live, "live");
    this.budget = Objects.requireNonNull(budget, "budget");
  }

  /** Its section of the jar's help. */
  public static final String USAGE_TEXT =
      """
        check-iac judge the multi-Region keys of CloudFormation templates and Terraform plans
                  (terraform show -json PLAN) before they are deployed (docs/prevention.md)
                  FILE[@REGION]... [--region R] [--account ID] [--parameter K=V]...
                  [--primary-policy FILE | --live [--profile P] [--endpoint-url URL]]
                  [--baseline FILE] [--format text|json|sarif] [--output FILE]
                  [--time-budget DURATION] (each comparison; default 10s)
                  exit 0 clean, 1 findings, 2 bad input or usage, 4 some key not judged
                  (or a comparison ran out of its time budget)
      """;

  private static final Arguments.Spec OPTIONS =
      Arguments.Spec.of("check-iac")
          .operands("FILE[@REGION]")
          .value("region", "REGION")
          .value("account", "ID")
          .repeatable("parameter", "K=V")
          .value("primary-policy", "FILE")
          .flag("live")
          .value("profile", "P")
          .value("endpoint-url", "URL")
          .value("baseline", "FILE")
          .value("format", "text|json|sarif")
          .value("output", "FILE")
          .value(TimeBudget.OPTION, TimeBudget.VALUE);

  /** Runs {@code check-iac} with the arguments after the command name; returns the exit code. */
  public int run(String[] args, PrintStream out, PrintStream err) {
    return CommandLine.run(args, OPTIONS, USAGE_TEXT, out, err, this::check);
  }

  private int check(Arguments args, PrintStream out, PrintStream err) throws UsageException {
    String format = args.get("format").orElse("text");
    if (!FORMATS.contains(format)) {
      throw new UsageException("--format must be text, json or sarif, not '" + format + "'");
    }
    if (args.operands().isEmpty()) {
      throw new UsageException(
          "give at least one CloudFormation template or Terraform plan JSON file");
    }
    String region = args.region("region").map(Region::name).orElse(null);
    String account = args.get("account").orElse(null);
    if (account != null && !account.matches("\\d{12}")) {
      throw new UsageException("--account '" + account + "' is not a 12-digit account ID");
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String parameter : args.all("parameter")) {
      int at = parameter.indexOf('=');
      if (at <= 0) {
        throw new UsageException("--parameter takes NAME=VALUE, not '" + parameter + "'");
      }
      if (parameters.put(parameter.substring(0, at), parameter.substring(at + 1)) != null) {
        throw new UsageException("--parameter " + parameter.substring(0, at) + " given twice");
      }
    }
    KeyDecider decider = new KeyDecider(budget.comparator(args));
    Baseline baseline = Baseline.DEFAULT;
    if (args.has("baseline")) {
      String file = args.require("baseline");
      String text = InputFile.readUtf8("--baseline", file, InputFile.Kind.BASELINE);
      BaselineParser.Result result = new BaselineParser().parse(text);
      if (result instanceof BaselineParser.Result.Invalid invalid) {
        throw new UsageException(
            "--baseline '"
                + file
                + "' is not a valid baseline (docs/baseline.md): "
                + invalid.describe());
      }
      baseline = ((BaselineParser.Result.Parsed) result).baseline();
    }
    PrimarySource outside = outside(args);
    IacInputs inputs = new IacInputs(parameters, region, account);
    List<IacResource> resources = new ArrayList<>();
    List<String> files = new ArrayList<>();
    for (String operand : args.operands()) {
      String[] input = file(operand);
      String text = InputFile.readUtf8("input", input[0], InputFile.Kind.TEMPLATE);
      InputRead read = inputs.read(input[0], text, input[1] != null ? input[1] : region);
      if (read instanceof InputRead.Invalid invalid) {
        throw new UsageException(invalid.problem());
      }
      files.add(input[0]);
      resources.addAll(((InputRead.Read) read).resources());
    }
    IacReport report = new IacCheck(decider, baseline, outside).check(files, resources);
    String rendered =
        switch (format) {
          case "json" -> IacJsonReport.render(report);
          case "sarif" -> SarifReport.render(report, version());
          default -> IacTextReport.render(report);
        };
    String output = args.get("output").orElse(null);
    if (output == null) {
      out.print(rendered.endsWith("\n") ? rendered : rendered + "\n");
    } else {
      try {
        Files.writeString(Path.of(output), rendered, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UsageException("--output: cannot write '" + output + "': " + InputFile.reason(e));
      }
      err.println(IacTextReport.summary(report) + " Written to " + output + ".");
    }
    return report.exitCode();
  }

  private PrimarySource outside(Arguments args) throws UsageException {
    boolean liveRead = args.flag("live");
    String file = args.get("primary-policy").orElse(null);
    if (liveRead && file != null) {
      throw new UsageException(
          "--primary-policy and --live cannot be used together: give one source");
    }
    if (!liveRead && (args.has("profile") || args.has("endpoint-url"))) {
      throw new UsageException("--profile and --endpoint-url are for --live");
    }
    if (file != null) {
      String text = InputFile.readUtf8("--primary-policy", file, InputFile.Kind.POLICY);
      return arn -> new PrimarySource.Primary(new PolicyFact.Known(text), null, null, file);
    }
    if (!liveRead) {
      return PrimarySource.NONE;
    }
    return live.connect(args.get("profile").orElse(null), args.endpointUrl());
  }

  /** {@code FILE} or {@code FILE@REGION}: the Region a template will be deployed in. */
  private static String[] file(String arg) {
    int at = arg.lastIndexOf('@');
    if (at > 0 && Region.isName(arg.substring(at + 1))) {
      return new String[] {arg.substring(0, at), arg.substring(at + 1)};
    }
    return new String[] {arg, null};
  }

  private static String version() {
    String version = CheckIacCommand.class.getPackage().getImplementationVersion();
    return version == null ? "0.1.0" : version;
  }
}
