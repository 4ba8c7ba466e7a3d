package dev.mrkpolicyguard.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.retries.AdaptiveRetryStrategy;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;

class SdkClientFactoryTest {
  static final AwsServiceException THROTTLED =
      AwsServiceException.builder()
          .statusCode(400)
          .awsErrorDetails(
              AwsErrorDetails.builder()
                  .errorCode("ThrottlingException")
                  .errorMessage("Rate exceeded")
                  .build())
          .build();

  static Duration firstBackoff(RetryStrategy strategy, Throwable failure) {
    RetryToken token =
        strategy.acquireInitialToken(AcquireInitialTokenRequest.create("kms")).token();
    return strategy
        .refreshRetryToken(RefreshRetryTokenRequest.builder().token(token).failure(failure).build())
        .delay();
  }

  @Test
  void defaultRetries_strategy_isTheStandardModeWithEightAttemptsAndNoRateLimiter() {
    RetryStrategy strategy = SdkClientFactory.defaultRetries().get();

    assertTrue(strategy instanceof StandardRetryStrategy, strategy.getClass().getName());
    assertFalse(strategy instanceof AdaptiveRetryStrategy);
    assertEquals(8, strategy.maxAttempts());
  }

  @Test
  void defaultRetries_throttlingError_backsOffAtMost250msBeforeTheFirstRetry() {
    // Full jitter: a draw in [0, 250 ms]. With the SDK's 1 s base, 40 draws all under 250 ms
    // would happen once in 10^24 runs.
    for (int i = 0; i < 40; i++) {
      Duration delay = firstBackoff(SdkClientFactory.defaultRetries().get(), THROTTLED);
      assertTrue(delay.compareTo(Duration.ofMillis(250)) <= 0, delay.toString());
    }
  }
}
