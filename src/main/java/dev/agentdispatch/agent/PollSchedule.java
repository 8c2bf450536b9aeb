package dev.agentdispatch.agent;

import java.time.Duration;

/**
 * When the worker looks at an agent task again. Polls start within seconds and thin out as the task ages:
 * 5 s while it is younger than 20 s, then the interval doubles each time the age doubles (10 s from 20 s,
 * 20 s from 40 s, 40 s from 80 s, 80 s from 160 s), capped at 2 min from 320 s on. Transient failures back off
 * 5 s, 10 s, 20 s ... capped at 2 min, and after {@link #MAX_TRANSIENT_FAILURES} in a row the task fails.
 */
final class PollSchedule {
  static final Duration FIRST = Duration.ofSeconds(5);
  static final Duration CAP = Duration.ofMinutes(2);
  /** Transient failures in a row (start or poll) before the task fails: about 10 min of trying. */
  static final int MAX_TRANSIENT_FAILURES = 8;

  private PollSchedule() {}

  /** The wait before the next poll of a task that has been running for {@code age}. */
  static Duration interval(Duration age) {
    long step = FIRST.toMillis();
    while (step * 4 <= age.toMillis() && step < CAP.toMillis()) {
      step *= 2;
    }
    return Duration.ofMillis(Math.min(step, CAP.toMillis()));
  }

  /** The wait after the {@code failures}-th transient failure in a row (1 = the first). */
  static Duration retry(int failures) {
    long ms = FIRST.toMillis() << Math.min(10, Math.max(0, failures - 1));
    return Duration.ofMillis(Math.min(ms, CAP.toMillis()));
  }
}
