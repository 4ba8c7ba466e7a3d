package dev.mrkpolicyguard.localaws.kms;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The mutable state of one KMS key in one Region; guarded by the {@link KmsStore} lock.
 *
 * <p>Related multi-Region keys are separate instances sharing account and key ID, because KMS keeps
 * every independent property (policy, state, tags, description) per Region.
 */
final class KmsKey {
  final String account;
  final String region;
  final String keyId;
  final Instant creationDate;
  final String keyUsage;
  final String keySpec;
  final String origin;
  final boolean awsManaged;
  final boolean multiRegion;
  boolean primary;
  String description;
  KeyState state;
  Instant deletionDate;
  Integer pendingWindowDays;
  String policy;
  final Map<String, String> tags = new LinkedHashMap<>();
  Instant lastChanged;

  KmsKey(KeyIdentity identity, KeyShape shape, Instant creationDate, String policy) {
    this.account = identity.account();
    this.region = identity.region();
    this.keyId = identity.keyId();
    this.keyUsage = shape.keyUsage();
    this.keySpec = shape.keySpec();
    this.origin = shape.origin();
    this.awsManaged = shape.awsManaged();
    this.multiRegion = shape.multiRegion();
    this.creationDate = creationDate;
    this.lastChanged = creationDate;
    this.policy = policy;
    this.description = "";
    this.state = shape.origin().equals("EXTERNAL") ? KeyState.PENDING_IMPORT : KeyState.ENABLED;
  }

  String arn() {
    return "arn:aws:kms:" + region + ":" + account + ":key/" + keyId;
  }

  void touch(Instant now) {
    lastChanged = now;
  }

  /** Where a key lives and what it is called. */
  record KeyIdentity(String account, String region, String keyId) {}

  /** The properties shared by all related multi-Region keys, fixed at creation. */
  record KeyShape(
      String keyUsage, String keySpec, String origin, boolean awsManaged, boolean multiRegion) {}
}
