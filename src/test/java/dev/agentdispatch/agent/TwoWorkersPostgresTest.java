package dev.agentdispatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.App;
import dev.agentdispatch.TestApp;
import dev.agentdispatch.config.Settings;
import dev.agentdispatch.sandbox.DemoWorld;
import dev.agentdispatch.sandbox.GitHubSimulator;
import dev.agentdispatch.sandbox.SimClock;
import dev.agentdispatch.store.PostgresPerClass;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskRequest;
import dev.agentdispatch.task.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two app instances on one PostgreSQL database, their agent workers' passes run at the same moment, many tasks
 * across three repositories: every task reaches its pull request, and the simulator saw exactly one agent task
 * created per task (no task started twice).
 */
class TwoWorkersPostgresTest {
  static final int PER_REPO = 8;
  static final List<String> REPOS = List.of(DemoWorld.REPO, "octo-demo/api", "octo-demo/docs");
  static final String CONFIG = "max_concurrent_tasks: 4\nmax_open_pull_requests: 100\nmin_start_gap: 0s\n";
  @RegisterExtension
  static final PostgresPerClass pg = new PostgresPerClass();

  @Test
  void two_workers_share_the_queue_and_no_task_is_started_twice() throws Exception {
    SimClock clock = SimClock.fixed(AgentKit.START);
    GitHubSimulator sim = DemoWorld.seed(new GitHubSimulator(clock)).start(0);
    sim.agent().timings(Duration.ofSeconds(5), Duration.ofSeconds(40));
    String url = pg.freshDatabase();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (App a = app(sim, clock, url); App b = app(sim, clock, url)) {
      List<Task> tasks = new ArrayList<>();
      for (String repo : REPOS) {
        if (!repo.equals(DemoWorld.REPO)) {
          sim.world().repo(repo, "main", false, Map.of("README.md", "# " + repo + "\n"));
          sim.world().collaborator(repo, "alice", "admin");
          sim.world().collaborator(repo, "bob", "write");
        }
        sim.world().branch(repo, "main", "main", Map.of(".github/agent-dispatch.yml", CONFIG));
        for (int i = 0; i < PER_REPO; i++) {
          int n = sim.world().issue(repo, "bob", "Task " + i, "Do thing " + i, List.of());
          App via = i % 2 == 0 ? a : b; // both instances queue
          tasks.add(via.taskQueue().enqueue(new TaskRequest(repo, null, n, Task.Kind.ISSUE, Task.Trigger.LABEL,
              "bob", "d-" + repo + "-" + n, "Do thing " + i + " in " + repo, null, null, null)).task());
        }
      }

      CyclicBarrier together = new CyclicBarrier(2);
      int byA = 0;
      int byB = 0;
      for (int round = 0; round < 400 && !allOpen(a, tasks); round++) {
        Future<Integer> fa = pool.submit(() -> {
          together.await(10, TimeUnit.SECONDS);
          return a.agentWorker().runDueWork();
        });
        Future<Integer> fb = pool.submit(() -> {
          together.await(10, TimeUnit.SECONDS);
          return b.agentWorker().runDueWork();
        });
        byA += fa.get(60, TimeUnit.SECONDS);
        byB += fb.get(60, TimeUnit.SECONDS);
        clock.advance(Duration.ofSeconds(6));
        sim.agent().runDueWork();
      }

      assertTrue(byA > 0 && byB > 0, "both instances worked: " + byA + " and " + byB);
      for (Task t : tasks) {
        Task end = a.taskQueue().find(t.id()).orElseThrow();
        assertEquals(TaskState.PR_OPEN, end.state(), "task " + t.id() + ": " + end);
        assertTrue(end.headRef().startsWith("copilot/"), end.headRef());
      }
      int created = sim.state().tasks.size();
      assertEquals(tasks.size(), created, "one agent task per task, none started twice");
      long creates = sim.exchanges().stream()
          .filter(e -> e.operation().startsWith("POST /agents/repos/") && e.status() < 300).count();
      assertEquals(tasks.size(), creates);
      Set<String> agentIds = new HashSet<>();
      for (Task t : tasks) {
        Task end = a.taskQueue().find(t.id()).orElseThrow();
        assertTrue(agentIds.add(end.agentTaskId()), "agent task " + end.agentTaskId() + " linked twice");
      }
      assertEquals(tasks.size(), sim.state().tasks.values().stream().map(x -> x.prompt).distinct().count(),
          "each task's prompt was sent once");
    } finally {
      pool.shutdownNow();
      sim.stop();
    }
  }

  private static boolean allOpen(App app, List<Task> tasks) {
    return tasks.stream().allMatch(t -> app.taskQueue().find(t.id()).orElseThrow().state() == TaskState.PR_OPEN);
  }

  private static App app(GitHubSimulator sim, SimClock clock, String url) {
    Map<String, String> env = TestApp.environment(sim, url);
    return App.builder(Settings.fromEnv(env)).clock(clock).manualDispatch().build().start("127.0.0.1");
  }
}
