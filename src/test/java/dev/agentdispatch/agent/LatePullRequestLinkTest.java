package dev.agentdispatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.TestApp;
import dev.agentdispatch.config.RepoConfig;
import dev.agentdispatch.sandbox.DemoWorld;
import dev.agentdispatch.store.AuditStore;
import dev.agentdispatch.task.Change;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskQueue;
import dev.agentdispatch.task.TaskRequest;
import dev.agentdispatch.task.TaskState;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a late pull request finds its task: head branch, then agent task id, then the issue its body closes. */
class LatePullRequestLinkTest {
  @TempDir Path dir;
  private TestApp world;
  private TaskQueue queue;
  private LatePullRequest late;

  @BeforeEach
  void start() {
    world = TestApp.start(dir, h -> { });
    queue = world.app.taskQueue();
    late = new LatePullRequest(world.app.github(), queue, r -> RepoConfig.DEFAULTS, world.app.audit(),
        new AuditStore(world.app.database()), Notifier.none(), world.clock);
  }

  @AfterEach
  void stop() {
    world.close();
  }

  @Test
  void the_head_branch_wins_then_the_agent_task_id_then_a_closed_issue() {
    Task byHead = cancelledAfterStart(1, "agent-1", "copilot/fix-one");
    Task byId = cancelledAfterStart(2, "agent-2", null);
    Task byIssue = cancelledAfterStart(3, null, null);

    assertEquals(byHead.id(), late.link(DemoWorld.REPO, "copilot/fix-one", "Task: agent-2").orElseThrow().id());
    assertEquals(byId.id(), late.link(DemoWorld.REPO, "copilot/other", "Task: agent-2\nFixes #3").orElseThrow().id());
    assertEquals(byIssue.id(), late.link(DemoWorld.REPO, "copilot/other", "This fixes #3.").orElseThrow().id());
    assertTrue(late.link(DemoWorld.REPO, "copilot/other", "About #3, nothing closed").isEmpty());
    assertTrue(late.link("octo-demo/elsewhere", "copilot/fix-one", "Task: agent-2").isEmpty());
  }

  @Test
  void an_issue_with_an_active_task_keeps_its_pull_request() {
    cancelledAfterStart(3, null, null);
    queue.enqueue(request(3, "d-again"));
    assertTrue(late.link(DemoWorld.REPO, "copilot/new-work", "Fixes #3").isEmpty());
  }

  @Test
  void a_task_cancelled_before_it_started_has_no_late_pull_request() {
    Task t = queue.enqueue(request(4, "d-4")).task();
    queue.cancel(t.id(), "test");
    assertTrue(late.link(DemoWorld.REPO, "copilot/x", "Fixes #4").isEmpty());
  }

  /** A task claimed (started), given an agent task id and head branch, then cancelled by a person. */
  private Task cancelledAfterStart(int issue, String agentTaskId, String head) {
    Task t = queue.enqueue(request(issue, "d-" + issue)).task();
    world.clock.advance(java.time.Duration.ofMinutes(1)); // past the start gaps
    Task claimed = queue.claimNext("test").orElseThrow();
    assertEquals(t.id(), claimed.id());
    if (agentTaskId != null) {
      assertTrue(queue.transition(t.id(), TaskState.STARTING, TaskState.RUNNING,
          new Change("test", null, agentTaskId, head, null)));
    }
    assertTrue(queue.cancel(t.id(), "cancelled by @bob"));
    return queue.find(t.id()).orElseThrow();
  }

  private static TaskRequest request(int issue, String delivery) {
    return new TaskRequest(DemoWorld.REPO, null, issue, Task.Kind.ISSUE, Task.Trigger.LABEL, "bob", delivery,
        "Work on #" + issue, null, null, null);
  }
}
