package dev.mrkpolicyguard.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopbackAwsTest {
  @Test
  void answer_signedForTheRegionOfAnAnswer_givesThatAnswerAndClosesTheConnection()
      throws IOException {
    try (LoopbackAws aws = LoopbackAws.start()) {
      HttpURLConnection east = post(aws.endpoint(), "TrentService.DescribeKey", "us-east-1");
      HttpURLConnection west = post(aws.endpoint(), "TrentService.DescribeKey", "eu-west-1");

      assertEquals(Priming.resource("answers/TrentService.DescribeKey@us-east-1.json"), body(east));
      assertEquals(Priming.resource("answers/TrentService.DescribeKey.json"), body(west));
      assertEquals("close", east.getHeaderField("Connection"));
      assertEquals(List.of("TrentService.DescribeKey", "TrentService.DescribeKey"), aws.seen());
    }
  }

  @Test
  void answer_operationWithoutABundledAnswer_givesAnEmptyObject() throws IOException {
    try (LoopbackAws aws = LoopbackAws.start()) {
      assertEquals("{}", body(post(aws.endpoint(), "TrentService.ListAliases", "eu-west-1")));
    }
  }

  @Test
  void close_started_stopsListening() {
    LoopbackAws aws = LoopbackAws.start();
    URI endpoint = aws.endpoint();

    aws.close();

    assertThrows(
        ConnectException.class, () -> new Socket(endpoint.getHost(), endpoint.getPort()).close());
  }

  private static HttpURLConnection post(URI endpoint, String target, String region)
      throws IOException {
    HttpURLConnection http = (HttpURLConnection) endpoint.toURL().openConnection();
    http.setRequestMethod("POST");
    http.setDoOutput(true);
    http.setRequestProperty("X-Amz-Target", target);
    http.setRequestProperty(
        "Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIAPRIMINGEXAMPLE00/20261201/"
            + region
            + "/kms/aws4_request, SignedHeaders=host, Signature=0");
    try (OutputStream out = http.getOutputStream()) {
      out.write("{}".getBytes(StandardCharsets.UTF_8));
    }
    return http;
  }

  private static String body(HttpURLConnection http) throws IOException {
    try (InputStream in = http.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
