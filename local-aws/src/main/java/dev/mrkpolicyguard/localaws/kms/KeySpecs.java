package dev.mrkpolicyguard.localaws.kms;

import java.util.Set;

/** Which key usages each key spec supports (KMS developer guide, key spec reference). */
final class KeySpecs {
  private KeySpecs() {}

  static boolean supports(String keySpec, String keyUsage) {
    return usages(keySpec).contains(keyUsage);
  }

  private static Set<String> usages(String keySpec) {
    if (keySpec.equals("SYMMETRIC_DEFAULT")) {
      return Set.of("ENCRYPT_DECRYPT");
    }
    if (keySpec.startsWith("HMAC_")) {
      return Set.of("GENERATE_VERIFY_MAC");
    }
    if (keySpec.startsWith("RSA_")) {
      return Set.of("ENCRYPT_DECRYPT", "SIGN_VERIFY");
    }
    if (keySpec.equals("SM2")) {
      return Set.of("ENCRYPT_DECRYPT", "SIGN_VERIFY", "KEY_AGREEMENT");
    }
    if (keySpec.startsWith("ECC_NIST_P")) {
      return Set.of("SIGN_VERIFY", "KEY_AGREEMENT");
    }
    return Set.of("SIGN_VERIFY");
  }
}
