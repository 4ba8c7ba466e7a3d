package dev.mrkpolicyguard.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafeJsonTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1b   | ESC, escaped by Jackson already",
        "7f   | DEL",
        "9b   | CSI, C1",
        "85   | next line, C1",
        "ad   | soft hyphen, a format character",
        "202a | left-to-right embedding",
        "202e | right-to-left override",
        "2066 | left-to-right isolate",
        "2069 | pop directional isolate",
        "200b | zero-width space",
        "2028 | line separator"
      })
  void indented_unsafeCharacter_isWrittenAsItsEscapeAndReadsBackTheSame(String hex, String what)
      throws Exception {
    char c = (char) Integer.parseInt(hex.trim(), 16);
    String value = "a" + c + "b";

    String json = SafeJson.indented().writeValueAsString(Map.of("sid", value));

    assertEquals("{\n  \"sid\" : \"a" + String.format("\\u%04x", (int) c) + "b\"\n}", json, what);
    assertEquals(value, new ObjectMapper().readTree(json).get("sid").asText());
  }

  @ParameterizedTest
  @CsvSource({"alias/payments é ü 日本", "'quoted' ~ /"})
  void indented_printableText_isKept(String value) throws Exception {
    String json = SafeJson.indented().writeValueAsString(Map.of("v", value));

    assertEquals(value, new ObjectMapper().readTree(json).get("v").asText());
    assertTrue(json.contains(value), json);
  }
}
