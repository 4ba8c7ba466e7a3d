package dev.mrkpolicyguard.audit;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The thread pools of a live capture: daemon threads, and results joined with their own failure.
 */
final class Pools {
  private Pools() {}

  /** A pool of {@code threads} daemon threads named {@code name}. */
  static ExecutorService daemons(int threads, String name) {
    return Executors.newFixedThreadPool(
        threads,
        runnable -> {
          Thread thread = new Thread(runnable, name);
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * The result of {@code future}; its own runtime failure is rethrown as it was, anything else as
   * an {@link IllegalStateException} saying that reading {@code what} failed.
   */
  static <T> T join(Future<T> future, String what) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + what, e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException cause
          ? cause
          : new IllegalStateException("reading " + what + " failed", e.getCause());
    }
  }
}
