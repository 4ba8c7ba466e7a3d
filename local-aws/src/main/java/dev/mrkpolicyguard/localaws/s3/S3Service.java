package dev.mrkpolicyguard.localaws.s3;

import dev.mrkpolicyguard.localaws.protocol.ApiException;
import dev.mrkpolicyguard.localaws.protocol.RawRequest;
import dev.mrkpolicyguard.localaws.protocol.Reply;
import dev.mrkpolicyguard.localaws.protocol.RequestContext;
import dev.mrkpolicyguard.localaws.protocol.RestXmlService;
import dev.mrkpolicyguard.localaws.protocol.Xml;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * S3 object calls over REST-XML with path-style addressing ({@code /bucket/key}): buckets, objects
 * and ListObjectsV2.
 */
public final class S3Service implements RestXmlService {
  private static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
  private static final Pattern BUCKET_NAME = Pattern.compile("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$");

  private final S3Store store = new S3Store();
  private final long maxObjectBytes;

  /** An S3 that stores objects of at most {@code maxObjectBytes} bytes. */
  public S3Service(long maxObjectBytes) {
    if (maxObjectBytes < 1) {
      throw new IllegalArgumentException("the object size bound must be positive");
    }
    this.maxObjectBytes = maxObjectBytes;
  }

  /** The largest object PutObject stores; a larger one is refused with EntityTooLarge. */
  public long maxObjectBytes() {
    return maxObjectBytes;
  }

  /** The error for an object (or a request body) over the bound, as S3 answers it. */
  public ApiException entityTooLarge() {
    return ApiException.client(
        "EntityTooLarge",
        "Your proposed upload exceeds the maximum allowed size (local-aws keeps objects of at most "
            + maxObjectBytes
            + " bytes)");
  }

  @Override
  public String name() {
    return "s3";
  }

  @Override
  public String operation(RawRequest request) {
    Target target = Target.of(request.path());
    String method = request.method();
    if (target.bucket().isEmpty()) {
      return method.equals("GET") ? "ListBuckets" : "Unsupported";
    }
    if (target.key().isEmpty()) {
      return switch (method) {
        case "PUT" -> "CreateBucket";
        case "HEAD" -> "HeadBucket";
        case "GET" ->
            "2".equals(request.query().get("list-type")) ? "ListObjectsV2" : "ListObjects";
        default -> "Unsupported";
      };
    }
    return switch (method) {
      case "PUT" -> request.header("x-amz-copy-source") == null ? "PutObject" : "CopyObject";
      case "GET" -> "GetObject";
      case "HEAD" -> "HeadObject";
      case "DELETE" -> "DeleteObject";
      default -> "Unsupported";
    };
  }

  @Override
  public String resource(RawRequest request) {
    Target target = Target.of(request.path());
    return target.key().isEmpty() ? target.bucket() : target.bucket() + "/" + target.key();
  }

  @Override
  public synchronized Reply handle(String operation, RawRequest request, RequestContext ctx) {
    Target target = Target.of(request.path());
    return switch (operation) {
      case "ListBuckets" -> listBuckets(ctx);
      case "CreateBucket" -> createBucket(target, ctx);
      case "HeadBucket" -> headBucket(target);
      case "ListObjectsV2" -> listObjectsV2(target, request);
      case "PutObject" -> putObject(target, request, ctx);
      case "GetObject", "HeadObject" -> getObject(target);
      case "DeleteObject" -> deleteObject(target);
      default ->
          throw new ApiException(
              "NotImplemented", 501, "local-aws does not implement S3 " + operation + ".");
    };
  }

  @Override
  public Reply error(ApiException error, RawRequest request, String requestId) {
    Xml xml =
        new Xml().start("Error").leaf("Code", error.code()).leaf("Message", error.getMessage());
    if (error.code().equals("NoSuchKey")) {
      xml.leaf("Key", Target.of(request.path()).key());
    }
    if (error.code().equals("NoSuchBucket")) {
      xml.leaf("BucketName", Target.of(request.path()).bucket());
    }
    if (error.code().equals("EntityTooLarge")) {
      xml.leaf("MaxSizeAllowed", maxObjectBytes);
    }
    String body = xml.leaf("RequestId", requestId).end().toString();
    return Reply.of(error.status(), "application/xml", body)
        .withHeader("x-amz-request-id", requestId);
  }

  public synchronized void reset() {
    store.clear();
  }

  private Reply listBuckets(RequestContext ctx) {
    Xml xml = new Xml().start("ListAllMyBucketsResult", NAMESPACE);
    xml.start("Owner").leaf("ID", ctx.account()).end().start("Buckets");
    store.all().values().stream()
        .filter(b -> b.owner().equals(ctx.account()))
        .forEach(
            b ->
                xml.start("Bucket")
                    .leaf("Name", b.name())
                    .leaf("CreationDate", iso(b.created()))
                    .end());
    return xmlReply(xml.end().end());
  }

  private Reply createBucket(Target target, RequestContext ctx) {
    if (!BUCKET_NAME.matcher(target.bucket()).matches()) {
      throw ApiException.client("InvalidBucketName", "The specified bucket is not valid.");
    }
    store
        .bucket(target.bucket())
        .ifPresent(
            existing -> {
              throw existing.owner().equals(ctx.account())
                  ? new ApiException(
                      "BucketAlreadyOwnedByYou",
                      409,
                      "Your previous request to create the named bucket succeeded and you already own it.")
                  : new ApiException(
                      "BucketAlreadyExists",
                      409,
                      "The requested bucket name is not available. Please select a different name.");
            });
    store.add(new S3Store.Bucket(target.bucket(), ctx.account(), ctx.region(), ctx.now()));
    return new Reply(200, Map.of("Location", "/" + target.bucket()), new byte[0]);
  }

