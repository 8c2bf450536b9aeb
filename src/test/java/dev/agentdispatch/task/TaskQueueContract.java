package dev.agentdispatch.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.store.Database;
import dev.agentdispatch.store.StoreException;
import dev.agentdispatch.store.TaskStore;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue's behaviour, run against every database (one subclass per dialect). */
abstract class TaskQueueContract {
  /** A Monday, 10:00 UTC. */
  static final Instant MONDAY = Instant.parse("2026-11-23T10:00:00Z");

  TestClock clock;
  Database db;
  String url;
  private final List<Database> opened = new ArrayList<>();
  /** Server limits for the queues a test builds; the tests that are not about a limit keep it out of the way. */
  Limits limits = Limits.DEFAULTS.withConcurrency(1000, 1000).withOrganisationStartGap(Duration.ZERO);
  RepoLimits base = RepoLimits.DEFAULTS.withStartGap(Duration.ZERO).withMaxQueued(10_000).withWeeklyBudget(10_000);
  final Map<String, RepoLimits> perRepo = new HashMap<>();

  /** The JDBC URL of a new, empty database. */
  abstract String newDatabaseUrl();

  @BeforeEach
  void openDatabase() {
    url = newDatabaseUrl();
    db = open(url);
    clock = new TestClock(MONDAY);
  }

  @AfterEach
  void closeDatabases() {
    opened.forEach(Database::close);
  }

  Database open(String jdbcUrl) {
    Database d = Database.open(jdbcUrl);
    opened.add(d);
    return d;
  }

  TaskQueue queue() {
    return queue(db);
  }

  TaskQueue queue(Database d) {
    return new TaskQueue(new TaskStore(d), clock, limits, r -> perRepo.getOrDefault(r, base));
  }

  Task enqueue(TaskQueue q, String repository, int number) {
    Enqueued e = q.enqueue(TaskRequest.issueLabel(repository, number, "octocat", null));
    assertEquals(Enqueued.Outcome.QUEUED, e.outcome(), e.message());
    clock.advance(Duration.ofMillis(1));
    return e.task();
  }

  static void finish(TaskQueue q, Task t) {
    assertTrue(q.transition(t.id(), TaskState.STARTING, TaskState.RUNNING));
    assertTrue(q.transition(t.id(), TaskState.RUNNING, TaskState.DONE));
  }

  Task state(TaskQueue q, Task t) {
    return q.find(t.id()).orElseThrow();
  }

  // ---- the state machine -------------------------------------------------------------------------------------

  @Test
  void every_legal_transition_works_and_every_illegal_one_throws() {
    TaskQueue q = queue();
    int number = 0;
    int legal = 0;
    for (TaskState from : TaskState.values()) {
      for (TaskState to : TaskState.values()) {
        Task t = taskIn(q, from, ++number);
        String move = from + " -> " + to;
        if (from.canMoveTo(to)) {
          legal++;
          assertTrue(q.transition(t.id(), from, to, Change.by("w1")), move);
          Task after = state(q, t);
          assertEquals(to, after.state(), move);
          assertEquals(to.isFinal(), after.finishedAt() != null, move + " finished_at");
          assertEquals(to.isLeased(), after.leaseOwner() != null, move + " lease");
          assertEquals(t.version() + 1, after.version() - versionsTo(from), move + " version");
        } else {
          IllegalTransition e = assertThrows(IllegalTransition.class,
              () -> q.transition(t.id(), from, to, Change.by("w1")), move);
          assertTrue(e.getMessage().contains(from + " to " + to), e.getMessage());
          assertEquals(from, state(q, t).state(), move + " left the task alone");
        }
      }
    }
    assertEquals(21, legal, "legal transitions in the table");
  }

  /** Moves a new task of acme/table#number into {@code s} along the shortest legal path. */
  private Task taskIn(TaskQueue q, TaskState s, int number) {
    Task t = enqueue(q, "acme/table", number);
    TaskState at = TaskState.QUEUED;
    for (TaskState next : pathTo(s)) {
      assertTrue(q.transition(t.id(), at, next, Change.by("w1")), at + " -> " + next);
      at = next;
    }
    return t;
  }

  private static int versionsTo(TaskState s) {
    return pathTo(s).size();
  }

