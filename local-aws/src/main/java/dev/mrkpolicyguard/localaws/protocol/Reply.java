package dev.mrkpolicyguard.localaws.protocol;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP response to write: status, headers and body. */
public record Reply(int status, Map<String, String> headers, byte[] body) {

  public Reply {
    headers = Map.copyOf(headers);
    body = body.clone();
  }

  public static Reply of(int status, String contentType, String body) {
    return new Reply(
        status, Map.of("Content-Type", contentType), body.getBytes(StandardCharsets.UTF_8));
  }

  public Reply withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Reply(status, copy, body);
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}
