package dev.agentdispatch.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.agent.Notifier;
import dev.agentdispatch.store.AuditStore;
import dev.agentdispatch.store.JudgementStore;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskState;
import dev.agentdispatch.trigger.BoundaryJson;
import dev.agentdispatch.trigger.SuccessCondition;
import dev.agentdispatch.trigger.TaskBoundary;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Judging against the simulator over HTTP: each success condition met and not met, the outcome recorded with the
 * deciding condition and GitHub's time, the status comment and the task.judged audit event; the after-the-fact
 * scope check; the timeout; and pull_request.closed.
 */
class JudgingTest {
  /** The simulated agent changes agent/<slug>.md, so agent/** is in scope and src/** is not. */
  static final String SCOPE = "Scope: agent/**\n";
  @TempDir Path dir;
  private JudgeWorld w;

  @AfterEach
  void stop() {
    if (w != null) {
      w.close();
    }
  }

  private Task open(String doneWhen) throws Exception {
    w = new JudgeWorld(dir, null);
    return w.openTask(SCOPE + "Done when: " + doneWhen + "\n");
  }

  @Test
  void the_boundary_is_stored_with_the_task_and_in_the_enqueue_audit_event() throws Exception {
    Task t = open("checks named build pass and approved");

    TaskBoundary b = BoundaryJson.read(t.boundary());
    assertEquals(List.of("agent/**"), b.scope());
    assertEquals(List.of(SuccessCondition.checksNamed(List.of("build")), SuccessCondition.approved()), b.conditions());
    assertEquals("keep-branch", b.onFailure().toString(), "the repository default");
    AuditStore.Row queued = w.audit("task.queued").get(0);
    assertTrue(queued.output().contains("\"scope\":[\"agent/**\"]"), queued.output());
  }

  @Test
  void the_pull_request_is_judged_as_it_opens_and_the_status_comment_shows_the_boundary() throws Exception {
    Task t = open("checks pass");
    assertNull(w.judgement(t.id()).outcome(), "no checks yet: pending");
    String comment = w.statusComment(t);
    assertTrue(comment.contains("is being judged") && comment.contains("Waiting for its success conditions"), comment);
    assertTrue(comment.contains("**Task boundary**") && comment.contains("- **Scope:** `agent/**`")
        && comment.contains("- **Done when:** all checks pass"), comment);
    assertEquals("pending", w.audit("task.judged").get(0).outcome());
  }

  @Test
  void checks_pass_met_succeeds_with_the_last_check_deciding_at_its_completed_at() throws Exception {
    Task t = open("checks pass");
    w.check(t, "build", null);   // still running
    assertNull(w.judgement(t.id()).outcome(), "pending while a check runs");

    w.world.clock.advance(Duration.ofMinutes(3));
    Instant completed = w.world.clock.instant();
    w.check(t, "lint", "success");
    assertNull(w.judgement(t.id()).outcome(), "build is still running");
    w.check(t, "build", "success");

    JudgementStore.Row j = w.judgement(t.id());
    assertEquals("succeeded", j.outcome());
    assertEquals("all checks pass", j.decidedBy());
    assertTrue(j.decidedAt() >= completed.toEpochMilli(), "GitHub's completed_at of the deciding check");
    String comment = w.statusComment(t);
    assertTrue(comment.contains("**Copilot agent: succeeded**") && comment.contains("decided by: *all checks pass*"),
        comment);
    assertEquals(TaskState.PR_OPEN, w.task(t.id()).state(), "a person merges; the app never does");
    AuditStore.Row judged = w.audit("task.judged").get(0);
    assertEquals("succeeded", judged.outcome());
    assertEquals("all checks pass", judged.input());
  }

