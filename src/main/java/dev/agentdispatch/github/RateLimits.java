package dev.agentdispatch.github;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The last x-ratelimit-remaining / x-ratelimit-reset seen per rate-limit bucket, and the wait it implies. The
 * bucket is GitHub's own: the app (all JWTs), an installation (all its tokens), or a user's token.
 */
final class RateLimits {
  private record Budget(long remaining, Instant reset) {}

  private final Cache<String, Budget> budgets = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(2))
      .maximumSize(10_000).build();
  private final Clock clock;
  private final int reserve;

  RateLimits(Clock clock, int reserve) {
    this.clock = clock;
    this.reserve = reserve;
  }

  /** Remembers the budget a response reported for this token. */
  void update(Credential c, ApiResponse r) {
    Optional<Long> remaining = number(r, "x-ratelimit-remaining");
    Optional<Long> reset = number(r, "x-ratelimit-reset");
    if (remaining.isPresent() && reset.isPresent()) {
      budgets.put(c.paceKey(), new Budget(remaining.get(), Instant.ofEpochSecond(reset.get())));
    }
  }

  /**
   * How long to wait before the next call with this token: until the reset when at most {@code reserve}
   * calls remain, otherwise nothing.
   */
  Duration waitBeforeCall(Credential c) {
    Budget b = budgets.getIfPresent(c.paceKey());
    if (b == null || b.remaining() > reserve) {
      return Duration.ZERO;
    }
    Duration d = Duration.between(clock.instant(), b.reset());
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** After waiting for the reset, the old numbers no longer hold; the next answer brings new ones. */
  void forget(Credential c) {
    budgets.invalidate(c.paceKey());
  }

  static Optional<Long> number(ApiResponse r, String header) {
    try {
      return r.header(header).map(String::trim).map(Long::parseLong);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
