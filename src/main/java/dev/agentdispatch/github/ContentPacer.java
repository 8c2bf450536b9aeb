package dev.agentdispatch.github;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Paces calls that create content, per installation, under GitHub's secondary limits (FACTS.md section 4):
 * at least 1 s apart, at most 80 a minute and 500 an hour. Each caller reserves the next free slot and waits
 * for it, so calls queue up in order and none is dropped.
 */
final class ContentPacer {
  static final Duration SPACING = Duration.ofSeconds(1);
  static final int PER_MINUTE = 80;
  static final int PER_HOUR = 500;
  private static final Pattern CREATES = Pattern.compile(
      "/repos/[^/]+/[^/]+/(issues(/[^/]+)?/comments|issues/[^/]+/labels|labels|issues|pulls|pulls/[^/]+/reviews"
          + "|pulls/[^/]+/requested_reviewers|pulls/[^/]+/comments|check-runs|issues/comments/[^/]+/reactions"
          + "|issues/[^/]+/reactions|releases)|/agents/repos/[^/]+/[^/]+/tasks");

  private final Clock clock;
  private final Map<String, Deque<Instant>> slots = new ConcurrentHashMap<>();

  ContentPacer(Clock clock) {
    this.clock = clock;
  }

  static boolean createsContent(String method, String apiPath) {
    return method.equalsIgnoreCase("POST") && CREATES.matcher(apiPath).matches();
  }

  /** Reserves the next slot for {@code key} and returns how long to wait for it (zero when free now). */
  Duration reserve(String key) {
    Deque<Instant> taken = slots.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (taken) {
      Instant now = clock.instant();
      while (!taken.isEmpty() && taken.peekFirst().isBefore(now.minus(Duration.ofHours(1)))) {
        taken.pollFirst();
      }
      Instant at = now;
      if (!taken.isEmpty()) {
        at = max(at, taken.peekLast().plus(SPACING));
      }
      if (taken.size() >= PER_HOUR) {
        at = max(at, nth(taken, taken.size() - PER_HOUR).plus(Duration.ofHours(1)));
      }
      if (taken.size() >= PER_MINUTE) {
        at = max(at, nth(taken, taken.size() - PER_MINUTE).plus(Duration.ofMinutes(1)));
      }
      taken.addLast(at);
      return Duration.between(now, at);
    }
  }

  private static Instant nth(Deque<Instant> d, int index) {
    int i = 0;
    for (Instant t : d) {
      if (i++ == index) {
        return t;
      }
    }
    throw new IllegalStateException("no slot " + index);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
