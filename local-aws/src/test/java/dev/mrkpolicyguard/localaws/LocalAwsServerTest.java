package dev.mrkpolicyguard.localaws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.kms.KmsClient;

/** The stand-in's HTTP edge: read timeout, request bounds, malformed requests. */
class LocalAwsServerTest {
  private final List<Socket> sockets = new ArrayList<>();
  private LocalAwsServer server;

  @AfterEach
  void stop() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    server.stop();
  }

  /** A connection that sends the headers of a 100-byte body and then 3 bytes of it, no more. */
  private void partialBody() throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port());
    socket.setSoTimeout(60_000);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: TrentService.ListKeys\r\n"
                + "Content-Type: application/x-amz-json-1.1\r\nContent-Length: 100\r\n\r\n{\"L")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    sockets.add(socket);
  }

  /** Whether the server closed the connection (end of stream or a reset). */
  private static boolean closedByServer(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    try {
      return in.read() == -1;
    } catch (SocketException e) {
      return String.valueOf(e.getMessage()).contains("reset");
    }
  }

  /** A KMS client that retries a call whose connection was closed, with short backoffs. */
  private KmsClient retryingKms() {
    return KmsClient.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .endpointOverride(server.endpoint())
        .region(Region.EU_WEST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
        .overrideConfiguration(
            c ->
                c.retryStrategy(
                    AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(5)
                        .backoffStrategy(
                            BackoffStrategy.exponentialDelay(
                                Duration.ofMillis(10), Duration.ofMillis(100)))
                        .build()))
        .build();
  }

  /** Creates {@code count} keys and lists them; the stalled connections must not block this. */
  private void createAndList(KmsClient kms, int count) {
    for (int i = 0; i < count; i++) {
      kms.createKey(r -> r.description("after the stall"));
    }
    assertEquals(count, kms.listKeys(r -> r.limit(100)).keys().size());
  }

  @ParameterizedTest
  @ValueSource(ints = {20})
  void start_clientsStalledInTheirBodies_otherCallsAreServedAndTheStalledClosed(int stalled)
      throws IOException {
    server = LocalAwsServer.builder().build().start();
    for (int i = 0; i < stalled; i++) {
      partialBody();
    }

    createAndList(TestClients.kms(server, "eu-west-1"), 20);

    for (Socket socket : sockets) {
      assertTrue(closedByServer(socket));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {8})
  void start_moreStalledClientsThanThreads_theReadTimeoutFreesTheThreads(int stalled)
      throws IOException {
    server = LocalAwsServer.builder().threads(4).build().start();
    for (int i = 0; i < stalled; i++) {
      partialBody();
    }

    // A call that waited for a thread as long as the stalled clients may be closed with them;
    // its retry is served.
    createAndList(retryingKms(), 5);

    for (Socket socket : sockets) {
      assertTrue(closedByServer(socket));
    }
  }

  /** Sends {@code request} as raw HTTP/1.1; returns the whole answer (status line to body). */
  private String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Action=AssumeRole&RoleArn=%zz&RoleSessionName=s",
        "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A1&RoleSessionName=%"
      })
  void handle_stsFormBodyWithABrokenEscape_answers400MalformedQueryString(String body)
      throws IOException {
    server = LocalAwsServer.builder().build().start();

    String answer =
        raw(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                + body.length()
                + "\r\n\r\n"
                + body);

    assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
    assertTrue(answer.contains("<Code>MalformedQueryString</Code>"), answer);
    assertTrue(answer.contains("<Type>Sender</Type>"), answer);
    assertEquals(0, server.calls().total());
  }
}
