package dev.mrkpolicyguard.core;

import dev.mrkpolicyguard.engine.rule.KeyRole;
import java.util.Objects;

/**
 * A key as DescribeKey describes it: the parts the core decides on, and the whole metadata as KMS
 * named it, which a snapshot keeps (docs/snapshot.md).
 *
 * @param arn the key's ARN
 * @param role single-Region (also every AWS managed key), primary or replica
 * @param primaryArn the primary's ARN for a multi-Region key (its own for a primary), else {@code
 *     null}
 * @param awsManaged whether KeyManager is {@code AWS}
 * @param keyState the KMS key state, as KMS sent it
 * @param keyUsage {@code KeyUsage}, or {@code null} when KMS did not send it
 * @param keySpec {@code KeySpec}, or {@code null} when KMS did not send it
 * @param metadataJson the DescribeKey {@code KeyMetadata} as a JSON object with KMS's member names
 */
public record KeyDescription(
    String arn,
    KeyRole role,
    String primaryArn,
    boolean awsManaged,
    String keyState,
    String keyUsage,
    String keySpec,
    String metadataJson) {
  public KeyDescription {
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(keyState, "keyState");
    Objects.requireNonNull(metadataJson, "metadataJson");
    if ((role == KeyRole.SINGLE_REGION) != (primaryArn == null)) {
      throw new IllegalArgumentException(
          "a multi-Region key, and only one, names its primary: " + arn);
    }
  }
}
