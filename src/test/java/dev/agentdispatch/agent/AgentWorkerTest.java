package dev.agentdispatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.sandbox.AgentTask;
import dev.agentdispatch.sandbox.Outcome;
import dev.agentdispatch.sandbox.SimComment;
import dev.agentdispatch.store.AuditStore;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent worker against the simulator over HTTP, on SQLite: the success path and each failure mode. */
class AgentWorkerTest {
  private static final Duration STEP = Duration.ofSeconds(5);
  private static final Duration LIMIT = Duration.ofMinutes(30);

  @TempDir
  Path dir;
  AgentKit kit;

  @BeforeEach
  void setUp() {
    kit = new AgentKit("jdbc:sqlite:" + dir.resolve("agent.db"));
  }

  @AfterEach
  void tearDown() {
    kit.close();
  }

  @Test
  void success_path_opens_a_pull_request_edits_one_comment_and_audits_the_finish() {
    AgentWorker worker = kit.worker("alice");
    Task queued = kit.enqueue("Add a health endpoint");

    worker.runDueWork();
    Task running = kit.task(queued.id());
    assertEquals(TaskState.RUNNING, running.state());
    assertNotNull(running.agentTaskId());
    AgentTask agent = kit.agentTasks().get(0);
    assertEquals(running.agentTaskId(), agent.id);
    assertEquals("alice", agent.creator.login, "started with AGENT_TOKEN, the service account's token");
    assertTrue(agent.createPullRequest, "create_pull_request: true");
    assertNull(agent.model, "no model configured: omitted for automatic selection");
    assertTrue(agent.prompt.startsWith("Add a health endpoint"));
    assertTrue(kit.comments().get(0).body.contains("working"));

    Task done = kit.runUntil(worker, queued.id(), t -> t.state() != TaskState.RUNNING, STEP, LIMIT);

    assertEquals(TaskState.PR_OPEN, done.state());
    assertTrue(done.headRef().startsWith("copilot/"), done.headRef());
    assertEquals(agent.pullNumber, done.pullNumber());
    List<SimComment> comments = kit.comments();
    assertEquals(1, comments.size(), "one status comment, edited");
    assertTrue(comments.get(0).body.contains("pull/" + done.pullNumber()), comments.get(0).body);
    assertTrue(kit.sim.writeLog().stream().anyMatch(l -> l.startsWith("octo-demo/webapp#2:edit-comment:")));
    AuditStore.Row row = kit.audit().stream().filter(r -> r.action().equals("task.finished")).findFirst()
        .orElseThrow();
    assertEquals("pr_open", row.outcome());
    assertEquals(queued.id(), row.taskId());
    assertEquals("bob", row.actor());
    assertTrue(row.output().endsWith("/pull/" + done.pullNumber()), row.output());
    assertTrue(row.input().contains("Add a health endpoint"));
    assertTrue(row.durationMs() >= Duration.ofMinutes(2).toMillis(), "duration " + row.durationMs());
    assertTrue(row.apiCalls() >= 5, "api calls " + row.apiCalls());
    assertEquals(AgentTokens.SERVICE_ACCOUNT, row.tokenMode());
    assertEquals(1, kit.requests(AgentKit.CREATE));
  }

  @Test
  void polls_start_within_seconds_and_thin_out_with_age() {
    kit.sim.agent().timings(Duration.ofSeconds(10), Duration.ofHours(2));
    AgentWorker worker = kit.worker("alice");
    Task t = kit.enqueue("Slow work");
    worker.runDueWork();
    long before = kit.requests("GET /agents/repos/{owner}/{repo}/tasks/{task_id}");
    for (int i = 0; i < 10 * 60; i++) {  // ten minutes, one second at a time
      kit.clock.advance(Duration.ofSeconds(1));
      kit.sim.agent().runDueWork();
      worker.runDueWork();
    }
    long polls = kit.requests("GET /agents/repos/{owner}/{repo}/tasks/{task_id}") - before;
    // 5 s x3 (to 20 s), 10 s x2, 20 s x2, 40 s x2, 80 s x2, then 120 s: about 14 in ten minutes, not 600
    assertTrue(polls >= 10 && polls <= 16, "polls in 10 min: " + polls);
    assertEquals(TaskState.RUNNING, kit.task(t.id()).state());
  }

  @Test
  void agent_failure_fails_the_task_with_the_agents_message_and_a_next_step() {
    kit.sim.agent().scriptNext(Outcome.failure("Tests failed: 3 errors in src/app.js"));
    AgentWorker worker = kit.worker("alice");
    Task t = kit.enqueue("Fix login");

    Task done = kit.runUntil(worker, t.id(), x -> x.state().isFinal(), STEP, LIMIT);

    assertEquals(TaskState.FAILED, done.state());
    assertTrue(done.error().contains("Tests failed: 3 errors in src/app.js"), done.error());
    String body = kit.comments().get(0).body;
    assertTrue(body.contains("Tests failed") && body.contains("Next step"), body);
    assertEquals("failed", kit.audit().get(0).outcome());
  }

