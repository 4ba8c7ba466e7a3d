package dev.mrkpolicyguard.localaws.protocol;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A minimal streaming XML writer: enough for the flat documents the query and REST-XML APIs use.
 */
public final class Xml {
  private final StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
  private final Deque<String> open = new ArrayDeque<>();

  /** Opens an element carrying an XML namespace (the document root of AWS responses). */
  public Xml start(String name, String namespace) {
    out.append('<').append(name).append(" xmlns=\"").append(escape(namespace)).append("\">");
    open.push(name);
    return this;
  }

  public Xml start(String name) {
    out.append('<').append(name).append('>');
    open.push(name);
    return this;
  }

  public Xml end() {
    out.append("</").append(open.pop()).append('>');
    return this;
  }

  /** A leaf element; skipped when the value is null, as AWS omits absent members. */
  public Xml leaf(String name, Object value) {
    if (value != null) {
      out.append('<').append(name).append('>');
      out.append(escape(String.valueOf(value)));
      out.append("</").append(name).append('>');
    }
    return this;
  }

  @Override
  public String toString() {
    if (!open.isEmpty()) {
      throw new IllegalStateException("unclosed elements: " + open);
    }
    return out.toString();
  }

  public static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&apos;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
