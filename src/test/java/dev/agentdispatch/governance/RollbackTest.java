package dev.agentdispatch.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.agent.Notifier;
import dev.agentdispatch.github.Permissions;
import dev.agentdispatch.github.RepoRef;
import dev.agentdispatch.store.AgentRunStore;
import dev.agentdispatch.store.AuditStore;
import dev.agentdispatch.store.JudgementStore;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskState;
import dev.agentdispatch.trigger.RepoConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollback against the simulator over HTTP: each failure mode once rollback_grace has passed since GitHub's time
 * of the deciding event, nothing within the grace, one rollback however many sweeps or instances, and no branch
 * outside copilot/ ever deleted.
 */
class RollbackTest {
  static final String CONFIG = "label: agent-task\nrollback_grace: 1h\n";
  @TempDir Path dir;
  private JudgeWorld w;

  @AfterEach
  void stop() {
    if (w != null) {
      w.close();
    }
  }

  /** A task judged needs_attention by a failed check, with {@code onFailure}. */
  private Task failing(String onFailure) throws Exception {
    w = new JudgeWorld(dir, CONFIG);
    Task t = w.openTask(JudgingTest.SCOPE + "Done when: checks pass\nOn failure: " + onFailure + "\n");
    w.check(t, "build", "failure");
    assertEquals("needs_attention", w.judgement(t.id()).outcome());
    return t;
  }

  /** The task's rollback steps in the audit, oldest first. */
  private List<String> steps(Task t) {
    return w.audit("task.rollback").stream().filter(a -> a.taskId() == t.id())
        .sorted(java.util.Comparator.comparingLong(AuditStore.Row::id)).map(AuditStore.Row::outcome).toList();
  }

  @Test
  void within_the_grace_nothing_happens() throws Exception {
    Task t = failing("close");
    w.world.clock.advance(Duration.ofMinutes(59));
    w.world.app.sweepJudgements();

    assertTrue(steps(t).isEmpty());
    assertEquals("open", w.pull(t).path("state").asText());
    assertTrue(w.branchExists(t.headRef()));
    assertEquals(TaskState.PR_OPEN, w.task(t.id()).state());
  }

  @Test
  void close_comments_closes_and_deletes_the_copilot_branch_once_however_often_it_sweeps() throws Exception {
    Task t = failing("close");
    w.world.clock.advance(Duration.ofMinutes(61));
    Governance.Swept first = w.world.app.sweepJudgements();
    w.world.settle();  // the pull_request.closed the close caused
    Governance.Swept second = w.world.app.sweepJudgements();

    assertEquals(1, first.rolledBack());
    assertEquals(0, second.rolledBack());
    assertEquals(List.of("explained", "closed", "branch_deleted", "task_ended"), steps(t));
    assertEquals("closed", w.pull(t).path("state").asText());
    assertFalse(w.pull(t).path("merged").asBoolean());
    assertFalse(w.branchExists(t.headRef()));
    List<String> onPull = w.appComments(t.pullNumber());
    assertEquals(1, onPull.size(), onPull.toString());
    assertTrue(onPull.get(0).contains("judged **needs attention**") && onPull.get(0).contains("grace of 1h")
        && onPull.get(0).contains("`" + t.headRef() + "` is deleted"), onPull.get(0));
    Task ended = w.task(t.id());
    assertEquals(TaskState.FAILED, ended.state());
    assertTrue(ended.error().startsWith("rolled back (close)"), ended.error());
    assertTrue(w.statusComment(t).contains("**Copilot agent: rolled back: needs attention**"), w.statusComment(t));
    assertNotNull(w.judgement(t.id()).rollbackDoneAt());
  }

  @Test
  void two_instances_sweeping_the_same_database_roll_back_once() throws Exception {
    Task t = failing("close");
    w.world.clock.advance(Duration.ofHours(2));
    Governance other = new Governance(w.world.app.taskQueue(), new JudgementStore(w.world.app.database()),
        new AgentRunStore(w.world.app.database()), w.world.app.github(), w.world.app.audit(), Notifier.none(),
        w.world.clock, "other-instance", RepoConfigs.fromGitHub(w.world.app.github())::config);

    int done = other.sweep().rolledBack() + w.world.app.sweepJudgements().rolledBack() + other.sweep().rolledBack();

    assertEquals(1, done);
    assertEquals(List.of("explained", "closed", "branch_deleted", "task_ended"), steps(t));
    assertEquals(1, w.appComments(t.pullNumber()).size());
  }