  @Test
  void agent_timed_out_times_the_task_out() {
    kit.sim.agent().scriptNext(Outcome.TIMED_OUT);
    AgentWorker worker = kit.worker("alice");
    Task t = kit.enqueue("Big refactor");

    Task done = kit.runUntil(worker, t.id(), x -> x.state().isFinal(), STEP, LIMIT);

    assertEquals(TaskState.TIMED_OUT, done.state());
    assertTrue(kit.comments().get(0).body.contains("timed out"));
  }

  @Test
  void our_own_timeout_times_out_a_task_the_agent_never_finishes_and_says_there_is_no_cancel() {
    kit.sim.agent().timings(Duration.ofSeconds(10), Duration.ofHours(5));
    kit.timeout = Duration.ofMinutes(60);
    AgentWorker worker = kit.worker("alice");
    Task t = kit.enqueue("Endless work");

    Task done = kit.runUntil(worker, t.id(), x -> x.state().isFinal(), Duration.ofSeconds(30), Duration.ofMinutes(70));

    assertEquals(TaskState.TIMED_OUT, done.state());
    assertFalse(kit.clock.instant().isBefore(AgentKit.START.plus(Duration.ofMinutes(60))));
    assertTrue(kit.clock.instant().isBefore(AgentKit.START.plus(Duration.ofMinutes(63))), "within a poll of it");
    String body = kit.comments().get(0).body;
    assertTrue(body.contains("no cancel endpoint") && body.contains("60 min"), body);
    assertFalse(kit.worker("alice").backend().canCancel());
  }

  @Test
  void waiting_for_user_is_said_on_the_issue() {
    kit.sim.agent().scriptNext(Outcome.WAITING_FOR_USER);
    AgentWorker worker = kit.worker("alice");
    Task t = kit.enqueue("Which database?");

    Task waiting = kit.runUntil(worker, t.id(), x -> x.state() == TaskState.WAITING_FOR_USER, STEP, LIMIT);

    assertEquals(TaskState.WAITING_FOR_USER, waiting.state());
    assertEquals(1, kit.comments().size());
    assertTrue(kit.comments().get(0).body.contains("waiting for you"), kit.comments().get(0).body);
  }

  @Test
  void conflict_keeps_the_pull_request_and_records_and_says_it_cannot_merge() {
    kit.sim.agent().scriptNext(Outcome.CONFLICT);
    AgentWorker worker = kit.worker("alice");
    Task t = kit.enqueue("Touch the login code");

    Task done = kit.runUntil(worker, t.id(), x -> x.state() != TaskState.RUNNING, STEP, LIMIT);

    assertEquals(TaskState.PR_OPEN, done.state());
    assertNotNull(done.pullNumber());
    assertTrue(done.error().startsWith("conflict:"), done.error());
    assertTrue(kit.comments().get(0).body.contains("merge conflicts"), kit.comments().get(0).body);
  }

  @Test
  void rogue_branch_outside_copilot_is_marked_and_said() {
    kit.sim.agent().scriptNext(Outcome.ROGUE);
    AgentWorker worker = kit.worker("alice");
    Task t = kit.enqueue("Hotfix the homepage");

    Task done = kit.runUntil(worker, t.id(), x -> x.state() != TaskState.RUNNING, STEP, LIMIT);

    assertEquals(TaskState.FAILED, done.state());
    assertEquals("main-hotfix", done.headRef());
    assertTrue(done.error().startsWith("rogue branch"), done.error());
    assertTrue(kit.comments().get(0).body.contains("not under `copilot/`"), kit.comments().get(0).body);
  }

  @Test
  void rate_limited_create_waits_then_starts_once() {
    kit.sim.faults().tooManyRequests("POST", "/agents/repos/octo-demo/webapp/tasks", 1, 30);
    AgentWorker worker = kit.worker("alice");
    Task t = kit.enqueue("Rate limited");

    worker.runDueWork();

    assertEquals(TaskState.RUNNING, kit.task(t.id()).state());
    assertTrue(kit.waits.contains(Duration.ofSeconds(30)), "waited Retry-After: " + kit.waits);
    assertEquals(1, kit.agentTasks().size());
  }

  @Test
  void secondary_limit_403_on_create_waits_then_starts_once() {
    kit.sim.faults().secondaryLimit("POST", "/agents/repos/octo-demo/webapp/tasks", 1, 60);
    AgentWorker worker = kit.worker("alice");
    Task t = kit.enqueue("Secondary limit");

    worker.runDueWork();

    assertEquals(TaskState.RUNNING, kit.task(t.id()).state());
    assertTrue(kit.waits.contains(Duration.ofSeconds(60)), "waited Retry-After: " + kit.waits);
    assertEquals(1, kit.agentTasks().size());
  }

