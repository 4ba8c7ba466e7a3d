package dev.mrkpolicyguard.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DenialMessageTest {
  private static final String USER = "arn:aws:sts::111122223333:assumed-role/AppRole/s1";
  private static final String PREFIX =
      "User: "
          + USER
          + " is not authorized to perform: kms:Decrypt on resource: "
          + "arn:aws:kms:eu-west-1:111122223333:key/mrk-1 ";

  @Test
  void parse_noIdentityPolicy_isAnImplicitIdentityDenialNamingTheCaller() {
    assertEquals(
        Optional.of(new DenialMessage(PolicyKind.IDENTITY_POLICY, false, null, USER)),
        DenialMessage.parse(
            PREFIX + "because no identity-based policy allows the kms:Decrypt action"));
  }

  @Test
  void parse_noResourcePolicy_isAnImplicitKeyPolicyDenial() {
    assertEquals(
        PolicyKind.RESOURCE_POLICY,
        DenialMessage.parse(
                PREFIX + "because no resource-based policy allows the kms:Decrypt action")
            .orElseThrow()
            .kind());
  }

  @Test
  void parse_explicitDenyInScpWithArn_keepsThePolicyArn() {
    String arn = "arn:aws:organizations::999988887777:policy/o-1/service_control_policy/p-1";

    assertEquals(
        Optional.of(new DenialMessage(PolicyKind.SERVICE_CONTROL_POLICY, true, arn, USER)),
        DenialMessage.parse(PREFIX + "with an explicit deny in a service control policy: " + arn));
  }

  @Test
  void parse_explicitDenyInPermissionsBoundary_isThatKind() {
    assertEquals(
        PolicyKind.PERMISSIONS_BOUNDARY,
        DenialMessage.parse(PREFIX + "with an explicit deny in a permissions boundary")
            .orElseThrow()
            .kind());
  }

  @Test
  void parse_explicitDenyInVpcEndpointPolicy_isThatKind() {
    assertEquals(
        PolicyKind.VPC_ENDPOINT_POLICY,
        DenialMessage.parse(PREFIX + "with an explicit deny in a VPC endpoint policy")
            .orElseThrow()
            .kind());
  }

  @Test
  void parse_opaqueDecryptMessage_isEmpty() {
    assertEquals(
        Optional.empty(),
        DenialMessage.parse(
            "The ciphertext refers to a customer master key that does not exist, does not exist"
                + " in this region, or you are not allowed to access."));
  }

  @Test
  void describe_explicit_namesTheKind() {
    assertEquals(
        "an explicit deny in a resource control policy (RCP)",
        new DenialMessage(PolicyKind.RESOURCE_CONTROL_POLICY, true, null, null).describe());
  }
}