  @Test
  void each_decided_verdict_is_sent_to_the_notification_webhook_once_and_pending_is_not() throws Exception {
    Task t = open("checks pass");
    w.check(t, "build", null);
    assertTrue(judged().isEmpty(), "pending is no news for the hook: " + w.notices.sent);
    w.check(t, "build", "failure");
    w.check(t, "lint", "failure");  // judged again, the same verdict: no second notice

    List<Notifier.Notice> judged = judged();
    assertEquals(1, judged.size(), judged.toString());
    Notifier.Notice n = judged.get(0);
    assertEquals("needs_attention", n.outcome());
    assertEquals(t.id(), n.taskId());
    assertEquals(JudgeWorld.REPO, n.repository());
    assertTrue(n.text().contains("pull request #" + t.pullNumber() + " was judged needs attention"), n.text());
    assertTrue(n.url().endsWith("/pull/" + t.pullNumber()), n.url());
  }

  private List<Notifier.Notice> judged() {
    return w.notices.sent.stream().filter(x -> x.event().equals("task.judged")).toList();
  }

  @Test
  void checks_pass_not_met_needs_attention_naming_the_failed_check() throws Exception {
    Task t = open("checks pass");
    w.check(t, "build", "success");
    w.check(t, "unit tests", "failure");

    JudgementStore.Row j = w.judgement(t.id());
    assertEquals("needs_attention", j.outcome());
    assertEquals("all checks pass", j.decidedBy());
    assertTrue(j.detail().contains("\"unit tests\" concluded failure"), j.detail());
    String comment = w.statusComment(t);
    assertTrue(comment.contains("**Copilot agent: needs attention**") && comment.contains("unit tests"), comment);
    assertTrue(comment.contains("keep-branch"), "names the failure mode to come: " + comment);
  }

  @Test
  void named_checks_met_ignores_other_checks_and_not_met_names_the_check() throws Exception {
    Task t = open("checks named build pass");
    w.check(t, "lint", "failure");
    assertNull(w.judgement(t.id()).outcome(), "lint is not named; build has not reported");
    w.check(t, "build", "success");
    assertEquals("succeeded", w.judgement(t.id()).outcome());
    assertEquals("the check \"build\" passes", w.judgement(t.id()).decidedBy());

    // a new push: the earlier verdict no longer stands, and the named check fails on the new head
    w.world.github.world().push(JudgeWorld.REPO, t.headRef(), Map.of("agent/more.md", "more"), "Copilot");
    w.world.settle();
    assertNull(w.judgement(t.id()).outcome(), "pending again on the new head");
    assertTrue(w.statusComment(t).contains("is being judged"), w.statusComment(t));
    w.check(t, "build", "timed_out");
    assertEquals("needs_attention", w.judgement(t.id()).outcome());
    assertTrue(w.judgement(t.id()).detail().contains("\"build\" concluded timed_out"));
  }

  @Test
  void mergeable_met_and_not_met() throws Exception {
    Task t = open("checks named build pass and mergeable");
    w.world.github.world().mergeable(JudgeWorld.REPO, t.pullNumber(), null);
    w.check(t, "build", "success");
    assertNull(w.judgement(t.id()).outcome(), "mergeability not computed yet");

    w.world.github.world().mergeable(JudgeWorld.REPO, t.pullNumber(), true);
    w.check(t, "docs", "success");  // any check news makes the app look again
    assertEquals("succeeded", w.judgement(t.id()).outcome());

    w.world.github.world().mergeable(JudgeWorld.REPO, t.pullNumber(), false);
    w.check(t, "docs", "success");
    JudgementStore.Row j = w.judgement(t.id());
    assertEquals("needs_attention", j.outcome());
    assertEquals("the pull request is mergeable", j.decidedBy());
    assertTrue(w.statusComment(t).contains("conflicts with its base branch"), w.statusComment(t));
  }