  private static List<TaskState> pathTo(TaskState s) {
    return switch (s) {
      case QUEUED -> List.of();
      case STARTING -> List.of(TaskState.STARTING);
      case RUNNING -> List.of(TaskState.STARTING, TaskState.RUNNING);
      case WAITING_FOR_USER, PR_OPEN, DONE, FAILED, TIMED_OUT ->
          List.of(TaskState.STARTING, TaskState.RUNNING, s);
      case CANCELLED, REJECTED -> List.of(s);
    };
  }

  @Test
  void a_transition_from_a_state_the_task_has_left_returns_false() {
    TaskQueue q = queue();
    Task t = enqueue(q, "acme/app", 1);
    assertTrue(q.cancel(t.id(), "label removed"));
    assertFalse(q.transition(t.id(), TaskState.QUEUED, TaskState.STARTING, Change.by("w1")));
    assertEquals(TaskState.CANCELLED, state(q, t).state());
    assertFalse(q.cancel(t.id(), "again"), "a final task cannot be cancelled");
    assertEquals("label removed", state(q, t).error());
  }

  @Test
  void check_constraints_reject_rows_that_break_the_state_invariants() {
    TaskQueue q = queue();
    Task t = enqueue(q, "acme/app", 1);
    assertRejected(t, "UPDATE agent_task SET state = 'done' WHERE id = ?");            // final, no finished_at
    assertRejected(t, "UPDATE agent_task SET finished_at = 1 WHERE id = ?");           // not final, finished_at
    assertRejected(t, "UPDATE agent_task SET state = 'running' WHERE id = ?");         // leased state, no lease
    assertRejected(t, "UPDATE agent_task SET state = 'paused' WHERE id = ?");          // unknown state
    assertRejected(t, "INSERT INTO agent_task (repository, organisation, number, kind, trigger_kind, state,"
        + " created_at, updated_at) SELECT repository, organisation, number, kind, trigger_kind, 'queued', 1, 1"
        + " FROM agent_task WHERE id = ?");                                               // second active task
    assertEquals(TaskState.QUEUED, state(q, t).state());
  }

