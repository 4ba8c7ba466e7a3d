package dev.mrkpolicyguard.cli;

import dev.mrkpolicyguard.audit.AuditCommand;
import dev.mrkpolicyguard.audit.ExportCommand;
import dev.mrkpolicyguard.aws.LivePrimaryReader;
import dev.mrkpolicyguard.cli.common.CommandLine;
import dev.mrkpolicyguard.cli.common.TerminalText;
import dev.mrkpolicyguard.iac.CheckIacCommand;
import java.io.PrintStream;
import java.util.Arrays;

/** Command-line entry point of the rule jar: {@code java -jar rule-lambda.jar <command> ...}. */
public final class Main {
  /** Exit code for bad input or usage. */
  static final int USAGE = CommandLine.USAGE;

  private static final String HELP =
      "usage: java -jar rule-lambda.jar <command> [options]\n"
          + "       java -jar rule-lambda.jar <command> --help\n"
          + "\n"
          + "every command exits 2 when its output cannot be written (disk full, closed pipe)\n"
          + "\n"
          + "commands:\n"
          + CompareCommand.USAGE_TEXT
          + InvokeCommand.USAGE_TEXT
          + AuditCommand.USAGE_TEXT
          + ExportCommand.USAGE_TEXT
          + CheckIacCommand.USAGE_TEXT
          + ExplainCommand.USAGE_TEXT
          + RemediateCommand.USAGE_TEXT;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command and returns its exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      if (args.length == 0) {
        err.print(HELP);
        return USAGE;
      }
      out.print(HELP);
      return CommandLine.checked(out, err, 0);
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      return switch (args[0]) {
        case "compare" -> new CompareCommand().run(rest, out, err);
        case "invoke" -> new InvokeCommand().run(rest, out, err);
        case "remediate" -> new RemediateCommand().run(rest, out, err);
        case "audit" -> new AuditCommand().run(rest, out, err);
        case "export" -> new ExportCommand().run(rest, out, err);
        case "check-iac" -> new CheckIacCommand(LivePrimaryReader::connect).run(rest, out, err);
        case "explain" -> new ExplainCommand().run(rest, out, err);
        default -> {
          err.println("error: unknown command '" + TerminalText.escape(args[0]) + "'");
          err.print(HELP);
          yield USAGE;
        }
      };
    } catch (RuntimeException e) {
      err.println("error: internal error in " + args[0] + ": " + TerminalText.escape(e.toString()));
      return USAGE;
    }
  }
}
