package dev.mrkpolicyguard.iac;

import java.util.Objects;

/**
 * One multi-Region key resource of a template or plan, as it will be deployed.
 *
 * @param id unique among the inputs: {@code FILE#LogicalId} or {@code FILE#address}
 * @param name the logical ID (CloudFormation) or address (Terraform), as written
 * @param type the resource type, e.g. {@code AWS::KMS::ReplicaKey} or {@code aws_kms_key}
 * @param replica whether it is a replica (otherwise a multi-Region primary)
 * @param location where it is written
 * @param region the Region it will be created in, or {@code null} when unknown
 * @param accountId the account it will be created in, or {@code null} when the input does not say
 * @param policy its planned key policy
 * @param primary for a replica, how it names its primary; {@code null} for a primary
 * @param keyUsage the key usage of a primary where given (replicas share their primary's)
 * @param keySpec the key spec of a primary where given
 */
public record IacResource(
    String id,
    String name,
    String type,
    boolean replica,
    SourceLocation location,
    String region,
    String accountId,
    PlannedPolicy policy,
    PrimaryLink primary,
    String keyUsage,
    String keySpec) {
  public IacResource {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(policy, "policy");
    if (replica != (primary != null)) {
      throw new IllegalArgumentException("a replica, and only a replica, names a primary: " + id);
    }
  }
}
