package dev.agentdispatch.github;

import java.time.Clock;
import java.time.Duration;

/** The clock and the sleeper together: every wait of the client goes through {@link #sleep}. */
record Waits(Clock clock, Sleeper sleeper) {
  void sleep(Duration d, String what) {
    if (d.isZero() || d.isNegative()) {
      return;
    }
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GitHubCallFailed(what + " (interrupted while waiting)", e);
    }
  }
}
