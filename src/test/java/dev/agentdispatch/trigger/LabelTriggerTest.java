package dev.agentdispatch.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.audit.TaskReport;
import dev.agentdispatch.store.ReportStore;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskState;
import dev.agentdispatch.webhook.Delivery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent label end to end: a person labels an issue in the simulator, the app queues, starts and reports. */
class LabelTriggerTest {
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
  void a_label_by_a_writer_runs_the_agent_to_a_pull_request_with_one_status_comment_audit_and_report() throws Exception {
    w.label("bob", 2, "agent-task");
    w.world.settle();

    Task queued = w.world.app.taskQueue().findActive(TriggerWorld.REPO, 2).orElseThrow();
    assertEquals(TaskState.QUEUED, queued.state());
    assertEquals("bob", queued.triggeredBy());
    assertTrue(queued.prompt().contains("Add a health endpoint"), queued.prompt());
    List<String> comments = w.appComments(2);
    assertEquals(1, comments.size(), comments.toString());
    assertTrue(comments.get(0).contains("queued") && comments.get(0).contains("position 1"), comments.get(0));
    assertTrue(comments.get(0).contains("Note: this task was started without"), "the warn note: " + comments.get(0));

    for (int i = 0; i < 100 && !w.world.app.taskQueue().find(queued.id()).orElseThrow().state().isFinal()
        && w.world.app.taskQueue().find(queued.id()).orElseThrow().state() != TaskState.PR_OPEN; i++) {
      w.world.app.agentWorker().runDueWork();
      w.world.clock.advance(Duration.ofSeconds(5));
      w.world.github.runDueWork();
    }

    Task done = w.world.app.taskQueue().find(queued.id()).orElseThrow();
    assertEquals(TaskState.PR_OPEN, done.state());
    assertTrue(done.headRef().startsWith("copilot/"), done.headRef());
    List<String> after = w.appComments(2);
    assertEquals(1, after.size(), "the queued comment is the one the worker edits: " + after);
    assertTrue(after.get(0).contains("/pull/" + done.pullNumber()), after.get(0));
    assertEquals(1, w.audit("task.queued").size());
    assertEquals("bob", w.audit("task.queued").get(0).actor());
    assertTrue(w.audit("task.queued").get(0).input().contains("Add a health endpoint"));
    assertEquals(1, w.audit("task.finished").size());

    TaskReport report = TaskReport.of(new ReportStore(w.world.app.database()).tasks(0, Long.MAX_VALUE));
    assertEquals(1, report.total().tasks());
    assertEquals(TriggerWorld.REPO, report.rows().get(0).repository());
  }

  @Test
  void a_triager_without_write_is_told_why_once_and_the_label_is_removed() throws Exception {
    w.world.github.world().collaborator(TriggerWorld.REPO, "carol", "triage"); // may label; the API says read
    w.label("carol", 2, "agent-task");
    w.world.settle();

    assertTrue(w.world.app.taskQueue().findActive(TriggerWorld.REPO, 2).isEmpty());
    List<String> comments = w.appComments(2);
    assertEquals(1, comments.size(), comments.toString());
    assertTrue(comments.get(0).contains("@carol has read access"), comments.get(0));
    assertTrue(!w.labels(2).contains("agent-task"), "label removed");
    assertEquals(1, w.audit("trigger.refused").size());
  }

  @Test
  void a_bot_sender_is_ignored() throws Exception {
    w.world.github.world().asUserLabel(TriggerWorld.REPO, 2, w.world.github.appSlug() + "[bot]", "agent-task");
    w.world.settle();

    assertTrue(w.world.app.taskQueue().findActive(TriggerWorld.REPO, 2).isEmpty());
    assertEquals(List.of(), w.appComments(2));
  }

  @Test
  void labeling_twice_makes_one_task_and_says_already_queued() throws Exception {
    w.label("bob", 2, "agent-task");
    w.world.settle();
    w.asUser("bob", "DELETE", "/repos/" + TriggerWorld.REPO + "/issues/2/labels/agent-task", null);
    w.label("alice", 2, "agent-task");
    w.world.settle();

    List<String> comments = w.appComments(2);
    assertEquals(2, comments.size(), comments.toString());
    assertTrue(comments.get(1).contains("already has a Copilot agent task"), comments.get(1));
    assertEquals(1, w.audit("task.queued").size());
  }

  @Test
  void the_same_delivery_handled_twice_makes_one_task_and_one_comment() throws Exception {
    w.world.github.world().collaborator(TriggerWorld.REPO, "carol", "triage");
    w.label("carol", 1, "agent-task");
    w.label("bob", 2, "agent-task");
    w.world.settle();
    LabelTrigger again = new LabelTrigger(w.kit());
    for (Delivery d : w.labeled) {
      again.handle(d);
    }

    assertEquals(1, w.appComments(2).size(), w.appComments(2).toString());
    assertEquals(1, w.appComments(1).size(), "the refusal is posted once: " + w.appComments(1));
    assertEquals(1, w.audit("task.queued").size());
    assertEquals(1, w.audit("trigger.refused").size());
  }

  @Test
  void the_same_delivery_handled_again_after_a_busy_day_is_still_answered_once() throws Exception {
    w.world.github.world().collaborator(TriggerWorld.REPO, "carol", "triage");
    w.label("carol", 1, "agent-task");
    w.world.settle();
    for (int i = 0; i < 600; i++) {  // carol keeps asking elsewhere in the repository
      w.world.app.audit().record(dev.agentdispatch.audit.AuditEvent.of(w.world.clock.instant(), "trigger.refused",
          "refused").withDelivery("later-" + i, null, TriggerWorld.REPO, "carol").withIo("label", "#99: refused"));
    }
    LabelTrigger again = new LabelTrigger(w.kit());
    for (Delivery d : w.labeled) {
      again.handle(d);
    }

    assertEquals(1, w.appComments(1).size(), "the refusal is posted once: " + w.appComments(1));
  }

  @Test
  void boundary_require_holds_the_task_and_an_edit_that_adds_the_boundary_queues_it() throws Exception {
    w.config("label: agent-task\nboundary: require\n");
    w.label("bob", 2, "agent-task");
    w.world.settle();

    assertTrue(w.world.app.taskQueue().findActive(TriggerWorld.REPO, 2).isEmpty());
    List<String> comments = w.appComments(2);
    assertEquals(1, comments.size(), comments.toString());
    assertTrue(comments.get(0).contains("requires a task boundary"), comments.get(0));
    assertTrue(w.labels(2).contains("agent-task"), "the label stays");
    assertEquals(1, w.audit("trigger.held").size());

    w.editBody("bob", 2, "GET /healthz should answer 200.\n\nScope: src/**\nDone when: checks pass\n");
    w.world.settle();

    Task t = w.world.app.taskQueue().findActive(TriggerWorld.REPO, 2).orElseThrow();
    assertEquals(List.of("src/**"), List.of(t.scope()));
    assertEquals(2, w.appComments(2).size());
    assertEquals(1, w.audit("task.queued").size());
  }
}
