package dev.mrkpolicyguard.localaws.s3;

import dev.mrkpolicyguard.localaws.protocol.ApiException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the {@code aws-chunked} body encoding the SDKs use for streaming uploads (signed or with
 * checksum trailers): {@code hex-size[;chunk-signature=..]\r\n data \r\n ... 0\r\n trailers}.
 */
final class AwsChunked {
  private AwsChunked() {}

  static byte[] decode(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int pos = 0;
    while (pos < body.length) {
      int lineEnd = indexOfCrlf(body, pos);
      String header = new String(body, pos, lineEnd - pos, StandardCharsets.US_ASCII);
      int semicolon = header.indexOf(';');
      int size = parseSize(semicolon < 0 ? header : header.substring(0, semicolon));
      pos = lineEnd + 2;
      if (size == 0) {
        break;
      }
      if (pos + size > body.length) {
        throw malformed();
      }
      out.write(body, pos, size);
      pos += size + 2;
    }
    return out.toByteArray();
  }

  private static int parseSize(String hex) {
    try {
      return Integer.parseInt(hex.trim(), 16);
    } catch (NumberFormatException e) {
      throw malformed();
    }
  }

  private static int indexOfCrlf(byte[] body, int from) {
    for (int i = from; i + 1 < body.length; i++) {
      if (body[i] == '\r' && body[i + 1] == '\n') {
        return i;
      }
    }
    throw malformed();
  }

  private static ApiException malformed() {
    return ApiException.client("IncompleteBody", "The aws-chunked request body is malformed.");
  }
}