  @Test
  void approved_needs_a_person_a_bot_approval_does_not_count_and_changes_requested_needs_attention() throws Exception {
    Task t = open("approved");
    synchronized (w.world.github.state()) {
      w.world.github.state().addUser("review-bot[bot]", "Bot");
    }
    w.world.github.world().review(JudgeWorld.REPO, t.pullNumber(), "review-bot[bot]", "APPROVE", null);
    w.world.settle();
    assertNull(w.judgement(t.id()).outcome(), "a bot's approval is not a human approval");

    w.world.clock.advance(Duration.ofMinutes(1));
    w.world.github.world().review(JudgeWorld.REPO, t.pullNumber(), "bob", "REQUEST_CHANGES", "rename it");
    w.world.settle();
    assertEquals("needs_attention", w.judgement(t.id()).outcome());
    assertTrue(w.judgement(t.id()).detail().contains("@bob requested changes"));

    w.world.clock.advance(Duration.ofMinutes(1));
    Instant approvedAt = w.world.clock.instant();
    w.world.github.world().review(JudgeWorld.REPO, t.pullNumber(), "bob", "APPROVE", null);
    w.world.settle();
    JudgementStore.Row j = w.judgement(t.id());
    assertEquals("succeeded", j.outcome(), "bob's latest review approves");
    assertEquals("the pull request is approved", j.decidedBy());
    assertEquals(approvedAt.toEpochMilli(), j.decidedAt(), "the review's submitted_at");
    assertTrue(w.statusComment(t).contains("approved by @bob"), w.statusComment(t));
  }

  @Test
  void free_text_is_for_a_person_the_verdict_needs_attention_once_the_rest_holds() throws Exception {
    Task t = open("checks named build pass and the page loads in under a second");
    assertNull(w.judgement(t.id()).outcome());
    w.check(t, "build", "success");

    JudgementStore.Row j = w.judgement(t.id());
    assertEquals("needs_attention", j.outcome());
    assertEquals("judged by a human: the page loads in under a second", j.decidedBy());
    assertTrue(w.statusComment(t).contains("for a person to judge"), w.statusComment(t));
  }

  @Test
  void an_out_of_scope_change_fails_and_names_the_files() throws Exception {
    w = new JudgeWorld(dir, null);
    Task t = w.openTask("Scope: src/**\nDone when: checks pass\n");
    w.check(t, "build", "success");

    JudgementStore.Row j = w.judgement(t.id());
    assertEquals("failed", j.outcome());
    assertEquals("scope", j.decidedBy());
    List<String> files = new java.util.ArrayList<>();
    w.asUser("alice", "GET", "/repos/" + JudgeWorld.REPO + "/pulls/" + t.pullNumber() + "/files", null)
        .forEach(f -> files.add(f.path("filename").asText()));
    assertFalse(files.isEmpty());
    String comment = w.statusComment(t);
    assertTrue(comment.contains("**Copilot agent: failed**"), comment);
    for (String f : files) {
      assertTrue(j.detail().contains("- `" + f + "` is outside the task's scope"), j.detail());
      assertTrue(comment.contains("`" + f + "`"), comment);
    }
  }

  @Test
  void a_protected_path_changed_fails_even_inside_the_scope() throws Exception {
    Task t = open("checks pass");
    w.world.github.world().push(JudgeWorld.REPO, t.headRef(), Map.of(".github/workflows/ci.yml", "on: push"),
        "Copilot");
    w.check(t, "build", "success");

    JudgementStore.Row j = w.judgement(t.id());
    assertEquals("failed", j.outcome());
    assertTrue(j.detail().contains("`.github/workflows/ci.yml` is a protected path"), j.detail());
  }

  @Test
  void undecided_past_the_timeout_is_timed_out_by_the_sweep() throws Exception {
    w = new JudgeWorld(dir, null);
    Task t = w.openTask(SCOPE + "Done when: checks pass\nTimeout: 30m\n");
    w.world.clock.advance(Duration.ofMinutes(29));
    w.world.app.sweepJudgements();
    assertNull(w.judgement(t.id()).outcome(), "not yet");

    w.world.clock.advance(Duration.ofMinutes(2));
    w.world.app.sweepJudgements();
    JudgementStore.Row j = w.judgement(t.id());
    assertEquals("timed_out", j.outcome());
    assertEquals("timeout (30m)", j.decidedBy());
    assertEquals(j.since() + Duration.ofMinutes(30).toMillis(), j.decidedAt());
    assertTrue(w.statusComment(t).contains("**Copilot agent: timed out**"), w.statusComment(t));
  }

