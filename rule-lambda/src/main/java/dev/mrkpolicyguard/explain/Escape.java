package dev.mrkpolicyguard.explain;

/**
 * Text from records and policies, made safe to print: control, format (bidirectional overrides) and
 * line-separator characters become {@code \}{@code uXXXX}, so no record can forge lines or reorder
 * what a terminal shows.
 */
final class Escape {
  private Escape() {}

  static String text(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder out = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (unsafe(c)) {
        if (out == null) {
          out = new StringBuilder(value.length() + 8).append(value, 0, i);
        }
        out.append(String.format("\\u%04x", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? value : out.toString();
  }

  private static boolean unsafe(char c) {
    return switch (Character.getType(c)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR ->
          true;
      default -> false;
    };
  }
}
