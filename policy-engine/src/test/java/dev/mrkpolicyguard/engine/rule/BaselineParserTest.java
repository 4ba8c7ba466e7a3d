package dev.mrkpolicyguard.engine.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BaselineParserTest {
  private final BaselineParser parser = new BaselineParser();

  @Test
  void parse_fullBaseline_keepsEveryPart() {
    var result =
        parser.parse(
            "{\"version\":1,\"floor\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::${AccountId}:role/BreakGlass\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}],"
                + "\"allowedAccounts\":[\"${AccountId}\",\"444455556666\"],\"forbidPublicAccess\":false}");
    Baseline b = assertInstanceOf(BaselineParser.Result.Parsed.class, result).baseline();
    assertEquals(1, b.floorStatements().size());
    assertEquals(List.of("${AccountId}", "444455556666"), b.allowedAccounts());
    assertEquals(false, b.forbidPublicAccess());
  }

  @Test
  void parse_minimalBaseline_forbidsPublicAccessByDefault() {
    var result = parser.parse("{\"version\":1}");
    assertTrue(
        assertInstanceOf(BaselineParser.Result.Parsed.class, result)
            .baseline()
            .forbidPublicAccess());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "nope                                                   | not valid JSON",
        "{\"version\":2}                                        | /version",
        "{\"version\":1,\"flor\":[]}                            | unknown field 'flor'",
        "{\"version\":1,\"allowedAccounts\":[\"12\"]}           | /allowedAccounts/0",
        "{\"version\":1,\"forbidPublicAccess\":\"yes\"}         | /forbidPublicAccess",
        "{\"version\":1,\"floor\":{}}                           | floor must be an array",
        "{\"version\":1,\"ceiling\":[{\"Effect\":\"Allow\"}]}   | /ceiling/0/Principal"
      })
  void parse_invalidBaseline_namesTheProblemAndWhere(String json, String expected) {
    var invalid = assertInstanceOf(BaselineParser.Result.Invalid.class, parser.parse(json));
    assertTrue(invalid.describe().contains(expected), invalid.describe());
  }
}
