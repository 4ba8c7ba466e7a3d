package dev.mrkpolicyguard.cli.common;

import java.io.PrintStream;

/**
 * How every command runs: its options parsed against its {@link Arguments.Spec}, {@code --help}
 * answered with its usage on stdout, bad usage reported on stderr in one line per problem with exit
 * code {@link #USAGE}, and standard output checked once the command is done: output that could not
 * be written (a full disk, a closed pipe) is an error with exit code {@link #USAGE}, never a silent
 * success.
 */
public final class CommandLine {
  /** Exit code for bad input or usage, and for output that could not be written. */
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
    int code;
    try {
      Arguments parsed = Arguments.parse(args, spec);
      if (parsed.help()) {
        out.print("usage: java -jar rule-lambda.jar " + spec.command() + " [options]\n\n" + usage);
        code = 0;
      } else {
        code = body.run(parsed, out, err);
      }
    } catch (UsageException e) {
      return error(err, e.getMessage());
    }
    // A command that found its output unwritable has said so and returned USAGE already.
    return code == USAGE ? code : checked(out, err, code);
  }

  /**
   * Prints {@code message} as an error on {@code err}, escaped for the terminal (its line breaks
   * kept); returns {@link #USAGE}.
   */
  public static int error(PrintStream err, String message) {
    err.println("error: " + TerminalText.escapeLines(message));
    return USAGE;
  }

  /**
   * Whether everything printed to {@code out} so far was written (flushing it); if not, says so on
   * {@code err}. {@link PrintStream} never throws: its error flag is the only sign of a full disk
   * or a closed pipe.
   */
  public static boolean written(PrintStream out, PrintStream err) {
    if (!out.checkError()) {
      return true;
    }
    error(
        err,
        "could not write to standard output (disk full, or the reader went away); what it shows is"
            + " incomplete");
    return false;
  }

  /** {@code code}, or {@link #USAGE} when standard output could not be written. */
  public static int checked(PrintStream out, PrintStream err, int code) {
    return written(out, err) ? code : USAGE;
  }
}
