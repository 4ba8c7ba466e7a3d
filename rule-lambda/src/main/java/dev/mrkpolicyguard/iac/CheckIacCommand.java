package dev.mrkpolicyguard.iac;

import dev.mrkpolicyguard.engine.rule.Baseline;
import dev.mrkpolicyguard.engine.rule.BaselineParser;
import dev.mrkpolicyguard.engine.rule.KeyDecider;
import dev.mrkpolicyguard.engine.rule.PolicyFact;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
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
  /** Exit code for bad usage or input. */
  public static final int USAGE = 2;

  /** The largest input read: CloudFormation takes templates up to 1 MB, plans can be larger. */
  static final long MAX_INPUT_BYTES = 64L * 1024 * 1024;

  private static final String REGION = "([a-z]+-){2,3}\\d+";
  private static final Set<String> VALUED =
      Set.of(
          "region",
          "account",
          "parameter",
          "primary-policy",
          "profile",
          "endpoint-url",
          "baseline",
          "format",
          "output");
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

  /** A command that reads live primaries through {@code live} when given {@code --live}. */
  public CheckIacCommand(LiveConnector live) {
    this.live = Objects.requireNonNull(live, "live");
  }

  /** Its section of the jar's help. */
  public static final String USAGE_TEXT =
      """
        check-iac judge the multi-Region keys of CloudFormation templates and Terraform plans
                  (terraform show -json PLAN) before they are deployed (docs/prevention.md)
                  FILE[@REGION]... [--region R] [--account ID] [--parameter K=V]...
                  [--primary-policy FILE | --live [--profile P] [--endpoint-url URL]]
                  [--baseline FILE] [--format text|json|sarif] [--output FILE]
                  exit 0 clean, 1 findings, 2 bad input or usage, 4 some key not judged
      """;

  /** Runs {@code check-iac} with the arguments after the command name; returns the exit code. */
  public int run(String[] args, PrintStream out, PrintStream err) {
    if (java.util.Arrays.asList(args).contains("--help")
        || java.util.Arrays.asList(args).contains("-h")) {
      out.print("usage: java -jar rule-lambda.jar check-iac [options]\n" + USAGE_TEXT);
      return out.checkError() ? USAGE : 0;
    }
    int code = check(args, out, err);
    if (out.checkError()) {
      err.println("error: the output could not be written");
      return USAGE;
    }
    return code;
  }

  private int check(String[] args, PrintStream out, PrintStream err) {
    Options options = new Options();
    String problem = options.parse(args);
    if (problem != null) {
      return usage(err, problem);
    }
    String format = options.single.getOrDefault("format", "text");
    if (!FORMATS.contains(format)) {
      return usage(err, "--format must be text, json or sarif, not '" + format + "'");
    }
    Baseline baseline = Baseline.DEFAULT;
    if (options.single.containsKey("baseline")) {
      String file = options.single.get("baseline");
      String text = read(file, "--baseline", err);
      if (text == null) {
        return USAGE;
      }
      BaselineParser.Result result = new BaselineParser().parse(text);
      if (result instanceof BaselineParser.Result.Invalid invalid) {
        return usage(
            err,
            "--baseline '"
                + file
                + "' is not a valid baseline (docs/baseline.md): "
                + invalid.describe());
      }
      baseline = ((BaselineParser.Result.Parsed) result).baseline();
    }
    PrimarySource outside = outside(options, err);
    if (outside == null) {
      return USAGE;
    }
    IacInputs inputs =
        new IacInputs(
            options.parameters, options.single.get("region"), options.single.get("account"));
    List<IacResource> resources = new ArrayList<>();
    List<String> files = new ArrayList<>();
    for (String[] input : options.files) {
      String text = read(input[0], "input", err);
      if (text == null) {
        return USAGE;
      }
      String region = input[1] != null ? input[1] : options.single.get("region");
      InputRead read = inputs.read(input[0], text, region);
      if (read instanceof InputRead.Invalid invalid) {
        return usage(err, invalid.problem());
      }
      files.add(input[0]);
      resources.addAll(((InputRead.Read) read).resources());
    }
    IacReport report = new IacCheck(new KeyDecider(), baseline, outside).check(files, resources);
    String rendered =
        switch (format) {
          case "json" -> IacJsonReport.render(report);
          case "sarif" -> SarifReport.render(report, version());
          default -> IacTextReport.render(report);
        };
    String output = options.single.get("output");
    if (output == null) {
      out.print(rendered.endsWith("\n") ? rendered : rendered + "\n");
    } else {
      try {
        Files.writeString(Path.of(output), rendered, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return usage(err, "--output: cannot write '" + output + "': " + e.getMessage());
      }
      err.println(IacTextReport.summary(report) + " Written to " + output + ".");
    }
    return report.exitCode();
  }

  private PrimarySource outside(Options options, PrintStream err) {
    boolean liveRead = options.flags.contains("live");
    String file = options.single.get("primary-policy");
    if (liveRead && file != null) {
      usage(err, "--primary-policy and --live cannot be used together: give one source");
      return null;
    }
    if (!liveRead
        && (options.single.containsKey("profile") || options.single.containsKey("endpoint-url"))) {
      usage(err, "--profile and --endpoint-url are for --live");
      return null;
    }
    if (file != null) {
      String text = read(file, "--primary-policy", err);
      if (text == null) {
        return null;
      }
      return arn -> new PrimarySource.Primary(new PolicyFact.Known(text), null, null, file);
    }
    if (!liveRead) {
      return PrimarySource.NONE;
    }
    URI endpoint = null;
    String url = options.single.get("endpoint-url");
    if (url != null) {
      try {
        endpoint = new URI(url);
      } catch (URISyntaxException e) {
        endpoint = null;
      }
      if (endpoint == null
          || endpoint.getHost() == null
          || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
        usage(
            err,
            "--endpoint-url must be an http(s) URL such as http://127.0.0.1:4566, not '"
                + url
                + "'");
        return null;
      }
    }
    return live.connect(options.single.get("profile"), endpoint);
  }

  /** The options of one run. */
  private static final class Options {
    final Map<String, String> single = new LinkedHashMap<>();
    final Map<String, String> parameters = new LinkedHashMap<>();
    final Set<String> flags = new HashSet<>();
    final List<String[]> files = new ArrayList<>();

    /** Reads {@code args}; returns what is wrong, or {@code null}. */
    String parse(String[] args) {
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (!arg.startsWith("--")) {
          files.add(file(arg));
          continue;
        }
        String name = arg.substring(2);
        String value = null;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        if (name.equals("live")) {
          if (value != null) {
            return "--live is a switch and takes no value, but was given '" + value + "'";
          }
          flags.add(name);
          continue;
        }
        if (!VALUED.contains(name)) {
          return "unknown option --"
              + name
              + " (check-iac takes FILE... --region --account"
              + " --parameter --primary-policy --live --profile --endpoint-url --baseline"
              + " --format --output)";
        }
        if (value == null) {
          if (i + 1 >= args.length) {
            return "--" + name + " needs a value";
          }
          value = args[++i];
        }
        if (name.equals("parameter")) {
          int at = value.indexOf('=');
          if (at <= 0) {
            return "--parameter takes NAME=VALUE, not '" + value + "'";
          }
          if (parameters.put(value.substring(0, at), value.substring(at + 1)) != null) {
            return "--parameter " + value.substring(0, at) + " given twice";
          }
          continue;
        }
        if (single.put(name, value) != null) {
          return "option --" + name + " given twice";
        }
      }
      if (files.isEmpty()) {
        return "give at least one CloudFormation template or Terraform plan JSON file";
      }
      String region = single.get("region");
      if (region != null && !region.matches(REGION)) {
        return "--region '" + region + "' is not a Region name";
      }
      String account = single.get("account");
      if (account != null && !account.matches("\\d{12}")) {
        return "--account '" + account + "' is not a 12-digit account ID";
      }
      return null;
    }

    /** {@code FILE} or {@code FILE@REGION}: the Region a template will be deployed in. */
    private static String[] file(String arg) {
      int at = arg.lastIndexOf('@');
      if (at > 0 && arg.substring(at + 1).matches(REGION)) {
        return new String[] {arg.substring(0, at), arg.substring(at + 1)};
      }
      return new String[] {arg, null};
    }
  }

  private static String read(String file, String what, PrintStream err) {
    Path path = Path.of(file);
    try {
      if (Files.size(path) > MAX_INPUT_BYTES) {
        usage(
            err,
            what + " '" + file + "' is larger than " + MAX_INPUT_BYTES / (1024 * 1024) + " MB");
        return null;
      }
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      usage(err, what + ": no such file '" + file + "'");
    } catch (IOException e) {
      usage(err, what + ": cannot read '" + file + "' as UTF-8: " + e.getMessage());
    }
    return null;
  }

  private static String version() {
    String version = CheckIacCommand.class.getPackage().getImplementationVersion();
    return version == null ? "0.1.0" : version;
  }

  private static int usage(PrintStream err, String message) {
    err.println("error: " + IacWords.printable(message));
    return USAGE;
  }
}
