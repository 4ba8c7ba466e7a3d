package dev.mrkpolicyguard.aws;

import java.util.Objects;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * A retry strategy that retries as the one it wraps, except an attempt that ran out of its attempt
 * timeout. Only writes set one (PutEvaluations, PutKeyPolicy), and a write whose answer did not
 * come may still have taken effect: the SDK would send it again, and Config stores a re-sent
 * PutEvaluations twice. The caller gets {@link ApiCallAttemptTimeoutException} and decides what the
 * unknown outcome means.
 */
final class NoRetryAfterTimeout implements RetryStrategy {
  private final RetryStrategy delegate;

  NoRetryAfterTimeout(RetryStrategy delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
    return delegate.acquireInitialToken(request);
  }

  @Override
  public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
    if (request.failure() instanceof ApiCallAttemptTimeoutException) {
      throw new TokenAcquisitionFailedException(
          "not retried: the attempt timed out and may have taken effect",
          request.token(),
          request.failure());
    }
    return delegate.refreshRetryToken(request);
  }

  @Override
  public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
    return delegate.recordSuccess(request);
  }

  @Override
  public int maxAttempts() {
    return delegate.maxAttempts();
  }

  /** False: the SDK would otherwise rebuild the strategy from its builder, without this wrapper. */
  @Override
  public boolean useClientDefaults() {
    return false;
  }

  @Override
  public Builder<?, ?> toBuilder() {
    return delegate.toBuilder();
  }
}
