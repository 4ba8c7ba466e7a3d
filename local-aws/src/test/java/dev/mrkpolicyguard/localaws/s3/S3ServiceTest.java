package dev.mrkpolicyguard.localaws.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mrkpolicyguard.localaws.LocalAwsServer;
import dev.mrkpolicyguard.localaws.TestClients;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3ServiceTest {
  private static LocalAwsServer server;
  private static S3Client s3;

  @BeforeAll
  static void start() {
    server = LocalAwsServer.builder().build().start();
    s3 = TestClients.s3(server, "eu-west-1");
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.reset();
    s3.createBucket(r -> r.bucket("backups"));
  }

  private static void put(String key, String content) {
    s3.putObject(r -> r.bucket("backups").key(key), RequestBody.fromString(content));
  }

  @Test
  void putObject_thenGetObject_returnsSameBytesAndMd5Etag() throws Exception {
    put("policies/mrk-1 v1.json", "{\"a\":1}");
    var object = s3.getObjectAsBytes(r -> r.bucket("backups").key("policies/mrk-1 v1.json"));
    byte[] md5 = MessageDigest.getInstance("MD5").digest(object.asByteArray());
    assertEquals("{\"a\":1}", object.asString(StandardCharsets.UTF_8));
    assertEquals("\"" + HexFormat.of().formatHex(md5) + "\"", object.response().eTag());
  }

  @Test
  void getObject_missingKey_throwsNoSuchKey() {
    NoSuchKeyException e =
        assertThrows(
            NoSuchKeyException.class,
            () -> s3.getObjectAsBytes(r -> r.bucket("backups").key("nope")));
    assertEquals(404, e.statusCode());
  }

  @Test
  void getObject_missingBucket_throwsNoSuchBucket() {
    assertThrows(
        NoSuchBucketException.class, () -> s3.getObjectAsBytes(r -> r.bucket("other").key("k")));
  }

  @Test
  void createBucket_again_throwsBucketAlreadyOwnedByYou() {
    assertThrows(
        BucketAlreadyOwnedByYouException.class, () -> s3.createBucket(r -> r.bucket("backups")));
  }

  @Test
  void listObjectsV2_prefixAndMaxKeys_pagesWithContinuationToken() {
    for (String key : List.of("a/1", "a/2", "a/3", "b/1")) {
      put(key, key);
    }
    List<String> keys = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String current = token;
      ListObjectsV2Response page =
          s3.listObjectsV2(
              r -> r.bucket("backups").prefix("a/").maxKeys(2).continuationToken(current));
      page.contents().forEach(o -> keys.add(o.key()));
      token = page.nextContinuationToken();
      pages++;
    } while (token != null);
    assertEquals(List.of("a/1", "a/2", "a/3"), keys);
    assertEquals(2, pages);
  }

  @Test
  void listObjectsV2_keyWithSpaces_roundTripsThroughUrlEncoding() {
    put("dir/with space+plus.json", "x");
    var contents = s3.listObjectsV2(r -> r.bucket("backups")).contents();
    assertEquals("dir/with space+plus.json", contents.get(0).key());
    assertEquals(1L, contents.get(0).size());
  }

  @Test
  void headObject_existingKey_returnsLengthAndEtag() {
    put("k", "12345");
    var head = s3.headObject(r -> r.bucket("backups").key("k"));
    assertEquals(5L, head.contentLength());
    assertEquals(
        s3.getObjectAsBytes(r -> r.bucket("backups").key("k")).response().eTag(), head.eTag());
  }

  @Test
  void putObject_overTheObjectBound_answersEntityTooLargeAndStoresNothing() {
    try (LocalAwsServer small = LocalAwsServer.builder().maxObjectBytes(1024).build().start()) {
      S3Client client = TestClients.s3(small, "eu-west-1");
      client.createBucket(r -> r.bucket("backups"));
      client.putObject(r -> r.bucket("backups").key("fits"), RequestBody.fromBytes(new byte[1024]));

      S3Exception e =
          assertThrows(
              S3Exception.class,
              () ->
                  client.putObject(
                      r -> r.bucket("backups").key("too-big"),
                      RequestBody.fromBytes(new byte[1025])));
      S3Exception far =
          assertThrows(
              S3Exception.class,
              () ->
                  client.putObject(
                      r -> r.bucket("backups").key("far-too-big"),
                      RequestBody.fromBytes(new byte[4 * 1024 * 1024])));

      assertEquals(400, e.statusCode());
      assertEquals("EntityTooLarge", e.awsErrorDetails().errorCode());
      assertEquals("EntityTooLarge", far.awsErrorDetails().errorCode());
      assertEquals(
          List.of("fits"),
          client.listObjectsV2(r -> r.bucket("backups")).contents().stream()
              .map(o -> o.key())
              .toList());
    }
  }
}
