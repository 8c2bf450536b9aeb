package dev.agentdispatch.task;

import java.time.Duration;

/**
 * Per-repository queue settings from {@code .github/agent-dispatch.yml} (key names in parentheses), resolved by
 * the caller; {@link #DEFAULTS} holds when the repository sets nothing.
 *
 * @param maxConcurrent tasks starting, running or waiting for a user ({@code max_concurrent_tasks}, 2)
 * @param maxQueued queued tasks; a full queue refuses new ones ({@code max_queued_tasks}, 20)
 * @param maxOpenPullRequests agent pull requests open for review; the queue waits for reviewers
 *     ({@code max_open_pull_requests}, 5)
 * @param weeklyBudget tasks started in the last 7 days ({@code max_tasks_per_week}, 50)
 * @param startGap least time between two starts ({@code min_start_gap}, 30 s)
 * @param window when starts are allowed; null means always ({@code dispatch_window}, none)
 * @param breakerWindow finished tasks the circuit breaker looks at ({@code circuit_breaker.window}, 10)
 * @param breakerThreshold failure/timeout share of that window above which the queue pauses
 *     ({@code circuit_breaker.threshold}, 0.5)
 * @param breakerCooldown how long a tripped breaker pauses the queue ({@code circuit_breaker.cool_down}, 1 h)
 */
public record RepoLimits(int maxConcurrent, int maxQueued, int maxOpenPullRequests, int weeklyBudget,
    Duration startGap, DispatchWindow window, int breakerWindow, double breakerThreshold,
    Duration breakerCooldown) {
  public static final RepoLimits DEFAULTS = new RepoLimits(2, 20, 5, 50, Duration.ofSeconds(30), null, 10, 0.5,
      Duration.ofHours(1));

  public RepoLimits {
    if (maxConcurrent < 1 || maxQueued < 1 || maxOpenPullRequests < 1 || weeklyBudget < 1 || breakerWindow < 1) {
      throw new IllegalArgumentException("repository limits must be at least 1");
    }
    if (startGap.isNegative() || breakerCooldown.isNegative() || breakerThreshold < 0 || breakerThreshold > 1) {
      throw new IllegalArgumentException("min_start_gap and circuit_breaker.cool_down must be >= 0,"
          + " circuit_breaker.threshold between 0 and 1");
    }
  }

  /** The limits a repository's resolved {@code .github/agent-dispatch.yml} sets. */
  public static RepoLimits of(dev.agentdispatch.config.RepoConfig c) {
    var w = c.dispatchWindow();
    return new RepoLimits(c.maxConcurrentTasks(), c.maxQueuedTasks(), c.maxOpenPullRequests(),
        Math.max(1, c.maxTasksPerWeek()), c.minStartGap(),
        w == null ? null : new DispatchWindow(w.days(), w.from(), w.to(), w.zone()),
        c.circuitBreaker().window(), c.circuitBreaker().threshold(), c.circuitBreaker().coolDown());
  }

  public RepoLimits withMaxConcurrent(int n) {
    return new RepoLimits(n, maxQueued, maxOpenPullRequests, weeklyBudget, startGap, window, breakerWindow,
        breakerThreshold, breakerCooldown);
  }

  public RepoLimits withMaxQueued(int n) {
    return new RepoLimits(maxConcurrent, n, maxOpenPullRequests, weeklyBudget, startGap, window, breakerWindow,
        breakerThreshold, breakerCooldown);
  }

  public RepoLimits withMaxOpenPullRequests(int n) {
    return new RepoLimits(maxConcurrent, maxQueued, n, weeklyBudget, startGap, window, breakerWindow,
        breakerThreshold, breakerCooldown);
  }

  public RepoLimits withWeeklyBudget(int n) {
    return new RepoLimits(maxConcurrent, maxQueued, maxOpenPullRequests, n, startGap, window, breakerWindow,
        breakerThreshold, breakerCooldown);
  }

  public RepoLimits withStartGap(Duration gap) {
    return new RepoLimits(maxConcurrent, maxQueued, maxOpenPullRequests, weeklyBudget, gap, window, breakerWindow,
        breakerThreshold, breakerCooldown);
  }

  public RepoLimits withWindow(DispatchWindow w) {
    return new RepoLimits(maxConcurrent, maxQueued, maxOpenPullRequests, weeklyBudget, startGap, w, breakerWindow,
        breakerThreshold, breakerCooldown);
  }

  public RepoLimits withBreaker(int lastN, double threshold, Duration cooldown) {
    return new RepoLimits(maxConcurrent, maxQueued, maxOpenPullRequests, weeklyBudget, startGap, window, lastN,
        threshold, cooldown);
  }
}
