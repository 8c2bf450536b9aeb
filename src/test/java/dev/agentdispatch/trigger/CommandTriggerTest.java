package dev.agentdispatch.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /copilot} commands written as comments in the simulator, answered by the app. */
class CommandTriggerTest {
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
  void help_lists_the_commands_and_the_comment_gets_eyes() throws Exception {
    long id = w.comment("bob", 1, "/copilot help").path("id").asLong();
    w.world.settle();

    List<String> answers = w.appComments(1);
    assertEquals(1, answers.size(), answers.toString());
    assertTrue(answers.get(0).contains("`/copilot cancel`"), answers.get(0));
    assertTrue(w.world.github.exchanges().stream().anyMatch(e -> e.path().endsWith("/issues/comments/" + id + "/reactions")
        && e.status() < 300 && e.body().path("content").asText().equals("eyes")), "eyes reaction");
  }

  @Test
  void instructions_on_an_issue_queue_a_task_and_status_then_cancel_drop_it() throws Exception {
    w.comment("bob", 2, "/copilot add a /healthz route");
    w.world.settle();
    Task t = w.world.app.taskQueue().findActive(TriggerWorld.REPO, 2).orElseThrow();
    assertEquals(Task.Trigger.COMMAND, t.trigger());
    assertTrue(t.prompt().startsWith("Requested in a comment"), t.prompt());

    w.comment("bob", 2, "/copilot status");
    w.world.settle();
    List<String> answers = w.appComments(2);
    assertTrue(answers.get(answers.size() - 1).contains("queued, position 1"), answers.toString());

    w.comment("bob", 2, "/copilot cancel");
    w.world.settle();
    assertEquals(TaskState.CANCELLED, w.world.app.taskQueue().find(t.id()).orElseThrow().state());
    answers = w.appComments(2);
    assertTrue(answers.get(answers.size() - 1).contains("was still queued"), answers.toString());
    assertEquals(1, w.audit("command.cancel").size());
  }

  @Test
  void resume_by_a_writer_is_refused_and_a_quoted_command_is_ignored() throws Exception {
    w.comment("bob", 1, "/copilot resume");
    w.comment("bob", 1, "> /copilot help\nthat is how you ask for help");
    w.world.settle();

    List<String> answers = w.appComments(1);
    assertEquals(1, answers.size(), answers.toString());
    assertTrue(answers.get(0).contains("needs admin access"), answers.get(0));
    assertEquals(1, w.audit("trigger.refused").size());

    w.comment("alice", 1, "/copilot resume");
    w.world.settle();
    assertTrue(w.appComments(1).get(1).contains("open again"), w.appComments(1).toString());
  }

  @Test
  void a_reader_gets_one_refusal_and_no_task() throws Exception {
    w.comment("carol", 2, "/copilot do it");
    w.world.settle();

    assertTrue(w.world.app.taskQueue().findActive(TriggerWorld.REPO, 2).isEmpty());
    List<String> answers = w.appComments(2);
    assertEquals(1, answers.size(), answers.toString());
    assertTrue(answers.get(0).contains("@carol has read access"), answers.get(0));
  }
}