  @Test
  void close_never_deletes_a_branch_outside_copilot() throws Exception {
    Task t = failing("close");
    // the task's pull request comes from a person's branch (the agent worker refuses such work; a task can still
    // point at one, e.g. by a row written before that guard): the rollback closes it and leaves the branch
    String sha = w.world.github.world().branch(JudgeWorld.REPO, "feature/health", "main", Map.of("agent/x.md", "x"));
    int pr = w.asUser("bob", "POST", "/repos/" + JudgeWorld.REPO + "/pulls",
        "{\"title\":\"Health\",\"head\":\"feature/health\",\"base\":\"main\"}").path("number").asInt();
    w.world.app.database().write(c -> {
      try (var ps = c.prepareStatement("UPDATE agent_task SET head_ref = 'feature/health', pull_number = ?"
          + " WHERE id = ?")) {
        ps.setInt(1, pr);
        ps.setLong(2, t.id());
        return ps.executeUpdate();
      }
    });
    w.world.settle();
    w.world.clock.advance(Duration.ofHours(2));
    w.world.app.sweepJudgements();

    assertEquals(List.of("explained", "closed", "branch_kept", "task_ended"), steps(t));
    assertTrue(w.branchExists("feature/health"), "never deleted");
    assertEquals(sha, w.world.github.world().headSha(JudgeWorld.REPO, pr));
    assertEquals("closed", w.asUser("alice", "GET", "/repos/" + JudgeWorld.REPO + "/pulls/" + pr, null)
        .path("state").asText());
    String explained = w.appComments(pr).get(0);
    assertTrue(explained.contains("not under `copilot/`"), explained);
    assertTrue(w.world.github.writeLog().stream().noneMatch(l -> l.contains("delete-ref") && l.contains("feature/")),
        w.world.github.writeLog().toString());
  }

  @Test
  void a_step_github_refuses_is_retried_by_a_later_sweep_after_the_lease_without_repeating_earlier_steps()
      throws Exception {
    Task t = failing("close");
    w.world.clock.advance(Duration.ofMinutes(61));
    w.world.github.faults().serverError("PATCH", "/repos/.*/pulls/\\d+", 1, 422);
    assertEquals(0, w.world.app.sweepJudgements().rolledBack());
    assertEquals(List.of("explained", "error"), steps(t));
    assertEquals("open", w.pull(t).path("state").asText());

    w.world.app.sweepJudgements();
    assertEquals(List.of("explained", "error"), steps(t), "another sweep waits for the lease");
    w.world.clock.advance(Rollback.LEASE.plusSeconds(1));
    assertEquals(1, w.world.app.sweepJudgements().rolledBack());
    assertEquals(List.of("explained", "error", "closed", "branch_deleted", "task_ended"), steps(t));
    assertEquals(1, w.appComments(t.pullNumber()).size(), "the explanation is not repeated");
    assertEquals("closed", w.pull(t).path("state").asText());
  }

  /** What an instance that died after posting a step's comment, before recording the step, left behind. */
  private void postedBeforeACrash(long taskId, int number, String step) {
    w.world.app.github().gateway(RepoRef.of(JudgeWorld.REPO), Permissions.ISSUES_WRITE)
        .createIssueComment(number, "agent-dispatch is closing this pull request: ...\n\n" + Rollback.marker(taskId, step));
  }

  @Test
  void a_comment_posted_before_a_crash_is_recorded_as_its_step_and_not_posted_again() throws Exception {
    Task t = failing("close");
    w.world.clock.advance(Duration.ofMinutes(61));
    postedBeforeACrash(t.id(), t.pullNumber(), "explained");

    assertEquals(1, w.world.app.sweepJudgements().rolledBack());

    assertEquals(List.of("explained", "closed", "branch_deleted", "task_ended"), steps(t));
    assertEquals(1, w.appComments(t.pullNumber()).size(), w.appComments(t.pullNumber()).toString());
    assertEquals("closed", w.pull(t).path("state").asText());
  }

