package dev.mrkpolicyguard.localaws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** The stand-in's notion of now: a base clock plus an offset tests can advance. */
final class ServerClock implements Supplier<Instant> {
  private final Clock base;
  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  ServerClock(Clock base) {
    this.base = base;
  }

  @Override
  public Instant get() {
    return base.instant().plus(offset.get());
  }

  void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("time only moves forward, got " + by);
    }
    offset.updateAndGet(current -> current.plus(by));
  }

  void reset() {
    offset.set(Duration.ZERO);
  }
}
