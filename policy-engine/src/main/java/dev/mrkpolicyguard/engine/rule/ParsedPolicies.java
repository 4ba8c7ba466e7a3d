package dev.mrkpolicyguard.engine.rule;

import dev.mrkpolicyguard.engine.parse.ParseResult;
import dev.mrkpolicyguard.engine.parse.PolicyParser;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parse results remembered by policy text for one decider: a periodic run reads each replica's
 * policy and its primary's, and a fleet made from templates has few distinct texts. Parsing is a
 * pure function of the text and its results are immutable, so a held result is the one a new parse
 * would give. Bounded by the characters of the texts held, least recently used first out.
 */
final class ParsedPolicies {
  /** The most characters held: 2 M characters (4 MB), about a thousand 2 KB policies. */
  static final long MAX_CHARS = 2L * 1024 * 1024;

  private final PolicyParser parser = new PolicyParser();
  private final long maxChars;
  private final LinkedHashMap<String, ParseResult> held = new LinkedHashMap<>(16, 0.75f, true);
  private long chars;

  ParsedPolicies() {
    this(MAX_CHARS);
  }

  ParsedPolicies(long maxChars) {
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars must be positive, got " + maxChars);
    }
    this.maxChars = maxChars;
  }

  /** The parse of {@code text}, parsed now unless held. */
  ParseResult parse(String text) {
    synchronized (this) {
      ParseResult known = held.get(text);
      if (known != null) {
        return known;
      }
    }
    ParseResult parsed = parser.parse(text);
    synchronized (this) {
      if (text.length() <= maxChars && held.putIfAbsent(text, parsed) == null) {
        chars += text.length();
        Iterator<Map.Entry<String, ParseResult>> oldest = held.entrySet().iterator();
        while (chars > maxChars && oldest.hasNext()) {
          chars -= oldest.next().getKey().length();
          oldest.remove();
        }
      }
    }
    return parsed;
  }

  /** How many texts are held. */
  synchronized int size() {
    return held.size();
  }

  /** The characters held; never more than the bound. */
  synchronized long chars() {
    return chars;
  }
}
