package dev.agentdispatch.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.sandbox.Outcome;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What people are told about the queue: retry, a full queue, a broken config, a cancelled queued task. */
class QueueRepliesTest {
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
  void retry_queues_a_failed_task_again() throws Exception {
    w.world.github.agent().scriptNext(Outcome.failure("the build broke"));
    w.label("bob", 1, "agent-task");
    w.world.settle();
    Task first = w.world.app.taskQueue().findActive(TriggerWorld.REPO, 1).orElseThrow();
    for (int i = 0; i < 100 && w.world.app.taskQueue().find(first.id()).orElseThrow().state() != TaskState.FAILED;
        i++) {
      w.world.app.agentWorker().runDueWork();
      w.world.clock.advance(Duration.ofSeconds(10));
      w.world.github.agent().runDueWork();
    }
    assertEquals(TaskState.FAILED, w.world.app.taskQueue().find(first.id()).orElseThrow().state());

    w.comment("bob", 1, "/copilot retry");
    w.world.settle();

    Task again = w.world.app.taskQueue().findActive(TriggerWorld.REPO, 1).orElseThrow();
    assertNotEquals(first.id(), again.id());
    assertEquals(TaskState.QUEUED, again.state());
    assertEquals(Task.Trigger.COMMAND, again.trigger());
    assertEquals(first.prompt(), again.prompt(), "the same issue, the same prompt");
    assertEquals(2, w.audit("task.queued").size());
  }

  @Test
  void retry_without_a_failed_task_says_there_is_nothing_to_retry() throws Exception {
    w.comment("bob", 1, "/copilot retry");
    w.world.settle();
    List<String> said = w.appComments(1);
    assertEquals(1, said.size(), said.toString());
    assertTrue(said.get(0).startsWith("Nothing to retry"), said.get(0));
  }

  @Test
  void a_full_queue_rejects_a_label_with_a_comment_naming_the_limit() throws Exception {
    w.config("max_queued_tasks: 1\n");
    w.label("bob", 1, "agent-task");
    w.world.settle();
    w.label("bob", 2, "agent-task");
    w.world.settle();

    assertTrue(w.world.app.taskQueue().findActive(TriggerWorld.REPO, 2).isEmpty());
    List<String> said = w.appComments(2);
    assertEquals(1, said.size(), said.toString());
    assertTrue(said.get(0).startsWith("agent-dispatch did not queue this task:"), said.get(0));
    assertTrue(said.get(0).contains("max_queued_tasks"), said.get(0));
    assertEquals(1, w.audit("trigger.rejected").size());
  }

  @Test
  void an_invalid_config_is_told_with_its_line_and_the_last_valid_config_stays() throws Exception {
    w.config("max_queued_tasks: 1\n");
    w.label("bob", 1, "agent-task"); // reads the valid config: one queued task fills the queue
    w.world.settle();

    w.config("max_queued_tasks: 1\nmax_concurent_tasks: 3\n");
    w.world.clock.advance(RepoConfigs.TTL.plusSeconds(1)); // past the config cache
    w.label("bob", 2, "agent-task");
    w.world.settle();

    List<String> said = w.appComments(2);
    assertEquals(2, said.size(), said.toString());
    assertTrue(said.get(0).contains("keeps using the last valid one"), said.get(0));
    assertTrue(said.get(0).contains(".github/agent-dispatch.yml:2: unknown key 'max_concurent_tasks'"), said.get(0));
    // the last valid config (max_queued_tasks: 1), not the defaults (20), still holds the queue
    assertTrue(said.get(1).contains("max_queued_tasks"), said.get(1));
    assertTrue(w.world.app.taskQueue().findActive(TriggerWorld.REPO, 2).isEmpty());
  }

  @Test
  void cancelling_a_queued_task_edits_its_status_comment() throws Exception {
    w.label("bob", 1, "agent-task");
    w.world.settle();
    Task t = w.world.app.taskQueue().findActive(TriggerWorld.REPO, 1).orElseThrow();
    assertTrue(w.appComments(1).get(0).startsWith("**Copilot agent: queued**"));

    w.comment("bob", 1, "/copilot cancel");
    w.world.settle();

    assertEquals(TaskState.CANCELLED, w.world.app.taskQueue().find(t.id()).orElseThrow().state());
    List<String> said = w.appComments(1);
    assertEquals(2, said.size(), "the status comment and the answer: " + said);
    assertTrue(said.get(0).startsWith("**Copilot agent: cancelled**"), said.get(0));
    assertTrue(said.get(0).contains("Cancelled by @bob while it was queued"), said.get(0));
    assertTrue(said.get(1).contains("was still queued"), said.get(1));
  }
}
