package dev.mrkpolicyguard.localaws.protocol;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request as read off the wire: method, raw path, decoded query, headers, body.
 *
 * @param path the path still percent-encoded, so S3 keys containing {@code /} survive splitting
 */
public record RawRequest(
    String method,
    String path,
    Map<String, String> query,
    Map<String, String> headers,
    byte[] body) {

  public RawRequest {
    query = Map.copyOf(query);
    headers = Map.copyOf(headers);
    body = body.clone();
  }

  public static RawRequest read(HttpExchange exchange) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      if (!header.getValue().isEmpty()) {
        headers.put(header.getKey().toLowerCase(Locale.ROOT), header.getValue().get(0));
      }
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    String rawQuery = exchange.getRequestURI().getRawQuery();
    return new RawRequest(
        exchange.getRequestMethod(),
        exchange.getRequestURI().getRawPath(),
        decodeForm(rawQuery == null ? "" : rawQuery),
        headers,
        body);
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

  /** Decodes {@code a=1&b=x%20y} (query strings and form bodies); a bare name maps to "". */
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
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  /** Path decoding, where {@code +} is itself (S3 object keys may contain it). */
  public static String decodePath(String text) {
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
