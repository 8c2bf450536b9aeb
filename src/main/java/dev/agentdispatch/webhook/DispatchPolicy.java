package dev.agentdispatch.webhook;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the dispatcher works the inbox: threads, batch size, how long a lease lasts before another
 * worker may take the delivery over, and the bounded retry with exponential backoff and jitter.
 */
public record DispatchPolicy(int workers, int batchSize, Duration lease, int maxAttempts,
    Duration retryBase, Duration retryMax, Duration pollInterval) {

  public static DispatchPolicy defaults() {
    return new DispatchPolicy(4, 128, Duration.ofMinutes(2), 5, Duration.ofSeconds(5), Duration.ofMinutes(10),
        Duration.ofSeconds(1));
  }

  public DispatchPolicy withRetry(int maxAttempts, Duration base, Duration max) {
    return new DispatchPolicy(workers, batchSize, lease, maxAttempts, base, max, pollInterval);
  }

  public DispatchPolicy withLease(Duration lease) {
    return new DispatchPolicy(workers, batchSize, lease, maxAttempts, retryBase, retryMax, pollInterval);
  }

  public DispatchPolicy withPollInterval(Duration pollInterval) {
    return new DispatchPolicy(workers, batchSize, lease, maxAttempts, retryBase, retryMax, pollInterval);
  }

  /** Delay before attempt {@code failedAttempts + 1}: base * 2^(n-1), capped, with up to 20% jitter. */
  public Duration backoff(int failedAttempts) {
    long base = retryBase.toMillis();
    long exp = base << Math.min(Math.max(failedAttempts - 1, 0), 20);
    long capped = Math.min(exp, retryMax.toMillis());
    long jitter = (long) (capped * 0.2 * ThreadLocalRandom.current().nextDouble());
    return Duration.ofMillis(capped - jitter);
  }
}
