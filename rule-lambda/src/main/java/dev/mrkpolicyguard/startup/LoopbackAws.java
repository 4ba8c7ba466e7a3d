package dev.mrkpolicyguard.startup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the AWS JSON APIs on the loopback interface, for priming only: each request is
 * answered from the bundled answers ({@code answers/<X-Amz-Target>@<region>.json} for the Region
 * the request was signed for, else {@code answers/<X-Amz-Target>.json}, else {@code {}}), so a
 * handler built against it runs its whole path, the SDK's URL-connection client and {@code
 * HttpURLConnection} included, before the snapshot. Every answer carries {@code Connection: close},
 * so the client keeps no connection in its keep-alive cache; {@link #close()} stops the server and
 * its dispatcher thread. Nothing reaches AWS: the only address is 127.0.0.1, bound to a port the
 * system picks.
 */
final class LoopbackAws implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * What {@code HttpURLConnection} loads when it keeps a connection alive, which the loopback's
   * answers ({@code Connection: close}) do not reach: loaded, not initialised, so no cache or
   * cleaner thread is started.
   */
  private static final List<String> KEEP_ALIVE_CLASSES =
      List.of(
          "sun.net.www.http.KeepAliveCache$1",
          "sun.net.www.http.KeepAliveEntry",
          "sun.net.www.http.ClientVector",
          "sun.net.www.http.KeepAliveStream",
          "sun.net.www.http.KeepAliveStreamCleaner",
          "sun.net.www.http.KeepAliveStreamCleaner$1",
          "sun.net.www.http.KeepAliveStreamCleaner$2",
          "sun.net.www.http.Hurryable",
          "java.io.InterruptedIOException",
          "java.net.SocketTimeoutException");

  /** The Region of a SigV4 credential scope: {@code Credential=AKID/20261201/eu-west-1/kms/}. */
  private static final Pattern SIGNED_REGION =
      Pattern.compile("Credential=[^/]+/[0-9]{8}/([a-z0-9-]+)/");

  private final HttpServer server;
  private final List<String> seen = new ArrayList<>();

  private LoopbackAws(HttpServer server) {
    this.server = server;
  }

  /** Starts the stand-in on 127.0.0.1 and a free port. */
  static LoopbackAws start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      LoopbackAws aws = new LoopbackAws(server);
      server.createContext("/", aws::answer);
      server.start();
      return aws;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The endpoint every client of a primed handler is pointed at. */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The operation (X-Amz-Target) of each request answered, in order. */
  List<String> seen() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] request;
      try (InputStream in = exchange.getRequestBody()) {
        request = in.readAllBytes();
      }
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String operation = target == null ? exchange.getRequestMethod() + " /" : target;
      synchronized (seen) {
        seen.add(operation);
      }
      Matcher scope =
          SIGNED_REGION.matcher(
              String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      String region = scope.find() ? scope.group(1) : "";
      byte[] body = body(operation, region, request).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      exchange.getResponseHeaders().add("Connection", "close");
      exchange.getResponseHeaders().add("x-amzn-RequestId", "00000000-0000-4000-8000-00000000000a");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static String body(String operation, String region, byte[] request) throws IOException {
    if ("AmazonSQS.SendMessage".equals(operation)) {
      // The SQS client checks the digest of the body it sent against the one answered.
      JsonNode sent = MAPPER.readTree(request);
      return MAPPER
          .createObjectNode()
          .put("MessageId", "00000000-0000-4000-8000-00000000000b")
          .put("MD5OfMessageBody", md5(sent.path("MessageBody").asText("")))
          .toString();
    }
    if (!operation.matches("[A-Za-z0-9_]+\\.[A-Za-z0-9]+")) {
      return "{}";
    }
    for (String name : List.of(operation + "@" + region, operation)) {
      try {
        return Priming.resource("answers/" + name + ".json");
      } catch (IllegalStateException missing) {
        // the next, less specific answer
      }
    }
    return "{}";
  }

  private static String md5(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Loads the classes of a kept-alive connection (JDK classes: the boot loader's). */
  static void loadKeepAliveClasses() {
    for (String name : KEEP_ALIVE_CLASSES) {
      try {
        Class.forName(name, false, null);
      } catch (ClassNotFoundException | LinkageError absent) {
        // Another JDK names it otherwise: that class is left to the first event.
      }
    }
  }

  /** Stops the server: it waits for its dispatcher thread to end. */
  @Override
  public void close() {
    server.stop(0);
  }
}
