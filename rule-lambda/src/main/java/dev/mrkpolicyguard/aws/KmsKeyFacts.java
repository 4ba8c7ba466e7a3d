package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.engine.eval.KeyContext;
import dev.mrkpolicyguard.explain.KeyFactsSource;
import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Key facts for {@code explain} read live from KMS by {@link KeyFactsReader} (DescribeKey,
 * GetKeyPolicy of the key and of its primary; read only), with the errors that stop a read turned
 * into answers that say what to do.
 */
public final class KmsKeyFacts implements KeyFactsSource {
  private final KeyFactsReader reader;

  public KmsKeyFacts(KeyFactsReader reader) {
    this.reader = Objects.requireNonNull(reader, "reader");
  }

  @Override
  public Lookup lookup(String keyArn) {
    String region = new KeyContext(keyArn).region();
    try {
      return new Lookup.Found(reader.read(keyArn));
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
      if ("NotFoundException".equals(code)) {
        return new Lookup.NotFound(
            "KMS in "
                + region
                + " has no such key for these credentials (NotFoundException); run explain with"
                + " credentials of the key's account");
      }
      if ("AccessDeniedException".equals(code)) {
        return new Lookup.Failed(
            "kms:DescribeKey was denied (AccessDeniedException); allow kms:DescribeKey and"
                + " kms:GetKeyPolicy on the key and its primary (docs/explain.md)");
      }
      return new Lookup.Failed(
          "DescribeKey in " + region + " failed: " + code + ": " + e.getMessage());
    } catch (SdkException e) {
      return new Lookup.Failed("DescribeKey in " + region + " failed: " + e.getMessage());
    }
  }
}
