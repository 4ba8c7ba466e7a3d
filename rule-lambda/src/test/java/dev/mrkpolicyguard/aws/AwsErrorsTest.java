package dev.mrkpolicyguard.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mrkpolicyguard.core.ReadFailure;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kms.model.KmsException;

class AwsErrorsTest {
  private static final String REPLICA =
      "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
  private static final String DENIAL =
      "User: arn:aws:sts::111122223333:assumed-role/mrk-policy-guard-rule/mrk-policy-guard is not"
          + " authorized to perform: kms:DescribeKey on resource: "
          + REPLICA
          + " with an explicit deny in a service control policy";

  @Test
  void readFailure_serviceError_takesAwsCodeAndMessage() {
    KmsException e =
        (KmsException)
            KmsException.builder()
                .awsErrorDetails(
                    AwsErrorDetails.builder()
                        .errorCode("AccessDeniedException")
                        .errorMessage(DENIAL)
                        .build())
                .statusCode(400)
                .build();

    assertEquals(
        new ReadFailure("DescribeKey", "AccessDeniedException", DENIAL),
        AwsErrors.readFailure("DescribeKey", e));
  }

  @Test
  void readFailure_noAnswer_takesTheExceptionsName() {
    ReadFailure failure =
        AwsErrors.readFailure("GetKeyPolicy", SdkClientException.create("Connection refused"));

    assertEquals("SdkClientException", failure.code());
    assertEquals("Connection refused", failure.message());
  }
}
