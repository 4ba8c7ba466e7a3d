package dev.mrkpolicyguard.localaws.kms;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mrkpolicyguard.localaws.protocol.Json;
import java.util.List;

/** Renders a key as the KMS {@code KeyMetadata} structure. */
final class KeyMetadataView {
  private KeyMetadataView() {}

  static ObjectNode render(KmsKey key, List<KmsKey> related) {
    ObjectNode node = Json.object();
    node.put("AWSAccountId", key.account).put("KeyId", key.keyId).put("Arn", key.arn());
    node.put("CreationDate", Json.epochSeconds(key.creationDate));
    node.put("Enabled", key.state == KeyState.ENABLED);
    node.put("Description", key.description);
    node.put("KeyUsage", key.keyUsage).put("KeyState", key.state.wire());
    if (key.state == KeyState.PENDING_DELETION) {
      node.put("DeletionDate", Json.epochSeconds(key.deletionDate));
    }
    node.put("Origin", key.origin).put("KeyManager", key.awsManaged ? "AWS" : "CUSTOMER");
    node.put("CustomerMasterKeySpec", key.keySpec).put("KeySpec", key.keySpec);
    algorithms(node, key);
    node.put("MultiRegion", key.multiRegion);
    if (key.multiRegion) {
      node.set("MultiRegionConfiguration", multiRegionConfiguration(key, related));
    }
    if (key.state == KeyState.PENDING_REPLICA_DELETION) {
      node.put("PendingDeletionWindowInDays", key.pendingWindowDays);
    }
    return node;
  }

  private static ObjectNode multiRegionConfiguration(KmsKey key, List<KmsKey> related) {
    ObjectNode config = Json.object();
    config.put("MultiRegionKeyType", key.primary ? "PRIMARY" : "REPLICA");
    ArrayNode replicas = Json.MAPPER.createArrayNode();
    for (KmsKey member : related) {
      ObjectNode ref = Json.object().put("Arn", member.arn()).put("Region", member.region);
      if (member.primary) {
        config.set("PrimaryKey", ref);
      } else {
        replicas.add(ref);
      }
    }
    config.set("ReplicaKeys", replicas);
    return config;
  }

  /** The algorithm lists KMS reports for each key spec and usage (KMS key spec reference). */
  private static void algorithms(ObjectNode node, KmsKey key) {
    switch (key.keyUsage) {
      case "ENCRYPT_DECRYPT" -> {
        ArrayNode list = node.putArray("EncryptionAlgorithms");
        if (key.keySpec.equals("SYMMETRIC_DEFAULT")) {
          list.add("SYMMETRIC_DEFAULT");
        } else if (key.keySpec.startsWith("RSA_")) {
          list.add("RSAES_OAEP_SHA_1").add("RSAES_OAEP_SHA_256");
        } else {
          list.add("SM2PKE");
        }
      }
      case "GENERATE_VERIFY_MAC" ->
          node.putArray("MacAlgorithms").add("HMAC_SHA_" + key.keySpec.substring("HMAC_".length()));
      case "SIGN_VERIFY" -> node.putArray("SigningAlgorithms").add(signingAlgorithm(key.keySpec));
      case "KEY_AGREEMENT" -> node.putArray("KeyAgreementAlgorithms").add("ECDH");
      default -> throw new IllegalStateException("unknown key usage " + key.keyUsage);
    }
  }

  private static String signingAlgorithm(String keySpec) {
    if (keySpec.startsWith("RSA_")) {
      return "RSASSA_PKCS1_V1_5_SHA_256";
    }
    if (keySpec.startsWith("ML_DSA")) {
      return "ML_DSA_SHAKE_256";
    }
    if (keySpec.equals("ECC_NIST_EDWARDS25519")) {
      return "ED25519_SHA_512";
    }
    return keySpec.equals("SM2") ? "SM2DSA" : "ECDSA_SHA_256";
  }
}
