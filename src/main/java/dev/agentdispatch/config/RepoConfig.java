package dev.agentdispatch.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A repository's settings from {@code .github/agent-dispatch.yml}, over the organisation's defaults, over
 * these built-in defaults. Every key is documented in docs/configuration.md; names there are snake_case.
 */
public record RepoConfig(
    /** label: the issue label that starts a task. */
    String label,
    /** command: the comment prefix for commands. */
    String command,
    /** allowed.users / allowed.teams: who may trigger, on top of write access; empty means anyone with write. */
    List<String> allowedUsers,
    List<String> allowedTeams,
    /** max_concurrent_tasks: agent tasks running at once in this repository. */
    int maxConcurrentTasks,
    /** max_queued_tasks: tasks waiting in this repository's queue before new ones are rejected. */
    int maxQueuedTasks,
    /** max_open_pull_requests: review capacity; new tasks wait while this many agent pull requests are open. */
    int maxOpenPullRequests,
    /** max_tasks_per_week: tasks started in any 7 days. */
    int maxTasksPerWeek,
    /** task_timeout: how long an agent task may run. */
    Duration taskTimeout,
    /** base_branch: the branch agent pull requests target; null means the repository's default branch. */
    String baseBranch,
    /** model: the agent model; null means automatic selection. */
    String model,
    /** protected_paths: globs an agent pull request must not change. */
    List<String> protectedPaths,
    /** stale_days: days without activity before an agent pull request is warned. */
    int staleDays,
    /** close_days: days after the warning before it is closed and its copilot/ branch deleted. */
    int closeDays,
    /** fallback_reviewers: reviewers when no code owner matches. */
    List<String> fallbackReviewers,
    /** max_reviewers: most reviewers requested on one pull request. */
    int maxReviewers,
    /** boundary: off, warn or require a scope and a success condition before a task is queued. */
    BoundaryMode boundary,
    /** rollback_grace: how long a failed or unclear outcome waits before the failure mode acts. */
    Duration rollbackGrace,
    /** on_failure: close, keep-branch, or notify @someone, when the issue does not say. */
    String onFailure,
    /** modules: names usable in Scope: lines, each mapped to path globs. */
    Map<String, List<String>> modules,
    /** allow_whole_repository_scope: whether a scope covering everything counts as a scope. */
    boolean allowWholeRepositoryScope,
    /** min_start_gap: least time between two agent starts in this repository. */
    Duration minStartGap,
    /** dispatch_window: when agent tasks may start (days, hours, time zone); null means any time. */
    Window dispatchWindow,
    /** circuit_breaker: pause the queue when too many recent tasks failed or timed out. */
    Breaker circuitBreaker,
    /** agent_token: whose token starts the agent, service_account (AGENT_TOKEN) or user (the triggering person's). */
    String agentToken,
    /** late_pull_request: what happens to an agent pull request that opens after its task was cancelled or timed out. */
    LatePullRequest latePullRequest) {

  /** agent_token values. */
  public static final String SERVICE_ACCOUNT = "service_account";
  public static final String USER = "user";

  /** close: close it with a comment and delete its copilot/ branch; keep: leave it open with a comment. */
  public enum LatePullRequest { CLOSE, KEEP }

  /** Days of the week and a daily time range in a time zone (to &lt; from spans midnight). */
  public record Window(java.util.Set<java.time.DayOfWeek> days, java.time.LocalTime from, java.time.LocalTime to,
      java.time.ZoneId zone) {}

  /** Look at the last {@code window} finished tasks; above {@code threshold} failed, pause for {@code coolDown}. */
  public record Breaker(int window, double threshold, Duration coolDown) {}

  /** How strictly a task's boundary is checked before it is queued. */
  public enum BoundaryMode { OFF, WARN, REQUIRE }

  public static final RepoConfig DEFAULTS = new RepoConfig("agent-task", "/copilot", List.of(), List.of(), 2, 20, 5,
      50, Duration.ofMinutes(60), null, null, List.of(".github/workflows/**"), 7, 7, List.of(), 2,
      BoundaryMode.WARN, Duration.ofHours(24), "keep-branch", Map.of(), false, Duration.ofSeconds(30), null,
      new Breaker(10, 0.5, Duration.ofHours(1)), SERVICE_ACCOUNT, LatePullRequest.CLOSE);

  /** Where the file lives, in the repository and in the organisation's {@code .github} repository. */
  public static final String PATH = ".github/agent-dispatch.yml";
}