  @Test
  void the_sweep_judges_a_pull_request_whose_webhooks_were_missed_and_retries_after_a_failed_read() throws Exception {
    Task t = open("checks named build pass");
    // the check run's deliveries are lost: the app's webhook address is unreachable for a while
    w.world.github.webhook("http://127.0.0.1:1/nowhere", w.world.github.webhookSecret());
    w.world.github.world().checkRun(JudgeWorld.REPO, w.head(t), "build", "success");
    w.world.github.awaitWebhooksIdle();
    assertNull(w.judgement(t.id()).outcome());

    // GitHub fails the first read: the sweep logs it and the next sweep judges
    w.world.github.faults().serverError("GET", ".*/check-runs.*", 1, 404);
    assertEquals(0, w.world.app.sweepJudgements().judged());
    assertNull(w.judgement(t.id()).outcome());
    w.world.app.sweepJudgements();
    assertEquals("succeeded", w.judgement(t.id()).outcome());
  }

  @Test
  void a_task_without_a_success_condition_is_not_judged() throws Exception {
    w = new JudgeWorld(dir, null);
    Task t = w.openTask(SCOPE);
    w.check(t, "build", "failure");
    w.world.clock.advance(Duration.ofDays(2));
    w.world.app.sweepJudgements();
    assertTrue(new JudgementStore(w.world.app.database()).find(t.id()).isEmpty());
    assertEquals(TaskState.PR_OPEN, w.task(t.id()).state());
  }

  @Test
  void an_unreadable_stored_boundary_is_not_judged() throws Exception {
    Task t = open("checks pass");
    int before = w.audit("task.judged").size(); // judged "pending" when the pull request opened
    w.world.app.database().write(c -> {
      try (var ps = c.prepareStatement("UPDATE agent_task SET boundary = 'not json' WHERE id = ?")) {
        ps.setLong(1, t.id());
        return ps.executeUpdate();
      }
    });
    w.check(t, "build", "failure");
    w.world.clock.advance(Duration.ofDays(2));
    w.world.app.sweepJudgements();
    assertTrue(new JudgementStore(w.world.app.database()).find(t.id()).map(j -> j.outcome() == null).orElse(true));
    assertEquals(before, w.audit("task.judged").size(), "nothing judged after the boundary became unreadable");
    assertEquals(TaskState.PR_OPEN, w.task(t.id()).state());
  }

  @Test
  void merged_by_a_person_is_done_and_closed_unmerged_ends_by_the_verdict() throws Exception {
    Task t = open("checks named build pass");
    w.world.github.world().readyForReview(JudgeWorld.REPO, t.pullNumber(), "bob");
    w.check(t, "build", "success");
    w.asUser("bob", "PUT", "/repos/" + JudgeWorld.REPO + "/pulls/" + t.pullNumber() + "/merge", "{}");
    w.world.settle();
    assertEquals(TaskState.DONE, w.task(t.id()).state());
    assertTrue(w.statusComment(t).contains("merged by @bob"), w.statusComment(t));
    assertTrue(w.audit("task.finished").stream().anyMatch(a -> a.outcome().equals("done")));
  }

  @Test
  void closed_without_merging_after_needs_attention_is_failed_and_nothing_is_rolled_back() throws Exception {
    Task t = open("checks pass");
    w.check(t, "build", "failure");
    w.asUser("bob", "PATCH", "/repos/" + JudgeWorld.REPO + "/pulls/" + t.pullNumber(), "{\"state\":\"closed\"}");
    w.world.settle();

    Task ended = w.task(t.id());
    assertEquals(TaskState.FAILED, ended.state());
    assertTrue(ended.error().contains("closed without merging by @bob"), ended.error());
    w.world.clock.advance(Duration.ofDays(2));
    w.world.app.sweepJudgements();
    assertTrue(w.audit("task.rollback").isEmpty(), "a closed pull request is not rolled back");
    assertTrue(w.branchExists(t.headRef()));
  }
}
