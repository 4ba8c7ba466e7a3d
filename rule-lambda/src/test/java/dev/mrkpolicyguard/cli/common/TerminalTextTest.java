package dev.mrkpolicyguard.cli.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TerminalTextTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1b     | ESC, C0",
        "07     | BEL, C0",
        "0d     | carriage return",
        "0a     | line feed",
        "09     | tab",
        "7f     | DEL",
        "9b     | CSI, C1",
        "85     | next line, C1",
        "202e   | right-to-left override",
        "2066   | left-to-right isolate",
        "200f   | right-to-left mark",
        "200b   | zero-width space",
        "feff   | byte order mark",
        "2028   | line separator",
        "2029   | paragraph separator",
        "e000   | private use",
        "0378   | unassigned",
        "2069   | pop directional isolate",
        "202a   | left-to-right embedding",
        "d800   | unpaired high surrogate",
        "dc00   | unpaired low surrogate"
      })
  void escape_unsafeCharacter_isShownAsItsEscape(String hex, String what) {
    char c = (char) Integer.parseInt(hex.trim(), 16);
    String escaped = String.format("\\u%04x", (int) c);
    assertEquals("a" + escaped + "b", TerminalText.escape("a" + c + "b"), what);
  }

  @Test
  void escape_formatCharacterBeyondTheBmp_isShownAsBothHalves() {
    assertEquals("x\\udb40\\udc01", TerminalText.escape("x\uDB40\uDC01"));
  }

  @Test
  void escape_printableText_isReturnedUnchanged() {
    String text = "alias/payments é ü 日本 😀 \\ 'quoted' \"double\" ~";
    assertSame(text, TerminalText.escape(text));
  }

  @Test
  void escape_craftedVerdict_cannotClearTheScreen() {
    assertEquals(
        "'\\u001b[2J\\u001b[HEQUIVALENT\\u202e'",
        TerminalText.escape("'\u001b[2J\u001b[HEQUIVALENT\u202e'"));
  }

  @Test
  void escape_escapedText_isUnchangedByASecondEscape() {
    String once = TerminalText.escape("a\u001b\nb\u202e");
    assertEquals(once, TerminalText.escape(once));
  }

  @Test
  void escapeLines_keepsLineFeedsAndTabsOnly() {
    assertEquals(
        "line 1\n\tline 2\\u000d\n\\u001b[31m",
        TerminalText.escapeLines("line 1\n\tline 2\r\n\u001b[31m"));
  }

  @Test
  void escape_null_isTheWordNull() {
    assertEquals("null", TerminalText.escape(null));
  }
}
