package dev.agentdispatch.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdispatch.store.AgentRunStore;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /copilot <instructions>} on the agent's pull request: a pr_followup task, limited, audited and relayed. */
class FollowUpTest {
  @TempDir Path dir;
  private TriggerWorld w;

  @BeforeEach
  void start() {
    w = new TriggerWorld(dir);
  }

  @AfterEach
  void stop() {
    w.close();
  }

  @Test
  void a_follow_up_is_queued_as_a_task_then_relayed_as_an_at_copilot_comment_with_the_agent_token()
      throws Exception {
    int pull = agentPullRequestFor(1);
    w.comment("bob", pull, "/copilot please add a test for the empty case");
    w.world.settle();

    Task f = w.world.app.taskQueue().findActive(TriggerWorld.REPO, pull).orElseThrow();
    assertEquals(Task.Kind.PR_FOLLOWUP, f.kind());
    assertEquals(TaskState.QUEUED, f.state());
    assertEquals("bob", f.triggeredBy());
    assertTrue(w.appComments(pull).get(0).startsWith("**Copilot follow-up: queued**"), w.appComments(pull).toString());

    w.world.clock.advance(Duration.ofMinutes(1)); // past the repository's start gap
    w.world.app.agentWorker().runDueWork();

    Task done = w.world.app.taskQueue().find(f.id()).orElseThrow();
    assertEquals(TaskState.DONE, done.state());
    assertEquals(pull, done.pullNumber());
    List<JsonNode> relayed = w.comments(pull).stream()
        .filter(c -> c.path("body").asText().startsWith("@copilot please add a test for the empty case")).toList();
    assertEquals(1, relayed.size(), w.comments(pull).toString());
    assertEquals("@copilot please add a test for the empty case\n\n<!-- (agent-dispatch task " + f.id() + " for "
        + TriggerWorld.REPO + "#" + pull + ") -->", relayed.get(0).path("body").asText(),
        "ends with the task's marker, hidden when shown: how a rescued follow-up finds it was relayed");
    assertEquals("alice", relayed.get(0).path("user").path("login").asText(), "made with AGENT_TOKEN (alice)");
    assertEquals("service_account",
        new AgentRunStore(w.world.app.database()).find(f.id()).orElseThrow().tokenMode());
    List<String> status = w.appComments(pull);
    assertEquals(1, status.size(), "the queued status comment was edited, not a second one: " + status);
    assertTrue(status.get(0).contains("relayed to Copilot"), status.get(0));
    assertEquals(1, w.audit("task.finished").stream().filter(r -> f.id() == r.taskId()).count());
    assertEquals(1, w.audit("task.queued").stream().filter(r -> f.id() == r.taskId()).count());
    // the simulated agent took the comment as a new session of its task
    assertEquals(2, w.world.github.state().tasks.values().iterator().next().sessions.size());
  }

  @Test
  void a_follow_up_is_rejected_with_a_comment_when_the_queue_is_full() throws Exception {
    w.config("max_queued_tasks: 1\n");
    int pull = agentPullRequestFor(1);
    w.label("bob", 2, "agent-task"); // queued, and the worker does not run: the queue is full
    w.world.settle();

    w.comment("bob", pull, "/copilot rename the helper");
    w.world.settle();

    assertTrue(w.world.app.taskQueue().findActive(TriggerWorld.REPO, pull).isEmpty());
    List<String> said = w.appComments(pull);
    assertEquals(1, said.size(), said.toString());
    assertTrue(said.get(0).startsWith("agent-dispatch did not queue this follow-up:"), said.get(0));
    assertTrue(said.get(0).contains("max_queued_tasks"), said.get(0));
    assertTrue(w.comments(pull).stream().noneMatch(c -> c.path("body").asText().startsWith("@copilot")));
    assertEquals(1, w.audit("trigger.rejected").size());
  }

  @Test
  void a_second_follow_up_while_one_waits_is_told_it_is_already_queued() throws Exception {
    int pull = agentPullRequestFor(1);
    w.comment("bob", pull, "/copilot first");
    w.comment("bob", pull, "/copilot second");
    w.world.settle();
    List<String> said = w.appComments(pull);
    assertEquals(2, said.size(), said.toString());
    assertTrue(said.get(1).contains("already has a follow-up"), said.get(1));
  }

  /** Labels the issue and runs the worker and the simulated agent until the task's pull request is open. */
  private int agentPullRequestFor(int issue) throws Exception {
    w.label("bob", issue, "agent-task");
    w.world.settle();
    Task t = w.world.app.taskQueue().findActive(TriggerWorld.REPO, issue).orElseThrow();
    for (int i = 0; i < 100 && w.world.app.taskQueue().find(t.id()).orElseThrow().state() != TaskState.PR_OPEN; i++) {
      w.world.app.agentWorker().runDueWork();
      w.world.clock.advance(Duration.ofSeconds(5));
      w.world.github.agent().runDueWork();
      w.world.settle();
    }
    Task open = w.world.app.taskQueue().find(t.id()).orElseThrow();
    assertEquals(TaskState.PR_OPEN, open.state());
    return open.pullNumber();
  }
}
