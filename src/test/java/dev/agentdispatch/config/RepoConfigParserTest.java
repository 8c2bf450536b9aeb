package dev.agentdispatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.config.RepoConfig.BoundaryMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RepoConfigParserTest {
  private static final String FILE = "octo/app/.github/agent-dispatch.yml";

  private static RepoConfigParser.Parsed parse(String yaml) {
    return RepoConfigParser.parse(FILE, yaml, RepoConfig.DEFAULTS);
  }

  @Test
  void an_empty_file_gives_the_documented_defaults() {
    RepoConfig c = parse("").config();
    assertEquals("agent-task", c.label());
    assertEquals("/copilot", c.command());
    assertEquals(List.of(), c.allowedUsers());
    assertEquals(2, c.maxConcurrentTasks());
    assertEquals(20, c.maxQueuedTasks());
    assertEquals(5, c.maxOpenPullRequests());
    assertEquals(50, c.maxTasksPerWeek());
    assertEquals(Duration.ofMinutes(60), c.taskTimeout());
    assertEquals(null, c.baseBranch());
    assertEquals(null, c.model());
    assertEquals(List.of(".github/workflows/**"), c.protectedPaths());
    assertEquals(7, c.staleDays());
    assertEquals(7, c.closeDays());
    assertEquals(List.of(), c.fallbackReviewers());
    assertEquals(2, c.maxReviewers());
    assertEquals(BoundaryMode.WARN, c.boundary());
    assertEquals(Duration.ofHours(24), c.rollbackGrace());
  }

  @Test
  void every_key_is_read() {
    RepoConfigParser.Parsed p = parse("""
        label: ai
        command: /agent
        allowed:
          users: [alice, "@bob"]
          teams: [octo/backend]
        max_concurrent_tasks: 3
        max_queued_tasks: 9
        max_open_pull_requests: 4
        max_tasks_per_week: 10
        task_timeout: 45m
        base_branch: develop
        model: claude-sonnet-4.6
        protected_paths: [".github/**", "infra/**"]
        stale_days: 3
        close_days: 2
        fallback_reviewers: [octo/leads]
        max_reviewers: 1
        boundary: require
        rollback_grace: 2h
        on_failure: notify @carol
        modules:
          http: [src/http/**]
        allow_whole_repository_scope: true
        min_start_gap: 2m
        dispatch_window:
          days: [mon, Tuesday]
          hours: "22:00-6:00"
          time_zone: Europe/Berlin
        circuit_breaker:
          window: 4
          threshold: 0.75
          cool_down: 30m
        agent_token: user
        late_pull_request: keep
        """);
    assertEquals(List.of(), p.problems());
    RepoConfig c = p.config();
    assertEquals("ai", c.label());
    assertEquals("/agent", c.command());
    assertEquals(List.of("alice", "bob"), c.allowedUsers());
    assertEquals(List.of("octo/backend"), c.allowedTeams());
    assertEquals(3, c.maxConcurrentTasks());
    assertEquals(9, c.maxQueuedTasks());
    assertEquals(4, c.maxOpenPullRequests());
    assertEquals(10, c.maxTasksPerWeek());
    assertEquals(Duration.ofMinutes(45), c.taskTimeout());
    assertEquals("develop", c.baseBranch());
    assertEquals("claude-sonnet-4.6", c.model());
    assertEquals(List.of(".github/**", "infra/**"), c.protectedPaths());
    assertEquals(3, c.staleDays());
    assertEquals(2, c.closeDays());
    assertEquals(List.of("octo/leads"), c.fallbackReviewers());
    assertEquals(1, c.maxReviewers());
    assertEquals(BoundaryMode.REQUIRE, c.boundary());
    assertEquals(RepoConfig.LatePullRequest.KEEP, c.latePullRequest());
    assertEquals(Duration.ofHours(2), c.rollbackGrace());
    assertEquals("notify @carol", c.onFailure());
    assertEquals(Map.of("http", List.of("src/http/**")), c.modules());
    assertTrue(c.allowWholeRepositoryScope());
    assertEquals(Duration.ofMinutes(2), c.minStartGap());
    assertEquals(java.util.EnumSet.of(java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.TUESDAY),
        c.dispatchWindow().days());
    assertEquals(java.time.LocalTime.of(22, 0), c.dispatchWindow().from());
    assertEquals(java.time.LocalTime.of(6, 0), c.dispatchWindow().to());
    assertEquals(java.time.ZoneId.of("Europe/Berlin"), c.dispatchWindow().zone());
    assertEquals(new RepoConfig.Breaker(4, 0.75, Duration.ofMinutes(30)), c.circuitBreaker());
    assertEquals(RepoConfig.USER, c.agentToken());
    var limits = dev.agentdispatch.task.RepoLimits.of(c);
    assertEquals(3, limits.maxConcurrent());
    assertEquals(10, limits.weeklyBudget());
    assertEquals(Duration.ofMinutes(2), limits.startGap());
    assertEquals(4, limits.breakerWindow());
  }

  static Stream<Arguments> bad_files() {
    return Stream.of(
        Arguments.of("unknown key with a suggestion", "label: x\nmax_concurent_tasks: 3\n", 2,
            "unknown key 'max_concurent_tasks' (did you mean 'max_concurrent_tasks'?)"),
        Arguments.of("number out of range", "\n\nmax_concurrent_tasks: 0\n", 3,
            "max_concurrent_tasks must be a whole number from 1 to 100"),
        Arguments.of("number as text", "max_reviewers: two\n", 1, "max_reviewers must be a whole number"),
        Arguments.of("bad duration", "task_timeout: soon\n", 1, "task_timeout must be a duration"),
        Arguments.of("duration too long", "task_timeout: 2d\n", 1, "task_timeout must be a duration"),
        Arguments.of("bad boundary", "boundary: maybe\n", 1, "boundary must be off, warn or require"),
        Arguments.of("bad agent token mode", "agent_token: pat\n", 1, "agent_token must be service_account or user"),
        Arguments.of("bad failure mode", "on_failure: explode\n", 1, "on_failure must be close, keep-branch"),
        Arguments.of("bad late pull request", "label: x\nlate_pull_request: merge\n", 2,
            "late_pull_request must be close or keep, got 'merge'"),
        Arguments.of("command without slash", "command: copilot\n", 1, "command must be one word starting with '/'"),
        Arguments.of("list expected", "protected_paths: src/**\n", 1, "protected_paths must be a list of strings"),
        Arguments.of("nested user list", "allowed:\n  users:\n    - alice\n    - 'not a login'\n", 2,
            "allowed.users holds 'not a login'"),
        Arguments.of("empty module", "modules:\n  http: []\n", 2, "module 'http' must list at least one path glob"),
        Arguments.of("not a mapping", "- a\n- b\n", 1, "the file must be a mapping"),
        Arguments.of("yaml syntax error", "label: [unclosed\nmodel: x\n", 2, "not valid YAML"),
        Arguments.of("bad window hours", "dispatch_window:\n  days: weekdays\n  hours: nine to five\n", 3,
            "dispatch_window.hours must look like"),
        Arguments.of("bad window day", "dispatch_window:\n  days: [mon, someday]\n  hours: 09:00-17:00\n", 2,
            "dispatch_window.days holds 'someday'"),
        Arguments.of("bad breaker threshold", "circuit_breaker:\n  threshold: 2\n", 2,
            "circuit_breaker.threshold must be a share"),
        Arguments.of("unknown breaker key", "circuit_breaker:\n  cooldown: 1h\n", 2,
            "unknown key 'circuit_breaker.cooldown'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad_files")
  void a_bad_file_names_the_line_and_the_problem_and_changes_nothing(String name, String yaml, int line,
      String message) {
    RepoConfigParser.Parsed p = parse(yaml);
    assertEquals(1, p.problems().size(), p.problems().toString());
    ConfigProblem problem = p.problems().get(0);
    assertEquals(FILE, problem.file());
    assertEquals(line, problem.line(), problem.toString());
    assertTrue(problem.message().startsWith(message), problem.message());
    assertSame(RepoConfig.DEFAULTS, p.config());
  }

  @Test
  void every_problem_is_reported_at_once() {
    RepoConfigParser.Parsed p = parse("max_reviewers: 99\nboundary: maybe\nlabel: ''\n");
    assertEquals(List.of(1, 2, 3), p.problems().stream().map(ConfigProblem::line).sorted().toList());
  }

  @Test
  void automatic_model_means_no_model() {
    assertEquals(null, parse("model: automatic\n").config().model());
  }
}
