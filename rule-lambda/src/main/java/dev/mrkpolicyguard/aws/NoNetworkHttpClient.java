package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.startup.Priming;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An SDK HTTP client that sends nothing: it reads each marshalled, signed request (so the SDK's
 * whole request path runs), notes its host and operation, and answers {@code 200 {}} itself, so
 * that the response path runs too. Priming only.
 */
public final class NoNetworkHttpClient implements SdkHttpClient {
  private final List<String> seen = new ArrayList<>();

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    SdkHttpRequest http = request.httpRequest();
    request
        .contentStreamProvider()
        .ifPresent(
            body -> {
              try (InputStream in = body.newStream()) {
                in.transferTo(OutputStream.nullOutputStream());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    String operation =
        http.firstMatchingHeader("X-Amz-Target").orElse(http.method() + " " + http.encodedPath());
    synchronized (seen) {
      seen.add(http.host() + " " + operation);
    }
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() {
        byte[] body = answer(operation).getBytes(StandardCharsets.UTF_8);
        return HttpExecuteResponse.builder()
            .response(
                SdkHttpResponse.builder()
                    .statusCode(200)
                    .putHeader("Content-Type", "application/x-amz-json-1.1")
                    .putHeader("Content-Length", Integer.toString(body.length))
                    .build())
            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
            .build();
      }

      @Override
      public void abort() {}
    };
  }

  private static String answer(String operation) {
    if (!operation.matches("[A-Za-z0-9_]+\\.[A-Za-z0-9]+")) {
      return "{}";
    }
    try {
      return Priming.resource("answers/" + operation + ".json");
    } catch (IllegalStateException missing) {
      return "{}";
    }
  }

  /** Host and operation (X-Amz-Target, else method and path) of each request, in order. */
  public List<String> seen() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  @Override
  public String clientName() {
    return "NoNetwork";
  }

  @Override
  public void close() {}
}
