package dev.mrkpolicyguard.localaws.kms;

import java.time.Instant;
import java.util.Map;

/** An immutable copy of one key's state in one Region. */
public record KeySnapshot(
    String account,
    String region,
    String keyId,
    String arn,
    Instant creationDate,
    String description,
    String keyUsage,
    String keySpec,
    String origin,
    String keyManager,
    boolean multiRegion,
    KeyState state,
    String policy,
    Map<String, String> tags,
    Instant lastChanged) {

  public KeySnapshot {
    tags = Map.copyOf(tags);
  }

  static KeySnapshot of(KmsKey key) {
    return new KeySnapshot(
        key.account,
        key.region,
        key.keyId,
        key.arn(),
        key.creationDate,
        key.description,
        key.keyUsage,
        key.keySpec,
        key.origin,
        key.awsManaged ? "AWS" : "CUSTOMER",
        key.multiRegion,
        key.state,
        key.policy,
        key.tags,
        key.lastChanged);
  }
}