  private void assertRejected(Task t, String sql) {
    StoreException e = assertThrows(StoreException.class, () -> db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setLong(1, t.id());
        return ps.executeUpdate();
      }
    }), sql);
    assertTrue(e.getCause() instanceof SQLException, sql);
  }

  // ---- enqueue -----------------------------------------------------------------------------------------------

  @Test
  void enqueue_twice_for_the_same_issue_gives_one_active_task_and_already_queued() {
    TaskQueue q = queue();
    Enqueued first = q.enqueue(TaskRequest.issueLabel("acme/app", 7, "octocat", "d-1"));
    assertEquals(Enqueued.Outcome.QUEUED, first.outcome());
    Enqueued command = q.enqueue(new TaskRequest("acme/app", 99L, 7, Task.Kind.ISSUE, Task.Trigger.COMMAND,
        "hubot", "d-2", "fix it", null, "main", null));
    assertEquals(Enqueued.Outcome.ALREADY_ACTIVE, command.outcome());
    assertEquals(first.task().id(), command.task().id());
    assertTrue(command.message().contains("already queued as task " + first.task().id()), command.message());
    Enqueued redelivered = q.enqueue(TaskRequest.issueLabel("acme/app", 7, "octocat", "d-1"));
    assertEquals(Enqueued.Outcome.ALREADY_ACTIVE, redelivered.outcome());

    Task claimed = q.claimNext("w1").orElseThrow();
    assertEquals(Enqueued.Outcome.ALREADY_ACTIVE,
        q.enqueue(TaskRequest.issueLabel("acme/app", 7, "octocat", "d-3")).outcome(), "already starting");
    finish(q, claimed);

    assertEquals(Enqueued.Outcome.ALREADY_HANDLED,
        q.enqueue(TaskRequest.issueLabel("acme/app", 7, "octocat", "d-1")).outcome(), "a late redelivery");
    Enqueued again = q.enqueue(TaskRequest.issueLabel("acme/app", 7, "octocat", "d-4"));
    assertEquals(Enqueued.Outcome.QUEUED, again.outcome());
    assertTrue(again.task().id() != first.task().id());
    assertEquals(again.task().id(), q.findActive("acme/app", 7).orElseThrow().id());
  }

  @Test
  void queue_depth_limit_rejects_with_a_reason_naming_the_limit() {
    perRepo.put("acme/app", base.withMaxQueued(2));
    TaskQueue q = queue();
    enqueue(q, "acme/app", 1);
    enqueue(q, "acme/app", 2);
    Enqueued full = q.enqueue(TaskRequest.issueLabel("acme/app", 3, "octocat", null));
    assertEquals(Enqueued.Outcome.REJECTED, full.outcome());
    assertNull(full.task());
    assertEquals("max_queued_tasks", full.decision().limit());
    assertEquals("queue depth limit 2 of 2 queued in acme/app; raise max_queued_tasks in .github/agent-dispatch.yml",
        full.message());
    assertEquals(Enqueued.Outcome.QUEUED, q.enqueue(TaskRequest.issueLabel("acme/other", 3, "o", null)).outcome());
  }

  // ---- limits ------------------------------------------------------------------------------------------------

  @Test
  void repository_concurrency_holds_a_task_until_a_slot_frees() {
    perRepo.put("acme/app", base.withMaxConcurrent(1));
    TaskQueue q = queue();
    Task t1 = enqueue(q, "acme/app", 1);
    Task t2 = enqueue(q, "acme/app", 2);
    assertEquals(t1.id(), q.claimNext("w1").orElseThrow().id());
    assertHeld(q, t2, "max_concurrent_tasks",
        "repository limit 1 of 1 running; raise max_concurrent_tasks in .github/agent-dispatch.yml");
    finish(q, t1);
    assertEquals(t2.id(), q.claimNext("w1").orElseThrow().id());
  }

  @Test
  void organisation_concurrency_holds_a_task_until_a_slot_frees() {
    limits = limits.withConcurrency(1, 1000);
    TaskQueue q = queue();
    Task t1 = enqueue(q, "acme/app", 1);
    Task t2 = enqueue(q, "acme/web", 1);
    Task other = enqueue(q, "umbrella/app", 1);
    assertEquals(t1.id(), q.claimNext("w1").orElseThrow().id());
    assertEquals(other.id(), q.claimNext("w1").orElseThrow().id(), "another organisation still starts");
    assertHeld(q, t2, "MAX_TASKS_PER_ORG", "organisation limit 1 of 1 running in acme");
    finish(q, t1);
    assertEquals(t2.id(), q.claimNext("w1").orElseThrow().id());
  }

  @Test
  void total_concurrency_holds_a_task_until_a_slot_frees() {
    limits = limits.withConcurrency(1000, 1);
    TaskQueue q = queue();
    Task t1 = enqueue(q, "acme/app", 1);
    Task t2 = enqueue(q, "umbrella/app", 1);
    q.claimNext("w1").orElseThrow();
    assertHeld(q, t2, "MAX_TASKS_TOTAL", "total limit 1 of 1 running; the app operator can raise MAX_TASKS_TOTAL");
    finish(q, t1);
    assertEquals(t2.id(), q.claimNext("w1").orElseThrow().id());
  }

  @Test
  void review_capacity_holds_a_task_while_agent_pull_requests_wait_for_review() {
    perRepo.put("acme/app", base.withMaxOpenPullRequests(1));
    TaskQueue q = queue();
    Task t1 = enqueue(q, "acme/app", 1);
    Task t2 = enqueue(q, "acme/app", 2);
    q.claimNext("w1").orElseThrow();
    assertTrue(q.transition(t1.id(), TaskState.STARTING, TaskState.RUNNING, Change.by("w1").withAgentTask("a-1")));
    assertTrue(q.transition(t1.id(), TaskState.RUNNING, TaskState.PR_OPEN,
        Change.by("w1").withPullRequest("copilot/fix-1", 41)));
    Task pr = state(q, t1);
    assertEquals(41, pr.pullNumber());
    assertEquals("copilot/fix-1", pr.headRef());
    assertEquals("a-1", pr.agentTaskId());
    assertHeld(q, t2, "max_open_pull_requests", "review capacity 1 of 1 agent pull requests open");
    assertTrue(q.transition(t1.id(), TaskState.PR_OPEN, TaskState.DONE));
    assertEquals(t2.id(), q.claimNext("w1").orElseThrow().id());
  }

  @Test
  void weekly_budget_holds_a_task_until_the_oldest_start_is_a_week_old() {
    perRepo.put("acme/app", base.withWeeklyBudget(1));
    TaskQueue q = queue();
    Task t1 = enqueue(q, "acme/app", 1);
    Task t2 = enqueue(q, "acme/app", 2);
    q.claimNext("w1").orElseThrow();
    finish(q, t1);
    assertHeld(q, t2, "max_tasks_per_week", "weekly budget 1 of 1 tasks started in the last 7 days");
    clock.advance(Duration.ofDays(7).plusMillis(1));
    assertEquals(t2.id(), q.claimNext("w1").orElseThrow().id());
  }

  @Test
  void repository_start_gap_holds_the_next_start() {
    perRepo.put("acme/app", base.withStartGap(Duration.ofSeconds(30)));
    TaskQueue q = queue();
    enqueue(q, "acme/app", 1);
    Task t2 = enqueue(q, "acme/app", 2);
    q.claimNext("w1").orElseThrow();
    clock.advance(Duration.ofSeconds(12));
    assertHeld(q, t2, "min_start_gap", "repository start gap 30s (last start 12s ago)");
    clock.advance(Duration.ofSeconds(18));
    assertEquals(t2.id(), q.claimNext("w1").orElseThrow().id());
  }

  @Test
  void organisation_start_gap_holds_the_next_start_in_that_organisation() {
    limits = limits.withOrganisationStartGap(Duration.ofSeconds(5));
    TaskQueue q = queue();
    enqueue(q, "acme/app", 1);
    Task t2 = enqueue(q, "acme/web", 1);
    q.claimNext("w1").orElseThrow();
    assertHeld(q, t2, "ORG_START_GAP", "organisation start gap 5s in acme");
    clock.advance(Duration.ofSeconds(5));
    assertEquals(t2.id(), q.claimNext("w1").orElseThrow().id());
  }

  @Test
  void dispatch_window_holds_tasks_outside_it() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    perRepo.put("acme/app", base.withWindow(DispatchWindow.weekdays(LocalTime.of(9, 0), LocalTime.of(17, 0), berlin)));
    clock.set(Instant.parse("2026-11-28T12:00:00Z"));  // a Saturday
    TaskQueue q = queue();
    Task t = enqueue(q, "acme/app", 1);
    assertHeld(q, t, "dispatch_window", "dispatch window Mon,Tue,Wed,Thu,Fri 09:00-17:00 Europe/Berlin is closed now");
    clock.set(Instant.parse("2026-11-30T07:59:00Z"));  // Monday 08:59 in Berlin
    assertHeld(q, t, "dispatch_window", "closed now");
    clock.set(Instant.parse("2026-11-30T08:00:00Z"));  // Monday 09:00 in Berlin
    assertEquals(t.id(), q.claimNext("w1").orElseThrow().id());
  }

  @Test
  void overnight_dispatch_window_belongs_to_the_day_it_opens() {
    ZoneId utc = ZoneId.of("UTC");
    DispatchWindow nights = new DispatchWindow(EnumSet.of(DayOfWeek.FRIDAY), LocalTime.of(22, 0), LocalTime.of(6, 0), utc);
    assertTrue(nights.contains(Instant.parse("2026-11-27T23:00:00Z")));   // Friday night
    assertTrue(nights.contains(Instant.parse("2026-11-28T05:59:00Z")));   // early Saturday
    assertFalse(nights.contains(Instant.parse("2026-11-28T23:00:00Z")));  // Saturday night
    assertFalse(nights.contains(Instant.parse("2026-11-27T05:00:00Z")));  // early Friday
  }

  @Test
  void circuit_breaker_pauses_a_failing_repository_until_the_cool_down_ends() {
    perRepo.put("acme/app", base.withBreaker(2, 0.5, Duration.ofHours(1)));
    TaskQueue q = queue();
    Task t1 = enqueue(q, "acme/app", 1);
    Task t2 = enqueue(q, "acme/app", 2);
    Task t3 = enqueue(q, "acme/app", 3);
    failNext(q, TaskState.FAILED);
    assertTrue(q.pausedUntil("acme/app").isEmpty(), "one failure of a window of 2 does not trip it");
    failNext(q, TaskState.TIMED_OUT);
    assertEquals(clock.instant().plus(Duration.ofHours(1)), q.pausedUntil("acme/app").orElseThrow());
    assertHeld(q, t3, "circuit_breaker", "circuit breaker open until");
    assertTrue(q.explain(t3.id()).contains("an admin can resume the repository now"), q.explain(t3.id()));
    clock.advance(Duration.ofMinutes(59));
    assertTrue(q.claimNext("w1").isEmpty());
    clock.advance(Duration.ofMinutes(1));
    assertEquals(t3.id(), q.claimNext("w1").orElseThrow().id());
    assertEquals(TaskState.FAILED, state(q, t1).state());
    assertEquals(TaskState.TIMED_OUT, state(q, t2).state());
  }

  @Test
  void circuit_breaker_resumes_on_request_and_counts_failures_afresh() {
    perRepo.put("acme/app", base.withBreaker(2, 0.5, Duration.ofHours(1)));
    TaskQueue q = queue();
    for (int i = 1; i <= 4; i++) {
      enqueue(q, "acme/app", i);
    }
    failNext(q, TaskState.FAILED);
    failNext(q, TaskState.FAILED);
    assertTrue(q.claimNext("w1").isEmpty());
    q.resume("acme/app");
    assertTrue(q.pausedUntil("acme/app").isEmpty());
    failNext(q, TaskState.FAILED);
    assertTrue(q.pausedUntil("acme/app").isEmpty(), "failures before the resume no longer count");
    Task fourth = q.claimNext("w1").orElseThrow();
    assertEquals(4, fourth.number());
  }

  private void failNext(TaskQueue q, TaskState how) {
    clock.advance(Duration.ofMillis(1));
    Task t = q.claimNext("w1").orElseThrow();
    assertTrue(q.transition(t.id(), TaskState.STARTING, TaskState.RUNNING));
    assertTrue(q.transition(t.id(), TaskState.RUNNING, how, Change.error("agent gave up")));
    assertEquals("agent gave up", state(q, t).error());
  }

  private void assertHeld(TaskQueue q, Task t, String limit, String reasonContains) {
    assertTrue(q.claimNext("w-probe").isEmpty(), "no task of the held repository is claimed");
    TaskStatus s = q.status(t.id());
    assertEquals(TaskState.QUEUED, s.task().state());
    assertFalse(s.heldBy().allowed(), s.explanation());
    assertEquals(limit, s.heldBy().limit(), s.explanation());
    assertTrue(s.heldBy().reason().contains(reasonContains), s.heldBy().reason());
    assertTrue(q.explain(t.id()).contains(s.heldBy().reason()), q.explain(t.id()));
  }

  @Test
  void status_gives_positions_within_the_repository_and_overall() {
    TaskQueue q = queue();
    Task a1 = enqueue(q, "acme/a", 1);
    enqueue(q, "acme/a", 2);
    Task a3 = enqueue(q, "acme/a", 3);
    Task b1 = enqueue(q, "acme/b", 1);
    TaskStatus sb = q.status(b1.id());
    assertEquals(1, sb.positionInRepository());
    assertEquals(2, sb.positionOverall(), "round-robin: b's first task comes right after a's first");
    assertTrue(sb.heldBy().allowed());
    assertTrue(sb.explanation().contains("starts at the next claim"), sb.explanation());
    TaskStatus sa3 = q.status(a3.id());
    assertEquals(3, sa3.positionInRepository());
    assertEquals(4, sa3.positionOverall());
    assertTrue(sa3.explanation().contains("2 earlier tasks of acme/a start first"), sa3.explanation());
    q.claimNext("w1").orElseThrow();
    TaskStatus started = q.status(a1.id());
    assertEquals(0, started.positionOverall());
    assertEquals("task " + a1.id() + " is starting", started.explanation());
  }

  // ---- fairness ----------------------------------------------------------------------------------------------

  @Test
  void one_task_in_b_is_claimed_within_two_claims_despite_a_hundred_in_a() {
    base = base.withMaxConcurrent(1);
    TaskQueue q = queue();
    for (int i = 1; i <= 100; i++) {
      enqueue(q, "acme/a", i);
    }
    Task b = enqueue(q, "acme/b", 1);
    List<Long> claimed = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Task t = q.claimNext("w1").orElseThrow();
      claimed.add(t.id());
      finish(q, t);  // a's slot frees at once: only the rotation keeps b from waiting
      clock.advance(Duration.ofMillis(1));
    }
    assertTrue(claimed.contains(b.id()), "claims: " + claimed);
  }

  @Test
  void claims_rotate_across_twenty_repositories() {
    base = base.withMaxConcurrent(1);
    TaskQueue q = queue();
    for (int r = 0; r < 20; r++) {
      for (int i = 1; i <= 50; i++) {
        q.enqueue(TaskRequest.issueLabel("org" + (r % 3) + "/repo" + r, i, "o", null));
      }
    }
    Map<String, Integer> perRepository = new TreeMap<>();
    for (int i = 0; i < 200; i++) {
      Task t = q.claimNext("w1").orElseThrow();
      perRepository.merge(t.repository(), 1, Integer::sum);
      finish(q, t);
      clock.advance(Duration.ofMillis(1));
      if (i == 19) {
        assertEquals(20, perRepository.size(), "the first 20 claims reach every repository: " + perRepository);
      }
    }
    int max = perRepository.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    int min = perRepository.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
    assertTrue(max - min <= 1, "claims per repository: " + perRepository);
  }

  // ---- leases ------------------------------------------------------------------------------------------------

  @Test
  void leases_of_a_dead_instance_are_taken_over_by_another() {
    limits = limits.withLease(Duration.ofMinutes(5));
    TaskQueue dead = queue();
    TaskQueue alive = queue(open(url));
    Task starting = enqueue(dead, "acme/app", 1);
    Task running = enqueue(dead, "acme/web", 1);
    Task kept = enqueue(dead, "acme/lib", 1);
    assertEquals(starting.id(), dead.claimNext("dead").orElseThrow().id());
    assertEquals(running.id(), dead.claimNext("dead").orElseThrow().id());
    assertTrue(dead.transition(running.id(), TaskState.STARTING, TaskState.RUNNING, Change.by("dead")));
    assertEquals(kept.id(), dead.claimNext("dead").orElseThrow().id());

    clock.advance(Duration.ofMinutes(4));
    assertTrue(dead.renewLease(kept.id(), "dead"), "this one keeps being renewed");
    assertTrue(alive.rescueExpired("alive").adopted().isEmpty(), "nothing expired yet");
    clock.advance(Duration.ofMinutes(2));
    TaskQueue.Rescued rescued = alive.rescueExpired("alive");
    assertEquals(List.of(starting.id()), rescued.requeued());
    assertEquals(List.of(running.id()), rescued.adopted().stream().map(Task::id).toList());
    assertEquals("alive", state(alive, running).leaseOwner());
    assertEquals(TaskState.STARTING, state(alive, kept).state());
    assertEquals("dead", state(alive, kept).leaseOwner());

    Task again = alive.claimNext("alive").orElseThrow();
    assertEquals(starting.id(), again.id());
    assertEquals(2, again.attempt());
    assertFalse(dead.renewLease(running.id(), "dead"), "the old owner lost the lease");
    assertFalse(dead.transition(running.id(), TaskState.RUNNING, TaskState.DONE, Change.by("dead")));
    assertTrue(alive.transition(running.id(), TaskState.RUNNING, TaskState.DONE, Change.by("alive")));
  }

  @Test
  void a_task_whose_starts_keep_dying_fails_after_max_attempts() {
    limits = new Limits(1000, 1000, Duration.ZERO, Duration.ofMinutes(1), 2);
    TaskQueue q = queue();
    Task t = enqueue(q, "acme/app", 1);
    for (int attempt = 1; attempt <= 2; attempt++) {
      assertEquals(attempt, q.claimNext("w" + attempt).orElseThrow().attempt());
      clock.advance(Duration.ofMinutes(2));
      TaskQueue.Rescued r = q.rescueExpired("sweeper");
      assertEquals(attempt < 2 ? List.of(t.id()) : List.of(), r.requeued());
      assertEquals(attempt < 2 ? List.of() : List.of(t.id()), r.failed());
    }
    Task failed = state(q, t);
    assertEquals(TaskState.FAILED, failed.state());
    assertNotNull(failed.finishedAt());
    assertTrue(failed.error().contains("no attempts left"), failed.error());
    Optional<Task> none = q.claimNext("w3");
    assertTrue(none.isEmpty());
  }
}
