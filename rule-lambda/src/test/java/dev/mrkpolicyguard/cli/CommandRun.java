package dev.mrkpolicyguard.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One run of a command-line command with its exit code and output captured, for tests. */
public record CommandRun(int exit, String out, String err) {

  /** A command as the command line runs it. */
  public interface Command {
    int run(String[] args, PrintStream out, PrintStream err);
  }

  /** Runs {@code command} with {@code args}. */
  public static CommandRun of(Command command, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        command.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CommandRun(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Runs {@code command} with a standard output that fails every write, as {@code > /dev/full} or a
   * closed pipe does; {@code out} is empty.
   */
  public static CommandRun withFullStdout(Command command, String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    OutputStream full =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("No space left on device");
          }
        };
    int exit =
        command.run(
            args,
            new PrintStream(full, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CommandRun(exit, "", err.toString(StandardCharsets.UTF_8));
  }

  /** The message every command gives when its standard output could not be written. */
  public static final String STDOUT_FAILED =
      "error: could not write to standard output (disk full, or the reader went away); what it"
          + " shows is incomplete\n";

  /** Runs the jar's entry point, as {@code java -jar rule-lambda.jar ARGS} would. */
  public static CommandRun main(String... args) {
    return of(Main::run, args);
  }
}
