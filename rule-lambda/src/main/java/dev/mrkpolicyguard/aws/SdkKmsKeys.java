package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.core.KeyArn;
import dev.mrkpolicyguard.core.KeyDescription;
import dev.mrkpolicyguard.core.KmsKeys;
import dev.mrkpolicyguard.core.KmsRead;
import dev.mrkpolicyguard.core.ListedKey;
import dev.mrkpolicyguard.engine.rule.KeyRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.MultiRegionConfiguration;
import software.amazon.awssdk.services.kms.model.MultiRegionKeyType;

/**
 * {@link KmsKeys} over the SDK: the one place that reads KMS keys, for the rule, {@code explain},
 * {@code audit --regions} and {@code export}. Each call runs in the key's (or the given) Region
 * with the SDK's retries; what still fails comes back as a {@link KmsRead.Failed}, made by {@link
 * AwsErrors#readFailure}.
 */
public final class SdkKmsKeys implements KmsKeys {
  private static final String POLICY_NAME = "default";

  private final Function<String, KmsClient> kmsInRegion;

  /** Reads with the KMS client of each Region that {@code kmsInRegion} gives. */
  public SdkKmsKeys(Function<String, KmsClient> kmsInRegion) {
    this.kmsInRegion = Objects.requireNonNull(kmsInRegion, "kmsInRegion");
  }

  /** Reads with {@code clients}' own credentials. */
  public static SdkKmsKeys own(SdkClientFactory clients) {
    return new SdkKmsKeys(region -> clients.kms(region, clients.ownCredentials()));
  }

  @Override
  public KmsRead<List<ListedKey>> listKeys(String region) {
    return call(
        "ListKeys",
        () -> {
          List<ListedKey> keys = new ArrayList<>();
          kmsInRegion
              .apply(region)
              .listKeysPaginator(r -> r.limit(1000))
              .keys()
              .forEach(k -> keys.add(new ListedKey(k.keyId(), k.keyArn())));
          return keys;
        });
  }

  @Override
  public KmsRead<Map<String, List<String>>> aliases(String region) {
    return call(
        "ListAliases",
        () -> {
          Map<String, List<String>> aliases = new TreeMap<>();
          for (AliasListEntry alias :
              kmsInRegion.apply(region).listAliasesPaginator(r -> r.limit(100)).aliases()) {
            if (alias.targetKeyId() != null) {
              aliases
                  .computeIfAbsent(alias.targetKeyId(), k -> new ArrayList<>())
                  .add(alias.aliasName());
            }
          }
          return aliases;
        });
  }

  @Override
  public KmsRead<KeyDescription> describe(String keyArn) {
    return call(
        "DescribeKey",
        () -> description(keyArn, kms(keyArn).describeKey(r -> r.keyId(keyArn)).keyMetadata()));
  }

  @Override
  public KmsRead<String> policy(String keyArn) {
    return call(
        "GetKeyPolicy",
        () -> kms(keyArn).getKeyPolicy(r -> r.keyId(keyArn).policyName(POLICY_NAME)).policy());
  }

  private KmsClient kms(String keyArn) {
    return kmsInRegion.apply(KeyArn.of(keyArn).region());
  }

  private static KeyDescription description(String keyArn, KeyMetadata key) {
    String arn = key.arn() == null ? keyArn : key.arn();
    boolean awsManaged = key.keyManager() == KeyManagerType.AWS;
    MultiRegionConfiguration multiRegion = key.multiRegionConfiguration();
    KeyRole role;
    String primaryArn;
    if (awsManaged || !Boolean.TRUE.equals(key.multiRegion()) || multiRegion == null) {
      role = KeyRole.SINGLE_REGION;
      primaryArn = null;
    } else if (multiRegion.multiRegionKeyType() == MultiRegionKeyType.PRIMARY) {
      role = KeyRole.PRIMARY;
      primaryArn = arn;
    } else {
      role = KeyRole.REPLICA;
      primaryArn = multiRegion.primaryKey().arn();
    }
    return new KeyDescription(
        arn,
        role,
        primaryArn,
        awsManaged,
        key.keyStateAsString(),
        key.keyUsageAsString(),
        key.keySpecAsString(),
        SdkJson.object(key).toString());
  }

  private static <T> KmsRead<T> call(String operation, Supplier<T> read) {
    try {
      return new KmsRead.Answered<>(read.get());
    } catch (SdkException e) {
      return new KmsRead.Failed<>(AwsErrors.readFailure(operation, e), e);
    }
  }
}
