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
        "remediate; -h; --key-arn ARN [--apply]",
        "check-iac; --help; FILE[@REGION]... [--region R]",
        "check-iac; -h; FILE[@REGION]... [--region R]",
        "explain; --help; --records FILE",
        "explain; -h; --records FILE"
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
  @CsvSource({"compare", "invoke", "audit", "export", "remediate", "check-iac", "explain"})
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
    for (String command :
        new String[] {
          "compare", "invoke", "audit", "export", "remediate", "check-iac", "explain"
        }) {
      assertTrue(run.out().contains("\n  " + command + " "), command);
    }
  }

  @ParameterizedTest
  @CsvSource({"compare", "invoke", "audit", "export", "remediate", "check-iac", "explain"})
  void run_unknownOption_exitsTwoWithOneLineNamingIt(String command) {
    CommandRun run = CommandRun.main(command, "--frobnicate", "x");

    assertEquals(2, run.exit(), run.err());
    assertEquals("", run.out());
    assertTrue(run.err().startsWith("error: unknown option --frobnicate; " + command + " takes "));
    assertEquals(1, run.err().lines().count(), run.err());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "compare; --primary; FILE",
        "invoke; --event; FILE",
        "audit; --snapshot; FILE",
        "export; --regions; R1,R2",
        "remediate; --key-arn; ARN",
        "check-iac; --region; REGION",
        "explain; --records; FILE"
      })
  void run_valueOptionWithoutValue_exitsTwoSayingWhatItNeeds(
      String command, String option, String what) {
    CommandRun run = CommandRun.main(command, option);

    assertEquals(2, run.exit(), run.err());
    assertEquals("error: " + option + " needs a value: " + what + "\n", run.err());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "remediate --key-arn X --apply false; apply; false",
        "remediate --key-arn X --apply=no; apply; no",
        "remediate --key-arn X --force 0; force; 0",
        "check-iac t.yaml --live false; live; false",
        "check-iac t.yaml --live=off; live; off",
        "explain --records r.json --lookup=yes; lookup; yes"
      })
  void run_switchGivenAValue_exitsTwoNamingTheSwitchAndTheValue(
      String line, String name, String value) {
    CommandRun run = CommandRun.main(line.split(" "));

    assertEquals(2, run.exit(), run.err());
    assertEquals(
        "error: --" + name + " is a switch and takes no value, but was given '" + value + "'\n",
        run.err());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "explain --lookup --region Ireland --key mrk-1234abcd12ab34cd56ef1234567890ab | region",
        "check-iac --region Ireland template.json | region",
        "compare --primary a --replica b --replica-region Ireland | replica-region",
        "audit --regions us-east-1,Ireland | regions"
      })
  void run_badRegionValue_exitsTwoWithOneLineNamingTheOptionAndTheValue(
      String args, String option) {
    CommandRun result = CommandRun.main(args.trim().split("\\s+"));

    assertEquals(2, result.exit(), result.err());
    assertEquals(1, result.err().lines().count(), result.err());
    assertTrue(result.err().contains("--" + option + " "), result.err());
    assertTrue(result.err().contains("'Ireland'"), result.err());
  }
}
