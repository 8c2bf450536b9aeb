package dev.agentdispatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.App;
import dev.agentdispatch.TestApp;
import dev.agentdispatch.config.Settings;
import dev.agentdispatch.sandbox.DemoWorld;
import dev.agentdispatch.sandbox.GitHubSimulator;
import dev.agentdispatch.sandbox.SimClock;
import dev.agentdispatch.store.TaskStore;
import dev.agentdispatch.task.Limits;
import dev.agentdispatch.task.RepoLimits;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskQueue;
import dev.agentdispatch.task.TaskRequest;
import dev.agentdispatch.task.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker as App wires it: AGENT_TOKEN from the settings, task_timeout read from the repository's config. */
class AppAgentWorkerTest {
  @TempDir
  Path dir;

  @Test
  void the_apps_worker_takes_a_queued_task_to_an_open_pull_request_with_agent_token() {
    SimClock clock = SimClock.fixed(AgentKit.START);
    GitHubSimulator sim = DemoWorld.seed(new GitHubSimulator(clock)).start(0);
    Map<String, String> env = TestApp.environment(sim, "jdbc:sqlite:" + dir.resolve("app.db"));
    env.put("AGENT_TOKEN", sim.tokenOf("alice"));
    try (App app = App.builder(Settings.fromEnv(env)).clock(clock).manualDispatch().build().start("127.0.0.1")) {
      TaskQueue queue = new TaskQueue(new TaskStore(app.database()), clock, Limits.DEFAULTS, r -> RepoLimits.DEFAULTS);
      Task t = queue.enqueue(new TaskRequest(DemoWorld.REPO, null, 2, Task.Kind.ISSUE, Task.Trigger.LABEL, "bob",
          "d-1", "Add a health endpoint", null, null, null)).task();
      AgentWorker worker = app.agentWorker();

      worker.runDueWork();
      for (int i = 0; i < 100 && queue.find(t.id()).orElseThrow().state() == TaskState.RUNNING; i++) {
        clock.advance(Duration.ofSeconds(5));
        sim.agent().runDueWork();
        worker.runDueWork();
      }

      Task done = queue.find(t.id()).orElseThrow();
      assertEquals(TaskState.PR_OPEN, done.state());
      assertTrue(done.headRef().startsWith("copilot/"));
      assertEquals("alice", sim.state().tasks.values().iterator().next().creator.login);
      assertTrue(sim.exchanges().stream().anyMatch(e -> e.operation().startsWith("GET /repos/{owner}/{repo}/contents/")),
          "task_timeout read from .github/agent-dispatch.yml");
    } finally {
      sim.stop();
    }
  }
}
