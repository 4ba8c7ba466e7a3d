package dev.mrkpolicyguard.localaws.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SigV4ScopeTest {

  @Test
  void parse_sdkAuthorizationHeader_readsKeyRegionAndService() {
    String header =
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/eu-west-1/kms/aws4_request,"
            + " SignedHeaders=host;x-amz-date, Signature=abc";
    assertEquals(
        new SigV4Scope("AKIDEXAMPLE", "eu-west-1", "kms"), SigV4Scope.parse(header).orElseThrow());
  }

  @Test
  void parse_missingHeader_isEmpty() {
    assertTrue(SigV4Scope.parse(null).isEmpty());
  }

  @Test
  void parse_otherScheme_isEmpty() {
    assertTrue(SigV4Scope.parse("Bearer token").isEmpty());
  }
}
