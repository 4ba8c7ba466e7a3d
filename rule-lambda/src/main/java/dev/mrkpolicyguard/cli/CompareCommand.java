package dev.mrkpolicyguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mrkpolicyguard.cli.common.Arguments;
import dev.mrkpolicyguard.cli.common.CommandLine;
import dev.mrkpolicyguard.cli.common.InputFile;
import dev.mrkpolicyguard.cli.common.TerminalText;
import dev.mrkpolicyguard.cli.common.TimeBudget;
import dev.mrkpolicyguard.cli.common.UsageException;
import dev.mrkpolicyguard.core.Region;
import dev.mrkpolicyguard.engine.compare.Comparison;
import dev.mrkpolicyguard.engine.compare.Difference;
import dev.mrkpolicyguard.engine.compare.PolicyComparator;
import dev.mrkpolicyguard.engine.compare.Verdict;
import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.engine.parse.ParseResult;
import dev.mrkpolicyguard.engine.parse.PolicyParser;
import dev.mrkpolicyguard.engine.policy.KeyPolicy;
import dev.mrkpolicyguard.report.DifferenceJson;
import dev.mrkpolicyguard.report.SafeJson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** {@code compare}: compares a replica key policy with its primary's. */
final class CompareCommand {
  static final String DEFAULT_PRIMARY_ARN =
      "arn:aws:kms:us-east-1:111122223333:key/mrk-00000000000000000000000000000000";

  private static final Set<String> KEY_USAGES =
      Set.of("ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT");

  /** Its section of the jar's help. */
  static final String USAGE_TEXT =
      """
        compare   compare a replica key policy with its primary's, each on its own key
                  --primary FILE --replica FILE [--primary-arn ARN] [--replica-region REGION]
                  [--key-usage USAGE] [--key-spec SPEC] [--format json|text]
                  [--time-budget DURATION] (default 10s; e.g. 500ms, 2m)
                  (default: a symmetric encryption key, ENCRYPT_DECRYPT / SYMMETRIC_DEFAULT)
                  exit 0 EQUIVALENT, 1 any difference, 2 bad input or usage, 3 UNDECIDED,
                  4 UNDECIDED because the comparison ran out of its time budget
      """;

  private static final Arguments.Spec OPTIONS =
      Arguments.Spec.of("compare")
          .value("primary", "FILE")
          .value("replica", "FILE")
          .value("primary-arn", "ARN")
          .value("replica-region", "REGION")
          .value("key-usage", "USAGE")
          .value("key-spec", "SPEC")
          .value("format", "json|text")
          .value(TimeBudget.OPTION, TimeBudget.VALUE);

  private final TimeBudget budget;

  /** A command whose comparison budget is measured by the system's clock. */
  CompareCommand() {
    this(new TimeBudget(System::nanoTime));
  }

  /** A command whose comparison budget is {@code budget}'s. */
  CompareCommand(TimeBudget budget) {
    this.budget = budget;
  }

  /** Runs {@code compare} with the arguments after the command name; returns the exit code. */
  int run(String[] args, PrintStream out, PrintStream err) {
    return CommandLine.run(args, OPTIONS, USAGE_TEXT, out, err, this::run);
  }

  private int run(Arguments args, PrintStream out, PrintStream err) throws UsageException {
    String format = args.get("format").orElse("text");
    if (!format.equals("json") && !format.equals("text")) {
      throw new UsageException("--format must be json or text, not '" + format + "'");
    }
    PolicyComparator comparator = budget.comparator(args);
    String arn = args.get("primary-arn").orElse(DEFAULT_PRIMARY_ARN);
    KeyContext primaryKey =
        KeyContext.parse(arn)
            .orElseThrow(
                () ->
                    new UsageException(
                        "--primary-arn '"
                            + arn
                            + "' is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID)"));
    String region = args.get("replica-region").orElse(primaryKey.region());
    if (!Region.isName(region)) {
      throw new UsageException(Region.notARegion("replica-region", region));
    }
    // A symmetric encryption key unless told otherwise: the KMS default (CreateKey KeySpec).
    String usage = args.get("key-usage").orElse("ENCRYPT_DECRYPT");
    if (!KEY_USAGES.contains(usage)) {
      throw new UsageException(
          "--key-usage must be one of "
              + new java.util.TreeSet<>(KEY_USAGES)
              + ", not '"
              + usage
              + "'");
    }
    String spec =
        args.get("key-spec").orElse(usage.equals("ENCRYPT_DECRYPT") ? "SYMMETRIC_DEFAULT" : null);
    if (spec != null && !spec.matches("[A-Z0-9_]+")) {
      throw new UsageException("--key-spec '" + spec + "' is not a KMS key spec (e.g. RSA_2048)");
    }
    primaryKey = primaryKey.withUsage(usage, spec);
    KeyContext replicaKey = primaryKey.inRegion(region);
    KeyPolicy primary = read(args.require("primary"), "--primary");
    KeyPolicy replica = read(args.require("replica"), "--replica");
    Comparison comparison = comparator.compare(primary, primaryKey, replica, replicaKey);
    if (format.equals("json")) {
      out.println(json(comparison));
    } else {
      out.print(ComparisonText.render(comparison, primaryKey, replicaKey));
    }
    return PolicyComparator.ranOutOfTime(comparison) ? OUT_OF_TIME : exitCode(comparison.verdict());
  }

  /** Exit code of a comparison that ran out of its time budget: not judged, as in check-iac. */
  static final int OUT_OF_TIME = 4;

  static int exitCode(Verdict verdict) {
    return switch (verdict) {
      case EQUIVALENT -> 0;
      case UNDECIDED -> 3;
      default -> 1;
    };
  }

  private static KeyPolicy read(String file, String option) throws UsageException {
    byte[] bytes = InputFile.read(option, file, InputFile.Kind.POLICY);
    ParseResult result = new PolicyParser().parse(decode(bytes));
    if (result instanceof ParseResult.Invalid invalid) {
      StringBuilder message =
          new StringBuilder(option + " '" + file + "' is not a valid key policy:");
      invalid
          .problems()
          .forEach(p -> message.append("\n  ").append(TerminalText.escape(p.describe())));
      throw new UsageException(message.toString());
    }
    return ((ParseResult.Parsed) result).policy();
  }

  /**
   * Files are UTF-8; a byte sequence that is not UTF-8 is kept as Latin-1 for the parser to judge.
   */
  private static String decode(byte[] bytes) {
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT);
    try {
      return decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  static String json(Comparison comparison) {
    ObjectMapper mapper = SafeJson.indented();
    var root = mapper.createObjectNode();
    root.put("verdict", comparison.verdict().name());
    var differences = root.putArray("differences");
    for (Difference d : comparison.differences()) {
      DifferenceJson.write(
          differences.addObject(), d, false, DifferenceJson.Values.SCALAR_WHEN_SINGLE);
    }
    if (comparison.reason() != null) {
      root.put("reason", comparison.reason());
    }
    try {
      return mapper.writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }
}
