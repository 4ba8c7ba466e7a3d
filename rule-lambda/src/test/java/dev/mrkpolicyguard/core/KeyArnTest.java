package dev.mrkpolicyguard.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyArnTest {
  private static final String REPLICA =
      "arn:aws-cn:kms:cn-north-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";

  @Test
  void parse_keyArn_givesEveryPartOnce() {
    KeyArn arn = KeyArn.of(REPLICA);

    assertEquals("aws-cn", arn.partition());
    assertEquals("cn-north-1", arn.region());
    assertEquals("111122223333", arn.accountId());
    assertEquals("mrk-1234abcd12ab34cd56ef1234567890ab", arn.keyId());
    assertEquals(REPLICA, arn.toString());
  }

  @Test
  void multiRegion_byKeyId_mrkPrefixOnly() {
    assertTrue(KeyArn.of(REPLICA).multiRegion());
    assertFalse(
        KeyArn.of("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
            .multiRegion());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "garbage",
        "arn:aws:kms:eu-west-1:111122223333:alias/orders",
        "arn:aws:iam::111122223333:role/ExampleRole",
        "arn:aws:kms:eu-west-1:1111:key/mrk-1"
      })
  void parse_notAKeyArn_emptyAndOfSaysWhatIsExpected(String text) {
    assertEquals(Optional.empty(), KeyArn.parse(text));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KeyArn.of(text));
    assertTrue(e.getMessage().contains("arn:aws:kms:REGION:ACCOUNT:key/KEY-ID"), e.getMessage());
  }

  @Test
  void constructor_partsThatMakeNoKeyArn_refused() {
    assertThrows(
        IllegalArgumentException.class, () -> new KeyArn("aws", "eu-west-1", "me", "mrk-1"));
  }
}
