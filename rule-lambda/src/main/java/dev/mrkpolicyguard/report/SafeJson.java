package dev.mrkpolicyguard.report;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mrkpolicyguard.cli.common.TerminalText;

/**
 * The JSON writer of every report: Jackson escapes only the C0 control characters, so a value from
 * a policy could still carry a C1 control (U+009B, the one-byte CSI) or a bidirectional override
 * (U+202E) to whoever prints the JSON on a terminal ({@code jq -r}, {@code cat}). This writer also
 * escapes DEL and every character {@link TerminalText} escapes, as {@code \}{@code uXXXX}: the JSON
 * means the same, and shows nothing a terminal acts on.
 */
public final class SafeJson {
  private SafeJson() {}

  private static final CharacterEscapes ESCAPES = new Escapes();

  /** A mapper that writes with these escapes, indented. */
  public static ObjectMapper indented() {
    return configure(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build());
  }

  /** {@code mapper} (changed in place) writing with these escapes. */
  public static ObjectMapper configure(ObjectMapper mapper) {
    mapper.getFactory().setCharacterEscapes(ESCAPES);
    return mapper;
  }

  private static final class Escapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii;

    Escapes() {
      ascii = CharacterEscapes.standardAsciiEscapesForJSON();
      // Controls without a short form ({@code \n}) are written in lower case, as TerminalText does.
      for (int c = 0; c < ascii.length; c++) {
        if (ascii[c] == CharacterEscapes.ESCAPE_STANDARD) {
          ascii[c] = CharacterEscapes.ESCAPE_CUSTOM;
        }
      }
      ascii[0x7f] = CharacterEscapes.ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (!TerminalText.unsafe(ch)) {
        return null;
      }
      return new SerializedString(String.format("\\u%04x", ch));
    }
  }
}
