package dev.agentdispatch.github;

import java.time.Duration;

/** Every wait the GitHub client makes goes through here, so tests record waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
  /** Blocks for {@code d} (tests: records it and may move a clock). */
  void sleep(Duration d) throws InterruptedException;

  /** Real sleeping with {@link Thread#sleep}. */
  Sleeper REAL = d -> Thread.sleep(Math.max(0, d.toMillis()));
}
