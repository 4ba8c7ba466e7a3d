package dev.mrkpolicyguard.localaws.protocol;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request as read off the wire: method, raw path, raw query, headers, body.
 *
 * @param path the path still percent-encoded, so S3 keys containing {@code /} survive splitting
 * @param rawQuery the query string still percent-encoded ({@link #query()} decodes it)
 * @param bodyTooLarge whether the body was longer than the bound it was read with; the body is then
 *     empty, as it was not kept
 */
public record RawRequest(
    String method,
    String path,
    String rawQuery,
    Map<String, String> headers,
    byte[] body,
    boolean bodyTooLarge) {

  public RawRequest {
    Objects.requireNonNull(rawQuery, "rawQuery");
    headers = Map.copyOf(headers);
    body = body.clone();
  }

  /**
   * Reads the request, keeping at most {@code maxBody} bytes of its body: the rest of a longer one
   * is read and dropped (so that the client, still sending, gets the answer), and the request is
   * marked {@link #bodyTooLarge()}. No client can make the stand-in buffer an unbounded body; the
   * server's read timeout bounds how long one may take to send it.
   */
  public static RawRequest read(HttpExchange exchange, long maxBody) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      if (!header.getValue().isEmpty()) {
        headers.put(header.getKey().toLowerCase(Locale.ROOT), header.getValue().get(0));
      }
    }
    byte[] body;
    boolean tooLarge;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
      tooLarge = body.length > maxBody;
      if (tooLarge) {
        body = new byte[0];
        in.transferTo(OutputStream.nullOutputStream());
      }
    }
    String rawQuery = exchange.getRequestURI().getRawQuery();
    return new RawRequest(
        exchange.getRequestMethod(),
        exchange.getRequestURI().getRawPath(),
        rawQuery == null ? "" : rawQuery,
        headers,
        body,
        tooLarge);
  }

  /** The decoded query; a malformed one is a 400 {@code MalformedQueryString}. */
  public Map<String, String> query() {
    return decodeForm(rawQuery);
  }

  /** Header value by lower-case name, or null. */
  public String header(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /**
   * Decodes {@code a=1&b=x%20y} (query strings and form bodies); a bare name maps to "". A broken
   * percent escape (such as {@code %zz} or a lone {@code %}) is the client's fault: a 400 {@code
   * MalformedQueryString}, never a 500.
   */
  public static Map<String, String> decodeForm(String text) {
    Map<String, String> values = new LinkedHashMap<>();
    if (text.isEmpty()) {
      return values;
    }
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      values.put(decode(name), decode(value));
    }
    return values;
  }

  /** Form decoding, where {@code +} means a space. */
  public static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.client(
          "MalformedQueryString", "The query string or form body is malformed: " + e.getMessage());
    }
  }

  /** Path decoding, where {@code +} is itself (S3 object keys may contain it). */
  public static String decodePath(String text) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.client("InvalidURI", "Couldn't parse the specified URI.");
    }
  }
}