  @Test
  void another_tasks_or_another_steps_comment_does_not_count_as_posted() throws Exception {
    Task t = failing("close");
    w.world.clock.advance(Duration.ofMinutes(61));
    postedBeforeACrash(t.id() + 1, t.pullNumber(), "explained");  // another task's
    postedBeforeACrash(t.id(), t.pullNumber(), "owner_mentioned");  // another step's

    w.world.app.sweepJudgements();

    List<String> explained = w.appComments(t.pullNumber()).stream()
        .filter(c -> c.contains(Rollback.marker(t.id(), "explained"))).toList();
    assertEquals(1, explained.size(), w.appComments(t.pullNumber()).toString());
    assertTrue(explained.get(0).contains("judged **needs attention**"), explained.get(0));
  }

  @Test
  void keep_branch_closes_the_pull_request_and_keeps_its_branch() throws Exception {
    Task t = failing("keep-branch");
    w.world.clock.advance(Duration.ofMinutes(61));
    w.world.app.sweepJudgements();

    assertEquals(List.of("explained", "closed", "branch_kept", "task_ended"), steps(t));
    assertEquals("closed", w.pull(t).path("state").asText());
    assertTrue(w.branchExists(t.headRef()));
    assertTrue(w.appComments(t.pullNumber()).get(0).contains("kept for a person to pick up"));
    assertEquals(TaskState.FAILED, w.task(t.id()).state());
  }

  @Test
  void notify_mentions_the_owner_on_the_issue_sends_a_notice_and_leaves_the_pull_request_open() throws Exception {
    Task t = failing("notify @alice");
    w.world.clock.advance(Duration.ofMinutes(61));
    w.world.app.sweepJudgements();
    w.world.app.sweepJudgements();

    assertEquals(List.of("owner_mentioned", "owner_notified"), steps(t));
    List<String> mentions = w.appComments(JudgeWorld.ISSUE).stream().filter(c -> c.startsWith("@alice")).toList();
    assertEquals(1, mentions.size(), mentions.toString());
    assertTrue(mentions.get(0).contains("needs attention") && mentions.get(0).contains("stays open"), mentions.get(0));
    List<Notifier.Notice> rollbacks = w.notices.sent.stream().filter(x -> x.event().equals("task.rollback")).toList();
    assertEquals(1, rollbacks.size(), w.notices.sent.toString()); // task.finished (pr_open) came before
    Notifier.Notice n = rollbacks.get(0);
    assertEquals("task.rollback", n.event());
    assertEquals("needs_attention", n.outcome());
    assertEquals(t.id(), n.taskId());
    assertTrue(n.url().endsWith("/pull/" + t.pullNumber()), n.url());
    assertEquals("open", w.pull(t).path("state").asText());
    assertEquals(TaskState.PR_OPEN, w.task(t.id()).state());
    assertTrue(w.branchExists(t.headRef()));
  }

  @Test
  void a_timed_out_task_is_rolled_back_to_timed_out_grace_counted_from_the_deadline() throws Exception {
    w = new JudgeWorld(dir, CONFIG);
    Task t = w.openTask(JudgingTest.SCOPE + "Done when: checks pass\nTimeout: 30m\nOn failure: close\n");
    w.world.clock.advance(Duration.ofMinutes(45));
    w.world.app.sweepJudgements();   // times out (deadline at +30m); the grace ends at +1h30m
    assertEquals("timed_out", w.judgement(t.id()).outcome());
    assertTrue(steps(t).isEmpty());

    w.world.clock.advance(Duration.ofMinutes(44));
    w.world.app.sweepJudgements();
    assertTrue(steps(t).isEmpty(), "grace not over yet");
    w.world.clock.advance(Duration.ofMinutes(2));
    w.world.app.sweepJudgements();
    assertEquals(TaskState.TIMED_OUT, w.task(t.id()).state());
    assertFalse(w.branchExists(t.headRef()));
  }

  @Test
  void a_succeeded_task_is_never_rolled_back() throws Exception {
    w = new JudgeWorld(dir, CONFIG);
    Task t = w.openTask(JudgingTest.SCOPE + "Done when: checks pass\nOn failure: close\n");
    w.check(t, "build", "success");
    w.world.clock.advance(Duration.ofDays(3));
    w.world.app.sweepJudgements();
    assertTrue(steps(t).isEmpty());
    assertEquals("open", w.pull(t).path("state").asText());
  }
}
