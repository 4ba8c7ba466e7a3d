package dev.mrkpolicyguard.aws;

import dev.mrkpolicyguard.core.ReadFailure;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns what the SDK throws into the core's terms: the AWS error code and message. */
public final class AwsErrors {
  private AwsErrors() {}

  /** The failure of {@code operation} that {@code e} reports. */
  public static ReadFailure readFailure(String operation, SdkException e) {
    return new ReadFailure(operation, code(e), message(e));
  }

  /** Whether {@code e} is a failed AWS call (the SDK's exception), not a bug of ours. */
  public static boolean isAwsFailure(RuntimeException e) {
    return e instanceof SdkException;
  }

  /**
   * The AWS error code; the HTTP status when AWS answered without one; the SDK exception's name
   * when AWS did not answer. The one place an SDK exception becomes a code.
   */
  public static String code(SdkException e) {
    if (e instanceof AwsServiceException aws) {
      if (aws.awsErrorDetails() != null && aws.awsErrorDetails().errorCode() != null) {
        return aws.awsErrorDetails().errorCode();
      }
      if (aws.statusCode() > 0) {
        return String.valueOf(aws.statusCode());
      }
    }
    return e.getClass().getSimpleName();
  }

  /** The AWS error message, or the SDK exception's message when AWS did not answer. */
  public static String message(SdkException e) {
    if (e instanceof AwsServiceException aws
        && aws.awsErrorDetails() != null
        && aws.awsErrorDetails().errorMessage() != null) {
      return aws.awsErrorDetails().errorMessage();
    }
    return String.valueOf(e.getMessage());
  }
}
