package dev.agentdispatch;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The app's periodic work: one daemon thread per job; a failed run is logged and the next one runs on time. */
final class Periodic {
  private static final Logger log = LoggerFactory.getLogger(Periodic.class);

  private Periodic() {}

  /** Runs {@code work} after {@code first}, then every {@code interval}, on thread {@code name}, until closed. */
  static AutoCloseable every(String name, Duration first, Duration interval, Runnable work) {
    ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    ex.scheduleWithFixedDelay(() -> {
      try {
        work.run();
      } catch (RuntimeException e) {
        log.warn("{}: run failed ({}); retrying in {}", name, e.getMessage(), interval);
        log.debug("{}: failure", name, e);
      }
    }, first.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return ex::shutdownNow;
  }
}