  @Test
  void server_errors_beyond_the_transport_retries_are_retried_by_the_worker_without_a_second_agent() {
    // 4 x 502: the transport gives up on the first pass; the worker looks (list since the intent), then starts
    kit.sim.faults().serverError("POST", "/agents/repos/octo-demo/webapp/tasks", 4, 502);
    AgentWorker worker = kit.worker("alice");
    Task t = kit.enqueue("Flaky GitHub");

    worker.runDueWork();
    assertEquals(TaskState.STARTING, kit.task(t.id()).state());
    assertTrue(kit.comments().get(0).body.contains("try 1 of"), kit.comments().get(0).body);

    Task running = kit.runUntil(worker, t.id(), x -> x.state() != TaskState.STARTING, STEP, Duration.ofMinutes(2));

    assertEquals(TaskState.RUNNING, running.state());
    assertEquals(1, kit.agentTasks().size());
    assertEquals(1, kit.requests("GET /agents/repos/{owner}/{repo}/tasks"), "looked before starting again");
    assertEquals(1, kit.comments().size());
  }

  @Test
  void permission_denied_fails_at_once_with_a_clear_message() {
    AgentWorker worker = kit.worker("carol");  // read access, no Copilot seat
    Task t = kit.enqueue("Not allowed");

    worker.runDueWork();

    Task failed = kit.task(t.id());
    assertEquals(TaskState.FAILED, failed.state());
    assertTrue(failed.error().contains("403"), failed.error());
    assertTrue(failed.error().contains("AGENT_TOKEN"), failed.error());
    assertEquals(1, kit.requests(AgentKit.CREATE), "no retry of a permanent refusal");
    assertTrue(kit.agentTasks().isEmpty());
    assertTrue(kit.comments().get(0).body.contains("failed"));
    assertEquals("failed", kit.audit().get(0).outcome());
  }

  @Test
  void missing_agent_token_fails_with_the_setting_to_fix() {
    AgentWorker worker = new AgentWorker(kit.queue, kit.runs, kit.backend, AgentTokens.serviceAccount(null),
        kit.client, new dev.agentdispatch.audit.AuditTrail(kit.auditStore), kit.clock, "w", null);
    Task t = kit.enqueue("No token");

    worker.runDueWork();

    assertEquals(TaskState.FAILED, kit.task(t.id()).state());
    assertTrue(kit.task(t.id()).error().contains("AGENT_TOKEN is not set"));
  }

  @Test
  void a_check_that_fails_transiently_is_retried_later_and_the_task_still_finishes() {
    AgentWorker worker = kit.worker("alice");
    Task t = kit.enqueue("Add a health endpoint");
    worker.runDueWork();
    // the next check gets 503 four times: the transport gives up, the worker backs off instead of failing
    kit.sim.faults().serverError("GET", "/agents/repos/octo-demo/webapp/tasks/[^/]+", 4, 503);

    Task done = kit.runUntil(worker, t.id(), x -> x.state() != TaskState.RUNNING, STEP, LIMIT);

    assertEquals(TaskState.PR_OPEN, done.state());
    assertEquals(1, kit.agentTasks().size());
  }

  @Test
  void an_answer_to_the_waiting_agent_brings_the_task_back_to_running_and_on_to_its_pull_request() throws Exception {
    kit.sim.agent().scriptNext(Outcome.WAITING_FOR_USER);
    AgentWorker worker = kit.worker("alice");
    Task t = kit.enqueue("Which database?");
    kit.runUntil(worker, t.id(), x -> x.state() == TaskState.WAITING_FOR_USER, STEP, LIMIT);
    int pull = kit.agentTasks().get(0).pullNumber;

    java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(kit.sim.url() + "/repos/octo-demo/webapp/issues/"
            + pull + "/comments")).header("Authorization", "token " + kit.sim.tokenOf("bob"))
            .header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"body\": \"@copilot use SQLite\"}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(201, answer.statusCode(), answer.body());

    Task done = kit.runUntil(worker, t.id(), x -> x.state() == TaskState.PR_OPEN, STEP, LIMIT);

    assertEquals(pull, done.pullNumber());
    assertEquals(1, kit.comments().size());
    assertTrue(kit.comments().get(0).body.contains("is open"), kit.comments().get(0).body);
  }

  @Test
  void a_task_cancelled_by_a_person_while_running_gets_its_comment_edited_and_the_no_cancel_caveat() {
    AgentWorker worker = kit.worker("alice");
    Task t = kit.enqueue("Add a health endpoint");
    worker.runDueWork();
    assertTrue(kit.queue.cancel(t.id(), "label removed by bob"));

    kit.clock.advance(STEP);
    worker.runDueWork();

    assertEquals(1, kit.comments().size());
    String body = kit.comments().get(0).body;
    assertTrue(body.contains("cancelled") && body.contains("label removed by bob") && body.contains("no cancel"), body);
    kit.clock.advance(Duration.ofMinutes(5));
    worker.runDueWork();
    assertEquals(1, kit.sim.writeLog().stream().filter(l -> l.startsWith("octo-demo/webapp#2:edit-comment:")).count(),
        "stopped watching after saying it once");
  }
}
