package dev.mrkpolicyguard.cli.common;

import java.io.PrintStream;

/**
 * How every command runs: its options parsed against its {@link Arguments.Spec}, {@code --help}
 * answered with its usage on stdout, bad usage reported on stderr in one line per problem with exit
 * code {@link #USAGE}.
 */
public final class CommandLine {
  /** Exit code for bad input or usage. */
  public static final int USAGE = 2;

  private CommandLine() {}

  /** A command's work, once its options are parsed; returns the exit code. */
  @FunctionalInterface
  public interface Body {
    int run(Arguments args, PrintStream out, PrintStream err) throws UsageException;
  }

  /**
   * Runs {@code body} with {@code args} parsed against {@code spec}; for {@code --help} or {@code
   * -h}, prints the command's {@code usage} (its section of the jar's help) instead. Returns the
   * exit code.
   */
  public static int run(
      String[] args,
      Arguments.Spec spec,
      String usage,
      PrintStream out,
      PrintStream err,
      Body body) {
    try {
      Arguments parsed = Arguments.parse(args, spec);
      if (parsed.help()) {
        out.print("usage: java -jar rule-lambda.jar " + spec.command() + " [options]\n\n" + usage);
        return 0;
      }
      return body.run(parsed, out, err);
    } catch (UsageException e) {
      return error(err, e.getMessage());
    }
  }

  /**
   * Prints {@code message} as an error on {@code err}, escaped for the terminal (its line breaks
   * kept); returns {@link #USAGE}.
   */
  public static int error(PrintStream err, String message) {
    err.println("error: " + TerminalText.escapeLines(message));
    return USAGE;
  }
}
