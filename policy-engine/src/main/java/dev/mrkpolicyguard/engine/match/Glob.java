package dev.mrkpolicyguard.engine.match;

import java.util.Arrays;
import java.util.Locale;

/**
 * A compiled wildcard pattern: literal characters, single-character and multi-character wildcards,
 * and the character classes needed to describe principal ARNs. One automaton serves both matching a
 * concrete string and exploring the space of all strings ({@link StringSpace}).
 *
 * <p>{@code StringLike} semantics: {@code *} matches any run of characters, {@code ?} exactly one
 * (IAM User Guide, "String condition operators"). {@code ArnLike}/{@code ArnEquals} semantics: each
 * of the first five colon-separated components is matched separately, so a wildcard there never
 * spans a colon (IAM User Guide, "Amazon Resource Name (ARN) condition operators").
 */
public final class Glob {
  static final byte LITERAL = 0;
  static final byte ANY_CHAR = 1;
  static final byte ANY_RUN = 2;
  static final byte SEGMENT_CHAR = 3;
  static final byte SEGMENT_RUN = 4;
  static final byte DIGIT = 5;
  static final byte NAME_CHAR = 6;
  static final byte PATH_RUN = 7;
  static final byte PLAIN_RUN = 8;
  static final byte PLAIN_SEGMENT_RUN = 9;
  static final byte ANY_RUN_SHAPE = 10;
  static final byte PRINTABLE_CHAR = 11;
  static final byte PRINTABLE_RUN = 12;
  static final byte NAME_RUN = 13;
  static final byte HOST_CHAR = 14;
  static final byte HOST_RUN = 15;

  /**
   * Stands, in a string explored by {@link StringSpace}, for the Region of the key a request is
   * sent to: a Region-bearing value that moves with the request when it is sent to the other key.
   */
  public static final char SELF_REGION = '\uE000';

  /** Stands for the Region of the other key of the pair (see {@link #SELF_REGION}). */
  public static final char OTHER_REGION = '\uE001';

  final byte[] kinds;
  final char[] literals;
  final boolean ignoreCase;

  /** What {@link #SELF_REGION} and {@link #OTHER_REGION} spell for this pattern, or null. */
  final String[] regions;

  private final boolean simple;

  private Glob(byte[] kinds, char[] literals, boolean ignoreCase) {
    this(kinds, literals, ignoreCase, null);
  }

  private Glob(byte[] kinds, char[] literals, boolean ignoreCase, String[] regions) {
    this.kinds = kinds;
    this.literals = literals;
    this.ignoreCase = ignoreCase;
    this.regions = regions;
    boolean onlyPlainTokens = true;
    for (byte k : kinds) {
      onlyPlainTokens &= k == LITERAL || k == ANY_CHAR || k == ANY_RUN;
    }
    this.simple = onlyPlainTokens;
  }

  /**
   * This pattern as seen from a key in {@code selfRegion} whose pair is in {@code otherRegion}: in
   * strings explored by {@link StringSpace}, {@link #SELF_REGION} reads as {@code selfRegion} and
   * {@link #OTHER_REGION} as {@code otherRegion}.
   */
  public Glob seenFrom(String selfRegion, String otherRegion) {
    return new Glob(kinds, literals, ignoreCase, new String[] {selfRegion, otherRegion});
  }

  /**
   * Spells the Region placeholders of {@code text} for a key in {@code self} paired with {@code
   * other}.
   */
  public static String spell(String text, String self, String other) {
    if (text == null || (text.indexOf(SELF_REGION) < 0 && text.indexOf(OTHER_REGION) < 0)) {
      return text;
    }
    return text.replace(String.valueOf(SELF_REGION), self)
        .replace(String.valueOf(OTHER_REGION), other);
  }

  /** The expansion of placeholder {@code c} for this pattern, or null if it has none. */
  String expansion(char c) {
    if (regions == null) {
      return null;
    }
    return c == SELF_REGION ? regions[0] : c == OTHER_REGION ? regions[1] : null;
  }

  /** A pattern that equals {@code text} only (no wildcards). */
  public static Glob literal(String text, boolean ignoreCase) {
    byte[] kinds = new byte[text.length()];
    return new Glob(kinds, fold(text, ignoreCase).toCharArray(), ignoreCase);
  }

  /** A {@code StringLike} pattern: {@code *} and {@code ?} are wildcards. */
  public static Glob like(String pattern, boolean ignoreCase) {
    return compile(pattern, ignoreCase, false);
  }

  /** An {@code ArnLike} pattern: wildcards do not span colons in the first five components. */
  public static Glob arnLike(String pattern) {
    return compile(pattern, false, true);
  }

