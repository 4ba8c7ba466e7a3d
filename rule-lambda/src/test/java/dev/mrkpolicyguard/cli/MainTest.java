package dev.mrkpolicyguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MainTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "compare; --help; --primary FILE --replica FILE",
        "compare; -h; --primary FILE --replica FILE",
        "invoke; --help; --event FILE",
        "invoke; -h; --event FILE",
        "audit; --help; --snapshot FILE | --regions R1,R2",
        "audit; -h; --snapshot FILE | --regions R1,R2",
        "export; --help; --regions R1,R2 [--profile P]",
        "export; -h; --regions R1,R2 [--profile P]",
        "remediate; --help; --key-arn ARN [--apply]",
        "remediate; -h; --key-arn ARN [--apply]"
      })
  void run_commandHelp_printsItsUsageToStdoutAndExitsZero(
      String command, String help, String synopsis) {
    CommandRun run = CommandRun.main(command, help);

    assertEquals(0, run.exit(), run.err());
    assertEquals("", run.err());
    assertTrue(
        run.out().startsWith("usage: java -jar rule-lambda.jar " + command + " [options]\n\n  "),
        run.out());
    assertTrue(run.out().contains(synopsis), run.out());
  }

  @ParameterizedTest
  @CsvSource({"compare", "invoke", "audit", "export", "remediate"})
  void run_helpAmongOtherOptions_printsTheUsageOnly(String command) {
    CommandRun run = CommandRun.main(command, "--no-such-option", "x", "--help");

    assertEquals(0, run.exit(), run.err());
    assertEquals("", run.err());
    assertTrue(run.out().startsWith("usage: java -jar rule-lambda.jar " + command), run.out());
  }

  @ParameterizedTest
  @CsvSource({"--help", "compare --help", "audit -h", "remediate --help"})
  void run_helpToFullStdout_exitsTwoSayingSo(String args) {
    CommandRun run = CommandRun.withFullStdout(Main::run, args.split(" "));

    assertEquals(2, run.exit());
    assertEquals(CommandRun.STDOUT_FAILED, run.err());
  }

  @ParameterizedTest
  @CsvSource({"--help", "-h"})
  void run_jarHelp_listsEveryCommand(String help) {
    CommandRun run = CommandRun.main(help);

    assertEquals(0, run.exit());
    for (String command : new String[] {"compare", "invoke", "audit", "export", "remediate"}) {
      assertTrue(run.out().contains("\n  " + command + " "), command);
    }
  }
}
