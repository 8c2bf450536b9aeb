package dev.agentdispatch.task;

import dev.agentdispatch.store.TaskStore;
import dev.agentdispatch.store.TaskStore.RepoStat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The limits, checked at claim time against the per-repository counts the claim transaction read. The claim
 * takes repositories in round-robin order: least recently started first, then fewest starts this week, then the
 * one whose oldest queued task has waited longest; so one repository's backlog cannot starve another's.
 */
final class Gate {
  static final String REPO_CONFIG = ".github/agent-dispatch.yml";
  static final Duration BUDGET_PERIOD = Duration.ofDays(7);

  private final Limits limits;
  private final Function<String, RepoLimits> repoLimits;

  Gate(Limits limits, Function<String, RepoLimits> repoLimits) {
    this.limits = limits;
    this.repoLimits = repoLimits;
  }

  /** Counts summed over repositories: per organisation and in total, and organisations' recent starts. */
  record Totals(Map<String, Long> occupyingByOrg, Map<String, Long> lastStartByOrg, long occupying) {
    static Totals of(TaskStore.Snapshot snapshot) {
      Map<String, Long> byOrg = new HashMap<>();
      long total = 0;
      for (RepoStat s : snapshot.repositories()) {
        byOrg.merge(s.organisation(), s.occupying(), Long::sum);
        total += s.occupying();
      }
      return new Totals(byOrg, snapshot.recentOrganisationStarts(), total);
    }
  }

  /** The repositories that may start a task now, in the order the claim tries them. */
  List<String> order(TaskStore.Snapshot snapshot, long now) {
    Totals totals = Totals.of(snapshot);
    List<RepoStat> open = new ArrayList<>();
    for (RepoStat s : snapshot.repositories()) {
      if (s.headCreatedAt() != null && check(s, totals, now).allowed()) {
        open.add(s);
      }
    }
    open.sort(Comparator.comparing((RepoStat s) -> s.lastStartedAt() == null ? Long.MIN_VALUE : s.lastStartedAt())
        .thenComparingLong(RepoStat::startedSince)
        .thenComparingLong(RepoStat::headCreatedAt)
        .thenComparing(RepoStat::repository));
    return open.stream().map(RepoStat::repository).toList();
  }

  /** The first limit that keeps this repository from starting a task at {@code now}, or allow. */
  Decision check(RepoStat s, Totals totals, long now) {
    RepoLimits rl = repoLimits.apply(s.repository());
    if (s.pausedUntil() != null && s.pausedUntil() > now) {
      return Decision.hold("circuit_breaker", "circuit breaker", "open until " + Instant.ofEpochMilli(s.pausedUntil())
          + " (more than " + percent(rl.breakerThreshold()) + " of the last " + rl.breakerWindow()
          + " tasks failed or timed out)", "an admin can resume the repository now; tune circuit_breaker in "
          + REPO_CONFIG);
    }
    if (rl.window() != null && !rl.window().contains(Instant.ofEpochMilli(now))) {
      return Decision.hold("dispatch_window", "dispatch window", rl.window().describe() + " is closed now",
          "change dispatch_window in " + REPO_CONFIG);
    }
    if (s.occupying() >= rl.maxConcurrent()) {
      return Decision.hold("max_concurrent_tasks", "repository limit", s.occupying() + " of " + rl.maxConcurrent()
          + " running", "raise max_concurrent_tasks in " + REPO_CONFIG);
    }
    if (s.prOpen() >= rl.maxOpenPullRequests()) {
      return Decision.hold("max_open_pull_requests", "review capacity", s.prOpen() + " of "
          + rl.maxOpenPullRequests() + " agent pull requests open", "review or close them, or raise"
          + " max_open_pull_requests in " + REPO_CONFIG);
    }
    if (s.startedSince() >= rl.weeklyBudget()) {
      return Decision.hold("max_tasks_per_week", "weekly budget", s.startedSince() + " of " + rl.weeklyBudget()
          + " tasks started in the last 7 days", "raise max_tasks_per_week in " + REPO_CONFIG);
    }
    if (s.lastStartedAt() != null && now - s.lastStartedAt() < rl.startGap().toMillis()) {
      return Decision.hold("min_start_gap", "repository start gap", seconds(rl.startGap().toMillis())
          + " (last start " + seconds(now - s.lastStartedAt()) + " ago)", "change min_start_gap in " + REPO_CONFIG);
    }
    long inOrg = totals.occupyingByOrg().getOrDefault(s.organisation(), 0L);
    if (inOrg >= limits.maxConcurrentPerOrganisation()) {
      return Decision.hold("MAX_TASKS_PER_ORG", "organisation limit", inOrg + " of "
          + limits.maxConcurrentPerOrganisation() + " running in " + s.organisation(),
          "the app operator can raise MAX_TASKS_PER_ORG");
    }
    if (totals.occupying() >= limits.maxConcurrentTotal()) {
      return Decision.hold("MAX_TASKS_TOTAL", "total limit", totals.occupying() + " of "
          + limits.maxConcurrentTotal() + " running", "the app operator can raise MAX_TASKS_TOTAL");
    }
    Long orgLast = totals.lastStartByOrg().get(s.organisation());
    if (orgLast != null && now - orgLast < limits.organisationStartGap().toMillis()) {
      return Decision.hold("ORG_START_GAP", "organisation start gap", seconds(limits.organisationStartGap().toMillis())
          + " in " + s.organisation() + " (last start " + seconds(now - orgLast) + " ago)",
          "the app operator can change ORG_START_GAP");
    }
    return Decision.allow();
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? millis / 1000 + "s" : String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
  }

  private static String percent(double share) {
    return Math.round(share * 100) + "%";
  }
}
