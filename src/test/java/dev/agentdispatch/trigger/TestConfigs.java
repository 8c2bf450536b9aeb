package dev.agentdispatch.trigger;

import dev.agentdispatch.config.RepoConfig;
import dev.agentdispatch.config.RepoConfig.BoundaryMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Repository configs for the trigger tests: the defaults with a module, a mode and the whole-repository switch. */
final class TestConfigs {
  static final Map<String, List<String>> MODULES =
      Map.of("http", List.of("src/http/**", "test/http/**"), "everything", List.of("**"));

  private TestConfigs() {}

  static RepoConfig config(BoundaryMode mode, boolean allowWholeRepository) {
    RepoConfig d = RepoConfig.DEFAULTS;
    return new RepoConfig(d.label(), d.command(), d.allowedUsers(), d.allowedTeams(), d.maxConcurrentTasks(),
        d.maxQueuedTasks(), d.maxOpenPullRequests(), d.maxTasksPerWeek(), Duration.ofMinutes(60), d.baseBranch(),
        d.model(), List.of(".github/workflows/**"), d.staleDays(), d.closeDays(), d.fallbackReviewers(),
        d.maxReviewers(), mode, d.rollbackGrace(), "keep-branch", MODULES, allowWholeRepository, d.minStartGap(),
        d.dispatchWindow(), d.circuitBreaker(), d.agentToken(), d.latePullRequest());
  }

  static RepoConfig config(BoundaryMode mode) {
    return config(mode, false);
  }
}
