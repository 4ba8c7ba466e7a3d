package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.core.ReadFailure;
import dev.mrkpolicyguard.trigger.KeyCopies;
import dev.mrkpolicyguard.trigger.KeyCopiesReader;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.MultiRegionConfiguration;
import software.amazon.awssdk.services.kms.model.MultiRegionKey;
import software.amazon.awssdk.services.kms.model.MultiRegionKeyType;

/**
 * The trigger's key-copies port over KMS: DescribeKey in the key's own Region, its {@code
 * MultiRegionConfiguration} as {@link KeyCopies}. Failures are split as the rule's reads are
 * ({@link ReadFailure}): AccessDenied and NotFound stand, anything else may pass.
 */
public final class KmsKeyCopiesReader implements KeyCopiesReader {
  private final Function<String, KmsClient> kmsForRegion;

  public KmsKeyCopiesReader(Function<String, KmsClient> kmsForRegion) {
    this.kmsForRegion = Objects.requireNonNull(kmsForRegion, "kmsForRegion");
  }

  @Override
  public Read read(String keyArn) {
    KeyMetadata metadata;
    try {
      metadata =
          kmsForRegion
              .apply(KeyCopies.regionOf(keyArn))
              .describeKey(r -> r.keyId(keyArn))
              .keyMetadata();
    } catch (SdkException e) {
      ReadFailure failure = AwsErrors.readFailure("DescribeKey", e);
      return new Read.Failed(failure.code(), failure.message(), failure.unreadable());
    }
    MultiRegionConfiguration copies = metadata.multiRegionConfiguration();
    if (!Boolean.TRUE.equals(metadata.multiRegion()) || copies == null) {
      return new Read.Found(
          new KeyCopies(
              metadata.arn(),
              KeyCopies.Role.SINGLE_REGION,
              metadata.keyStateAsString(),
              null,
              List.of()));
    }
    KeyCopies.Role role =
        copies.multiRegionKeyType() == MultiRegionKeyType.PRIMARY
            ? KeyCopies.Role.PRIMARY
            : KeyCopies.Role.REPLICA;
    return new Read.Found(
        new KeyCopies(
            metadata.arn(),
            role,
            metadata.keyStateAsString(),
            copies.primaryKey() == null ? null : copies.primaryKey().arn(),
            copies.replicaKeys().stream().map(MultiRegionKey::arn).toList()));
  }
}
