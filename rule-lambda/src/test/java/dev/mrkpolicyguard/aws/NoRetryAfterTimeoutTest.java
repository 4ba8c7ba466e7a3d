package dev.mrkpolicyguard.aws;

import static dev.mrkpolicyguard.aws.SdkClientFactoryTest.THROTTLED;
import static dev.mrkpolicyguard.aws.SdkClientFactoryTest.firstBackoff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

class NoRetryAfterTimeoutTest {
  @Test
  void refreshRetryToken_attemptTimedOut_isNotRetried() {
    RetryStrategy strategy = new NoRetryAfterTimeout(SdkClientFactory.defaultRetries().get());
    ApiCallAttemptTimeoutException timeout =
        ApiCallAttemptTimeoutException.create(Duration.ofSeconds(10).toMillis());

    TokenAcquisitionFailedException e =
        assertThrows(TokenAcquisitionFailedException.class, () -> firstBackoff(strategy, timeout));

    assertEquals(timeout, e.getCause());
  }

  @Test
  void refreshRetryToken_throttled_isRetriedAsTheWrappedStrategySays() {
    RetryStrategy strategy = new NoRetryAfterTimeout(SdkClientFactory.defaultRetries().get());

    Duration delay = firstBackoff(strategy, THROTTLED);

    assertTrue(delay.compareTo(Duration.ofMillis(250)) <= 0, delay.toString());
    assertEquals(8, strategy.maxAttempts());
    assertFalse(strategy.useClientDefaults());
  }
}
