package dev.mrkpolicyguard.localaws.fault;

import java.time.Duration;
import java.util.Objects;

/** What an injected fault does to a matching call. */
public sealed interface FaultEffect {

  /** Delays the call by a fixed or uniformly jittered duration, then serves it normally. */
  record Latency(Duration min, Duration max) implements FaultEffect {
    public Latency {
      Objects.requireNonNull(min, "min");
      Objects.requireNonNull(max, "max");
      if (min.isNegative() || max.compareTo(min) < 0) {
        throw new IllegalArgumentException("latency needs 0 <= min <= max: " + min + ".." + max);
      }
    }
  }

  /**
   * Answers the service's throttling error: {@code ThrottlingException} (JSON), {@code Throttling}
   * (STS), {@code SlowDown} (S3).
   */
  record Throttle() implements FaultEffect {}

  /** Answers a bare server-side failure with this HTTP status (500 or 503). */
  record ServerError(int status) implements FaultEffect {
    public ServerError {
      if (status < 500 || status > 599) {
        throw new IllegalArgumentException("server errors are 5xx, not " + status);
      }
    }
  }

  /** Answers a named AWS error, e.g. {@code AccessDeniedException} with HTTP 400. */
  record Error(String code, int status, String message) implements FaultEffect {
    public Error {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }
}
