package dev.agentdispatch.task;

import java.time.Duration;

/**
 * Server-wide queue settings, set by the app operator through the environment (names in parentheses).
 *
 * @param maxConcurrentPerOrganisation tasks starting, running or waiting for a user in one organisation
 *     ({@code MAX_TASKS_PER_ORG}, default 10): one organisation cannot take every agent seat
 * @param maxConcurrentTotal the same across all installations ({@code MAX_TASKS_TOTAL}, default 20): the
 *     agent account's capacity
 * @param organisationStartGap least time between two starts in one organisation (default 5 s; not yet a
 *     setting): spreads bursts
 * @param lease how long a claim or a renewal holds a task (default 5 min); an instance that stops renewing
 *     loses its tasks to the others after this
 * @param maxAttempts claims a task gets before an expired lease fails it (default 3)
 */
public record Limits(int maxConcurrentPerOrganisation, int maxConcurrentTotal, Duration organisationStartGap,
    Duration lease, int maxAttempts) {
  public static final Limits DEFAULTS = new Limits(10, 20, Duration.ofSeconds(5), Duration.ofMinutes(5), 3);

  public Limits {
    if (maxConcurrentPerOrganisation < 1 || maxConcurrentTotal < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException("queue limits must be at least 1");
    }
    if (organisationStartGap.isNegative() || lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("the organisation start gap must be >= 0 and the lease > 0");
    }
  }

  /** The server-wide limits from the settings ({@code MAX_TASKS_PER_ORG}, {@code MAX_TASKS_TOTAL}). */
  public static Limits of(dev.agentdispatch.config.Settings settings) {
    return DEFAULTS.withConcurrency(settings.maxTasksPerOrg(), settings.maxTasksTotal());
  }

  public Limits withConcurrency(int perOrganisation, int total) {
    return new Limits(perOrganisation, total, organisationStartGap, lease, maxAttempts);
  }

  public Limits withOrganisationStartGap(Duration gap) {
    return new Limits(maxConcurrentPerOrganisation, maxConcurrentTotal, gap, lease, maxAttempts);
  }

  public Limits withLease(Duration newLease) {
    return new Limits(maxConcurrentPerOrganisation, maxConcurrentTotal, organisationStartGap, newLease, maxAttempts);
  }
}
