package dev.agentdispatch.github;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a rate-limit answer (FACTS.md section 4): 429, or 403 with Retry-After, x-ratelimit-remaining 0 or a
 * message naming a rate limit. Any other 403 is a permission error and is not retried.
 */
final class RateLimitAnswer {
  private RateLimitAnswer() {}

  static boolean isRateLimited(ApiResponse r) {
    if (r.status() == 429) {
      return true;
    }
    if (r.status() != 403) {
      return false;
    }
    if (r.header("Retry-After").isPresent() || RateLimits.number(r, "x-ratelimit-remaining").orElse(1L) == 0) {
      return true;
    }
    String body = r.body() == null ? "" : new String(r.body(), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    return body.contains("rate limit");
  }

  /**
   * Retry-After when given (a zero or unreadable one counts as missing); else the reset when nothing remains;
   * else at least a minute, doubling per repeat.
   */
  static Duration waitFor(ApiResponse r, Clock clock, RetryPolicy policy, int attempt) {
    Optional<Long> retryAfter = RateLimits.number(r, "Retry-After");
    if (retryAfter.isPresent() && retryAfter.get() > 0) {
      return Duration.ofSeconds(retryAfter.get());
    }
    Optional<Long> remaining = RateLimits.number(r, "x-ratelimit-remaining");
    Optional<Long> reset = RateLimits.number(r, "x-ratelimit-reset");
    if (remaining.orElse(1L) == 0 && reset.isPresent()) {
      Duration d = Duration.between(clock.instant(), Instant.ofEpochSecond(reset.get()));
      if (d.compareTo(Duration.ofSeconds(1)) >= 0) {
        return d;
      }
    }
    return policy.rateLimitFallback(attempt);
  }
}
