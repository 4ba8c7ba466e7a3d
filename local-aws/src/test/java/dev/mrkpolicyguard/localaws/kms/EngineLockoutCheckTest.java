package dev.mrkpolicyguard.localaws.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EngineLockoutCheckTest {
  private static final String KEY =
      "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";

  private static String policy(String principal, String action) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
        + principal
        + "\"},\"Action\":\""
        + action
        + "\",\"Resource\":\"*\"}]}";
  }

  @ParameterizedTest
  @CsvSource({
    "arn:aws:iam::111122223333:root, kms:*, arn:aws:iam::111122223333:root, true",
    "arn:aws:iam::111122223333:root, kms:*, arn:aws:sts::111122223333:assumed-role/Admin/s, true",
    "arn:aws:iam::111122223333:role/Admin, kms:PutKeyPolicy, arn:aws:sts::111122223333:assumed-role/Admin/s, true",
    "arn:aws:iam::111122223333:role/Admin, kms:Decrypt, arn:aws:sts::111122223333:assumed-role/Admin/s, false",
    "arn:aws:iam::111122223333:role/Other, kms:*, arn:aws:sts::111122223333:assumed-role/Admin/s, false"
  })
  void allowsPutKeyPolicy_judgesTheCallerWithTheEngine(
      String principal, String action, String caller, boolean expected) {
    assertEquals(
        expected,
        new EngineLockoutCheck().allowsPutKeyPolicy(policy(principal, action), caller, KEY));
  }
}