  private Reply headBucket(Target target) {
    S3Store.Bucket bucket = bucket(target);
    return new Reply(200, Map.of("x-amz-bucket-region", bucket.region()), new byte[0]);
  }

  private Reply putObject(Target target, RawRequest request, RequestContext ctx) {
    S3Store.Bucket bucket = bucket(target);
    byte[] content = isChunked(request) ? AwsChunked.decode(request.body()) : request.body();
    if (request.bodyTooLarge() || content.length > maxObjectBytes) {
      throw entityTooLarge();
    }
    String etag = "\"" + HexFormat.of().formatHex(md5(content)) + "\"";
    String type = request.header("content-type");
    bucket
        .objects()
        .put(
            target.key(),
            new S3Store.StoredObject(
                content,
                etag,
                type == null ? "binary/octet-stream" : type,
                ctx.now().truncatedTo(ChronoUnit.SECONDS)));
    return new Reply(200, Map.of("ETag", etag), new byte[0]);
  }

  private Reply getObject(Target target) {
    S3Store.StoredObject object = bucket(target).objects().get(target.key());
    if (object == null) {
      throw new ApiException("NoSuchKey", 404, "The specified key does not exist.");
    }
    return new Reply(
        200,
        Map.of(
            "Content-Type", object.contentType(),
            "ETag", object.etag(),
            "Last-Modified",
                DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    object.lastModified().atOffset(ZoneOffset.UTC)),
            "Accept-Ranges", "bytes"),
        object.content());
  }

  private Reply deleteObject(Target target) {
    bucket(target).objects().remove(target.key());
    return new Reply(204, Map.of(), new byte[0]);
  }

  private Reply listObjectsV2(Target target, RawRequest request) {
    S3Store.Bucket bucket = bucket(target);
    Map<String, String> query = request.query();
    if (query.containsKey("delimiter")) {
      throw new ApiException(
          "NotImplemented", 501, "local-aws does not implement delimiter listings.");
    }
    String prefix = query.getOrDefault("prefix", "");
    int maxKeys = maxKeys(query.get("max-keys"));
    String token = query.get("continuation-token");
    String startAfter = token != null ? decodeToken(token) : query.get("start-after");
    List<String> keys = new ArrayList<>();
    for (String key : bucket.objects().keySet()) {
      if (key.startsWith(prefix) && (startAfter == null || key.compareTo(startAfter) > 0)) {
        keys.add(key);
      }
    }
    List<String> page = keys.subList(0, Math.min(maxKeys, keys.size()));
    boolean truncated = page.size() < keys.size();
    boolean url = "url".equals(query.get("encoding-type"));
    Xml xml = new Xml().start("ListBucketResult", NAMESPACE);
    xml.leaf("Name", bucket.name()).leaf("Prefix", encode(prefix, url));
    xml.leaf("KeyCount", page.size()).leaf("MaxKeys", maxKeys);
    xml.leaf("EncodingType", url ? "url" : null);
    xml.leaf("IsTruncated", truncated).leaf("ContinuationToken", token);
    xml.leaf("NextContinuationToken", truncated ? encodeToken(page.get(page.size() - 1)) : null);
    xml.leaf("StartAfter", token == null ? encode(query.get("start-after"), url) : null);
    for (String key : page) {
      S3Store.StoredObject object = bucket.objects().get(key);
      xml.start("Contents")
          .leaf("Key", encode(key, url))
          .leaf("LastModified", iso(object.lastModified()))
          .leaf("ETag", object.etag())
          .leaf("Size", object.content().length)
          .leaf("StorageClass", "STANDARD")
          .end();
    }
    return xmlReply(xml.end());
  }

  private S3Store.Bucket bucket(Target target) {
    return store
        .bucket(target.bucket())
        .orElseThrow(
            () -> new ApiException("NoSuchBucket", 404, "The specified bucket does not exist"));
  }

  private static int maxKeys(String value) {
    if (value == null) {
      return 1000;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < 0) {
        throw new NumberFormatException("negative");
      }
      return Math.min(parsed, 1000);
    } catch (NumberFormatException e) {
      throw ApiException.client(
          "InvalidArgument", "Provided max-keys not an integer or within integer range");
    }
  }

  private static boolean isChunked(RawRequest request) {
    String sha = request.header("x-amz-content-sha256");
    String encoding = request.header("content-encoding");
    return (sha != null && sha.startsWith("STREAMING-"))
        || (encoding != null && encoding.contains("aws-chunked"));
  }

  private static String encodeToken(String key) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.client("InvalidArgument", "The continuation token provided is incorrect");
    }
  }

  private static String encode(String value, boolean url) {
    if (value == null || !url) {
      return value;
    }
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String iso(java.time.Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  private static byte[] md5(byte[] content) {
    try {
      return MessageDigest.getInstance("MD5").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JDK", e);
    }
  }

  private static Reply xmlReply(Xml xml) {
    return Reply.of(200, "application/xml", xml.toString());
  }

  /** The bucket and key a path-style request addresses (key still to be percent-decoded). */
  private record Target(String bucket, String key) {
    static Target of(String rawPath) {
      String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
      int slash = path.indexOf('/');
      if (slash < 0) {
        return new Target(RawRequest.decodePath(path), "");
      }
      return new Target(
          RawRequest.decodePath(path.substring(0, slash)),
          RawRequest.decodePath(path.substring(slash + 1)));
    }
  }
}
