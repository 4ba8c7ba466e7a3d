package dev.mrkpolicyguard.trigger;

import java.time.Duration;

/** Port: keeps a deferred start until it is due, beyond the end of this invocation. */
public interface DeferralQueue {
  /** Sends {@code deferral}, to be delivered back to the trigger after {@code delay}. */
  Sent send(Deferral deferral, Duration delay);

  /** Whether the deferral is now kept by the queue. */
  sealed interface Sent {
    record Kept() implements Sent {}

    record Failed(String code, String message) implements Sent {}
  }
}