  /**
   * A pattern described in a tiny language for character classes: {@code \d} one digit, {@code \w}
   * one IAM name character, {@code \p} any run of IAM name characters and slashes, {@code \*} any
   * run without a colon, {@code \\a} any run, {@code \\r} any run without a Region placeholder,
   * {@code \\s} a run without a colon or a placeholder, {@code \\h} one lower-case letter, digit or
   * hyphen and {@code \\H} any run of those and dots (service endpoint names), {@code \\S} and
   * {@code \\O} the placeholders {@link #SELF_REGION} and {@link #OTHER_REGION}; everything else
   * literal.
   */
  public static Glob shape(String pattern) {
    byte[] kinds = new byte[pattern.length()];
    char[] literals = new char[pattern.length()];
    int n = 0;
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        char k = pattern.charAt(++i);
        kinds[n] =
            switch (k) {
              case 'd' -> DIGIT;
              case 'w' -> NAME_CHAR;
              case 'p' -> PATH_RUN;
              case '*' -> SEGMENT_RUN;
              case 'r' -> PLAIN_RUN;
              case 's' -> PLAIN_SEGMENT_RUN;
              case 'a' -> ANY_RUN_SHAPE;
              case 'P' -> PRINTABLE_CHAR;
              case 'Q' -> PRINTABLE_RUN;
              case 'n' -> NAME_RUN;
              case 'h' -> HOST_CHAR;
              case 'H' -> HOST_RUN;
              case 'S' -> {
                literals[n] = SELF_REGION;
                yield LITERAL;
              }
              case 'O' -> {
                literals[n] = OTHER_REGION;
                yield LITERAL;
              }
              default -> throw new IllegalArgumentException("unknown class \\" + k);
            };
      } else {
        kinds[n] = LITERAL;
        literals[n] = c;
      }
      n++;
    }
    return new Glob(Arrays.copyOf(kinds, n), Arrays.copyOf(literals, n), false);
  }

  private static Glob compile(String pattern, boolean ignoreCase, boolean arn) {
    String text = fold(pattern, ignoreCase);
    byte[] kinds = new byte[text.length()];
    char[] literals = new char[text.length()];
    int colons = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean segmented = arn && colons < 5;
      if (c == '*') {
        kinds[i] = segmented ? SEGMENT_RUN : ANY_RUN;
      } else if (c == '?') {
        kinds[i] = segmented ? SEGMENT_CHAR : ANY_CHAR;
      } else {
        kinds[i] = LITERAL;
        literals[i] = c;
        if (c == ':') {
          colons++;
        }
      }
    }
    return new Glob(kinds, literals, ignoreCase);
  }

  private static String fold(String text, boolean ignoreCase) {
    return ignoreCase ? text.toLowerCase(Locale.ROOT) : text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Glob g
        && g.ignoreCase == ignoreCase
        && Arrays.equals(g.kinds, kinds)
        && Arrays.equals(g.literals, literals)
        && Arrays.equals(g.regions, regions);
  }

  @Override
  public int hashCode() {
    return 31
            * (31 * (31 * Arrays.hashCode(kinds) + Arrays.hashCode(literals))
                + (ignoreCase ? 1 : 0))
        + Arrays.hashCode(regions);
  }

  /** Number of automaton positions: one per token plus the accepting position. */
  int positions() {
    return kinds.length + 1;
  }

  boolean isRun(int position) {
    byte k = kinds[position];
    return k == ANY_RUN
        || k == SEGMENT_RUN
        || k == PATH_RUN
        || k == PLAIN_RUN
        || k == PLAIN_SEGMENT_RUN
        || k == ANY_RUN_SHAPE
        || k == PRINTABLE_RUN
        || k == NAME_RUN
        || k == HOST_RUN;
  }

  /** Whether the token at {@code position} accepts character {@code c} (already case-folded). */
  boolean accepts(int position, char c) {
    return accepts(kinds[position], literals[position], c);
  }

  /** Whether a token of {@code kind} (with {@code literal}, for a literal) accepts {@code c}. */
  static boolean accepts(byte kind, char literal, char c) {
    return switch (kind) {
      case LITERAL -> literal == c;
      case ANY_CHAR, ANY_RUN, ANY_RUN_SHAPE -> true;
      case PLAIN_RUN -> c != SELF_REGION && c != OTHER_REGION;
      case PLAIN_SEGMENT_RUN -> c != ':' && c != SELF_REGION && c != OTHER_REGION;
      case SEGMENT_CHAR, SEGMENT_RUN -> c != ':';
      case DIGIT -> c >= '0' && c <= '9';
      case NAME_CHAR -> isNameChar(c);
      case PATH_RUN -> isNameChar(c) || c == '/';
      case PRINTABLE_CHAR, PRINTABLE_RUN -> c >= '!' && c <= '~';
      case NAME_RUN -> isNameChar(c);
      case HOST_CHAR -> isHostChar(c);
      case HOST_RUN -> isHostChar(c) || c == '.';
      default -> false;
    };
  }

  /** A character of a DNS label as AWS service endpoints spell them: lower case, digit, hyphen. */
  static boolean isHostChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  }

  static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "+=,.@_-".indexOf(c) >= 0;
  }

  /** Whether the pattern has no wildcard or class: it matches exactly one string. */
  public boolean isLiteral() {
    for (byte k : kinds) {
      if (k != LITERAL) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether some string that starts with {@code prefix} could match the pattern (reading the prefix
   * leaves a live position). False means no such string matches.
   */
  public boolean canMatchSomeStringStartingWith(String prefix) {
    int n = kinds.length;
    boolean[] current = new boolean[n + 1];
    current[0] = true;
    close(current);
    for (int i = 0; i < prefix.length(); i++) {
      char c = ignoreCase ? Character.toLowerCase(prefix.charAt(i)) : prefix.charAt(i);
      boolean[] next = new boolean[n + 1];
      boolean any = false;
      for (int p = 0; p < n; p++) {
        if (current[p] && accepts(p, c)) {
          next[isRun(p) ? p : p + 1] = true;
          any = true;
        }
      }
      if (!any) {
        return false;
      }
      close(next);
      current = next;
    }
    return true;
  }

  /**
   * Whether every literal character after the fifth colon of the pattern (an ARN's resource part)
   * is an IAM name character or a slash: then no string in which some other character stands where
   * a fresh name character could is told apart from that string.
   */
  public boolean resourceLiteralsAreNameCharacters() {
    int colons = 0;
    for (int i = 0; i < kinds.length; i++) {
      if (kinds[i] != LITERAL) {
        continue;
      }
      char c = literals[i];
      if (colons < 5) {
        if (c == ':') {
          colons++;
        }
        continue;
      }
      if (!isNameChar(c) && c != '/') {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code text} matches the whole pattern. */
  public boolean matches(String text) {
    if (regions != null) {
      text = spell(text, regions[0], regions[1]);
    }
    return simple ? matchesPlain(text) : matchesAutomaton(text);
  }

  /**
   * Two-pointer wildcard matching for patterns of literals, {@code ?} and {@code *} only: on a
   * mismatch, let the last {@code *} absorb one more character. Allocation-free.
   */
  private boolean matchesPlain(String text) {
    int t = 0;
    int p = 0;
    int star = -1;
    int mark = 0;
    int n = kinds.length;
    while (t < text.length()) {
      char c = ignoreCase ? Character.toLowerCase(text.charAt(t)) : text.charAt(t);
      if (p < n && (kinds[p] == ANY_CHAR || (kinds[p] == LITERAL && literals[p] == c))) {
        p++;
        t++;
      } else if (p < n && kinds[p] == ANY_RUN) {
        star = p++;
        mark = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++mark;
      } else {
        return false;
      }
    }
    while (p < n && kinds[p] == ANY_RUN) {
      p++;
    }
    return p == n;
  }

  private boolean matchesAutomaton(String text) {
    int n = kinds.length;
    boolean[] current = new boolean[n + 1];
    boolean[] next = new boolean[n + 1];
    current[0] = true;
    close(current);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (ignoreCase) {
        c = Character.toLowerCase(c);
      }
      Arrays.fill(next, false);
      boolean any = false;
      for (int p = 0; p < n; p++) {
        if (current[p] && accepts(p, c)) {
          if (isRun(p)) {
            next[p] = true;
          } else {
            next[p + 1] = true;
          }
          any = true;
        }
      }
      if (!any) {
        return false;
      }
      close(next);
      boolean[] swap = current;
      current = next;
      next = swap;
    }
    return current[n];
  }

  private void close(boolean[] states) {
    for (int p = 0; p < kinds.length; p++) {
      if (states[p] && isRun(p)) {
        states[p + 1] = true;
      }
    }
  }

  /** Every literal character of the pattern, in both cases where the pattern ignores case. */
  void addLiterals(StringBuilder alphabet) {
    for (int i = 0; i < kinds.length; i++) {
      if (kinds[i] == LITERAL) {
        char c = literals[i];
        alphabet.append(c);
        if (ignoreCase) {
          alphabet.append(Character.toUpperCase(c));
        }
      }
    }
  }
}
