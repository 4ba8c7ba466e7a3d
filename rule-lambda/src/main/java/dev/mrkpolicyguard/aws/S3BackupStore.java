package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.remediation.BackupStore;
import dev.mrkpolicyguard.remediation.PolicyBackup;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Backups in an S3 bucket, at {@code s3://BUCKET/<account>/<region>/<key-id>/<UTC timestamp>.json}.
 * Reads accept any bucket named in the URI (a restore names its backup explicitly).
 */
public final class S3BackupStore implements BackupStore {
  private static final Pattern S3_URI =
      Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(.+)");

  private final S3Client s3;
  private final String bucket;

  /** Backups saved to {@code bucket} (may be null for a store that only reads) with {@code s3}. */
  public S3BackupStore(S3Client s3, String bucket) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.bucket = bucket;
  }

  /** Whether {@code location} is an {@code s3://bucket/key} URI. */
  public static boolean isS3Uri(String location) {
    return S3_URI.matcher(location).matches();
  }

  @Override
  public String save(PolicyBackup backup) {
    if (bucket == null) {
      throw new IllegalStateException("this store has no bucket to save to");
    }
    String key = BackupStore.relativeName(backup);
    try {
      s3.putObject(
          r -> r.bucket(bucket).key(key).contentType("application/json"),
          RequestBody.fromBytes(backup.toJson()));
    } catch (SdkException e) {
      throw KmsKeyPolicies.failed(e);
    }
    return "s3://" + bucket + "/" + key;
  }

  @Override
  public Fetched load(String location) {
    Matcher m = S3_URI.matcher(location);
    if (!m.matches()) {
      return new Fetched.Unusable("'" + location + "' is not an s3://BUCKET/KEY URI");
    }
    byte[] bytes;
    try {
      bytes = s3.getObjectAsBytes(r -> r.bucket(m.group(1)).key(m.group(2))).asByteArray();
    } catch (NoSuchKeyException | NoSuchBucketException e) {
      return new Fetched.Unusable("no backup at " + location + " (" + AwsErrors.code(e) + ")");
    } catch (SdkException e) {
      throw KmsKeyPolicies.failed(e);
    }
    return PolicyBackup.fromJson(bytes)
        .<Fetched>map(Fetched.Found::new)
        .orElse(new Fetched.Unusable(location + " is not a policy backup (format 1)"));
  }
}
