package dev.mrkpolicyguard.cli.common;

/**
 * Text from policies, snapshots, AWS error messages or file names made safe to show on a terminal:
 * every character that a terminal acts on or that reorders or hides text is shown as a
 * six-character escape, a backslash, {@code u} and four lower-case hex digits, as in Java and JSON
 * (ESC shows as backslash-u001b). That is every control character (C0, DEL, C1), every format
 * character (bidirectional overrides and isolates such as U+202E, zero-width characters, the byte
 * order mark), the line and paragraph separators U+2028 and U+2029, private-use and unassigned code
 * points (a later Unicode or a terminal's font may give them a meaning), and unpaired surrogates.
 * Everything else, including backslashes, is kept, so escaping twice changes nothing.
 *
 * <p>The one place where human-readable output is escaped: every text writer of the command line
 * (the {@code compare} text, the {@code audit} table, the {@code remediate} output, every error and
 * progress line, {@code check-iac} and {@code explain}) passes the values it shows through here.
 * JSON output escapes the same characters ({@code report.SafeJson}); the HTML report's text is
 * escaped for HTML.
 */
public final class TerminalText {
  private TerminalText() {}

  /** {@code text} as one line: line breaks and tabs are escaped too. */
  public static String escape(String text) {
    return escape(text, false);
  }

  /** {@code text} that may span lines: as {@link #escape}, but line feeds and tabs are kept. */
  public static String escapeLines(String text) {
    return escape(text, true);
  }

  private static String escape(String text, boolean keepLines) {
    String s = String.valueOf(text);
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean pair =
          Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1));
      int codePoint = pair ? s.codePointAt(i) : c;
      boolean kept = (keepLines && (c == '\n' || c == '\t')) || !unsafe(codePoint);
      if (kept && out == null) {
        i += pair ? 1 : 0;
        continue;
      }
      if (out == null) {
        out = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (kept) {
        out.appendCodePoint(codePoint);
      } else {
        for (char unit : Character.toChars(codePoint)) {
          out.append(String.format("\\u%04x", (int) unit));
        }
      }
      i += pair ? 1 : 0;
    }
    return out == null ? s : out.toString();
  }

  /**
   * Whether {@code codePoint} is escaped: a control, format, line or paragraph separator, private
   * use, unassigned or surrogate character (the JSON writer of the reports asks too).
   */
  public static boolean unsafe(int codePoint) {
    return switch (Character.getType(codePoint)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.PRIVATE_USE,
          Character.UNASSIGNED,
          Character.SURROGATE ->
          true;
      default -> false;
    };
  }
}
