package dev.agentdispatch.github;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before trying a call again (FACTS.md section 4).
 *
 * @param maxServerErrorAttempts attempts in all for 5xx and connection errors (first try included)
 * @param backoffBase first backoff; doubled per attempt, capped at {@code backoffCap}
 * @param maxServerErrorWait total backoff one call may spend on 5xx and connection errors
 * @param maxRateLimitAttempts attempts in all for 429 / rate-limit 403
 * @param minRateLimitWait the wait when neither Retry-After nor an exhausted reset is given; doubled per repeat
 * @param maxRateLimitWait longest single wait; a longer one fails the call instead
 * @param reserve remaining calls per token at or below which the next call waits for the reset
 * @param jitter a number in [0, 1]; the backoff is {@code d/2 + d/2 * jitter}
 */
record RetryPolicy(int maxServerErrorAttempts, Duration backoffBase, Duration backoffCap, Duration maxServerErrorWait,
    int maxRateLimitAttempts, Duration minRateLimitWait, Duration maxRateLimitWait, int reserve,
    DoubleSupplier jitter) {

  static RetryPolicy defaults() {
    return new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(2),
        4, Duration.ofMinutes(1), Duration.ofMinutes(61), 5, Math::random);
  }

  /** Same numbers, with a fixed jitter (tests use 1.0 to get exact waits). */
  RetryPolicy withJitter(DoubleSupplier j) {
    return new RetryPolicy(maxServerErrorAttempts, backoffBase, backoffCap, maxServerErrorWait, maxRateLimitAttempts,
        minRateLimitWait, maxRateLimitWait, reserve, j);
  }

  /** Backoff before retry number {@code retry} (1 = first retry) after a 5xx or connection error. */
  Duration backoff(int retry) {
    long full = Math.min(backoffCap.toMillis(), backoffBase.toMillis() << Math.min(20, retry - 1));
    double j = Math.max(0, Math.min(1, jitter.getAsDouble()));
    return Duration.ofMillis(Math.round(full / 2.0 + full / 2.0 * j));
  }

  /** The wait after the {@code retry}-th rate-limit answer that gave neither Retry-After nor a usable reset. */
  Duration rateLimitFallback(int retry) {
    return minRateLimitWait.multipliedBy(1L << Math.min(10, retry - 1));
  }
}
