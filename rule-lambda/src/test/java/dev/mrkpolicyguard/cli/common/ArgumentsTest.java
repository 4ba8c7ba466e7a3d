package dev.mrkpolicyguard.cli.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArgumentsTest {
  private static final Arguments.Spec SPEC =
      Arguments.Spec.of("demo").value("file", "FILE").flag("apply");

  private static Arguments parse(String line) throws UsageException {
    return Arguments.parse(line.isEmpty() ? new String[0] : line.split(" "), SPEC);
  }

  private static String problem(String line) {
    return assertThrows(UsageException.class, () -> parse(line)).getMessage();
  }

  @Test
  void parse_valueAndSwitch_givesBoth() throws UsageException {
    Arguments args = parse("--file a.json --apply");
    assertEquals(Optional.of("a.json"), args.get("file"));
    assertTrue(args.flag("apply"));
    assertFalse(args.help());
  }

  @Test
  void parse_valueAfterEquals_isTheValue() throws UsageException {
    assertEquals(Optional.of("x=y"), parse("--file=x=y").get("file"));
  }

  @Test
  void parse_switchAbsent_isFalse() throws UsageException {
    assertFalse(parse("--file a").flag("apply"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--apply false          | false",
        "--apply=false          | false",
        "--apply no             | no",
        "--apply=0              | 0",
        "--apply=               | ''",
        "--apply true --file a  | true"
      })
  void parse_switchGivenAValue_refusesNamingTheSwitchAndTheValue(String line, String value) {
    assertEquals(
        "--apply is a switch and takes no value, but was given '" + value + "'",
        problem(line.trim()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"--file", "--file --apply", "--file="})
  void parse_valueOptionWithoutValue_saysWhatItNeeds(String line) {
    assertEquals("--file needs a value: FILE", problem(line));
  }

  @Test
  void parse_unknownOption_namesItAndWhatTheCommandTakes() {
    assertEquals(
        "unknown option --colour; demo takes --file FILE, --apply (see demo --help)",
        problem("--colour red"));
  }

  @Test
  void parse_strayArgument_isRefused() {
    assertEquals(
        "unexpected argument 'stray'; demo takes --file FILE, --apply (see demo --help)",
        problem("stray"));
  }

  @Test
  void parse_optionTwice_isRefused() {
    assertEquals("option --file given twice", problem("--file a --file=b"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h", "--file a --help", "--colour -h", "--apply=no --help"})
  void parse_help_winsOverEverythingElse(String line) throws UsageException {
    assertTrue(parse(line).help());
  }

  @Test
  void require_missingOption_namesIt() {
    UsageException e = assertThrows(UsageException.class, () -> parse("").require("file"));
    assertEquals("missing required option --file", e.getMessage());
  }

  private static final Arguments.Spec WITH_OPERANDS =
      Arguments.Spec.of("files")
          .operands("FILE")
          .repeatable("parameter", "K=V")
          .flag("live")
          .value("format", "F");

  private static Arguments parseOperands(String line) throws UsageException {
    return Arguments.parse(line.split(" "), WITH_OPERANDS);
  }

  @Test
  void parse_operandsAndRepeatedOption_keepsBothInOrder() throws UsageException {
    Arguments args = parseOperands("a.yaml --parameter A=1 b.json --live c.yaml --parameter B=2");

    assertEquals(java.util.List.of("a.yaml", "b.json", "c.yaml"), args.operands());
    assertEquals(java.util.List.of("A=1", "B=2"), args.all("parameter"));
    assertTrue(args.flag("live"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"false", "no", "0", "TRUE", "off"})
  void parse_switchFollowedByASwitchWord_isRefusedEvenWhereOperandsAreTaken(String word) {
    UsageException e =
        assertThrows(UsageException.class, () -> parseOperands("a.yaml --live " + word));
    assertEquals(
        "--live is a switch and takes no value, but was given '" + word + "'", e.getMessage());
  }

  @Test
  void parse_nonRepeatableOptionTwiceAmongOperands_isRefused() {
    UsageException e =
        assertThrows(UsageException.class, () -> parseOperands("a.yaml --format x --format y"));
    assertEquals("option --format given twice", e.getMessage());
  }
}
