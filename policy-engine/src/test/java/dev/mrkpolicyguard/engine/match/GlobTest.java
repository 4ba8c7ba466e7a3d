package dev.mrkpolicyguard.engine.match;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

  @ParameterizedTest
  @CsvSource({
    "kms:*, kms:Decrypt, true",
    "kms:Re*, kms:ReEncryptFrom, true",
    "kms:ReEncrypt*, kms:Decrypt, false",
    "kms:?ncrypt, kms:Encrypt, true",
    "kms:?ncrypt, kms:ncrypt, false",
    "*, anything, true",
    "'', '', true",
    "a*b*c, abbbc, true",
    "a*b*c, acb, false"
  })
  void like_truthTable(String pattern, String text, boolean expected) {
    assertEquals(expected, Glob.like(pattern, false).matches(text));
  }

  @ParameterizedTest
  @CsvSource({"KMS:decrypt, kms:Decrypt, true", "kms:DECRYPT*, kms:decryptx, true"})
  void like_ignoringCase_matchesAnyCase(String pattern, String text, boolean expected) {
    assertEquals(expected, Glob.like(pattern, true).matches(text));
  }

  @ParameterizedTest
  @CsvSource({
    "arn:aws:iam::*:role/App*, arn:aws:iam::111122223333:role/AppRole, true",
    "arn:aws:iam::*:role/App*, arn:aws:iam::1111:2222:role/AppRole, false",
    "arn:aws:logs:*:111122223333:*, arn:aws:logs:eu-west-1:111122223333:log-group:x:*, true",
    "arn:*:logs:us-east-1:*:*, arn:aws:logs:us-east-1:1:a:b:c, true",
    "arn:*:logs:us-east-1:*, arn:aws:logs:us-east-1:1:a:b:c, false"
  })
  void arnLike_wildcardsStayInsideTheirComponent(String pattern, String text, boolean expected) {
    assertEquals(expected, Glob.arnLike(pattern).matches(text));
  }

  @ParameterizedTest
  @CsvSource({"StringEquals*, StringEquals*, true", "a*, abc, false"})
  void literal_treatsWildcardsAsCharacters(String pattern, String text, boolean expected) {
    assertEquals(expected, Glob.literal(pattern, false).matches(text));
  }

  @ParameterizedTest
  @CsvSource({
    "s3.eu-west-1.amazonaws.com, true",
    "secretsmanager.eu-west-1.amazonaws.com, true",
    "s3-fips.eu-west-1.amazonaws.com, true",
    "S3.eu-west-1.amazonaws.com, false",
    "s3/x.eu-west-1.amazonaws.com, false",
    ".eu-west-1.amazonaws.com, false"
  })
  void shape_endpointClasses_acceptOnlyLowerCaseEndpointNames(String text, boolean expected) {
    assertEquals(expected, Glob.shape("\\h\\H.eu-west-1.amazonaws.com").matches(text));
  }
}
