package dev.mrkpolicyguard.localaws.s3;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/** S3 buckets (one global namespace, as in AWS) and their objects. */
final class S3Store {
  private final Map<String, Bucket> buckets = new LinkedHashMap<>();

  Optional<Bucket> bucket(String name) {
    return Optional.ofNullable(buckets.get(name));
  }

  void add(Bucket bucket) {
    buckets.put(bucket.name(), bucket);
  }

  Map<String, Bucket> all() {
    return buckets;
  }

  void clear() {
    buckets.clear();
  }

  /** A bucket: owner account, home Region and objects by key in lexicographic order. */
  record Bucket(
      String name,
      String owner,
      String region,
      Instant created,
      NavigableMap<String, StoredObject> objects) {
    Bucket(String name, String owner, String region, Instant created) {
      this(name, owner, region, created, new TreeMap<>());
    }
  }

  /** One stored object version: content, ETag (quoted MD5), content type and time. */
  record StoredObject(byte[] content, String etag, String contentType, Instant lastModified) {
    StoredObject {
      content = content.clone();
    }

    @Override
    public byte[] content() {
      return content.clone();
    }
  }
}
