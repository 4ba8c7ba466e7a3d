package dev.mrkpolicyguard.localaws.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimpleLockoutCheckTest {
  private static final String CALLER = "arn:aws:iam::111122223333:root";
  private static final String KEY = "arn:aws:kms:us-east-1:111122223333:key/mrk-1";

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "'\"arn:aws:iam::111122223333:root\"' | '\"kms:*\"'             | true",
        "'\"111122223333\"'                   | '[\"kms:PutKeyPolicy\"]' | true",
        "'\"arn:aws:iam::444455556666:root\"' | '\"kms:*\"'             | false",
        "'\"arn:aws:iam::111122223333:root\"' | '\"kms:Decrypt\"'       | false",
      })
  void allowsPutKeyPolicy_principalAndAction_decidesAsTable(
      String principal, String action, boolean expected) {
    String policy =
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
            + principal
            + "},\"Action\":"
            + action
            + ",\"Resource\":\"*\"}]}";
    assertEquals(expected, new SimpleLockoutCheck().allowsPutKeyPolicy(policy, CALLER, KEY));
  }
}
