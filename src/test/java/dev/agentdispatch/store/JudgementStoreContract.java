package dev.agentdispatch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.task.Limits;
import dev.agentdispatch.task.RepoLimits;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskQueue;
import dev.agentdispatch.task.TaskRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stored boundary and the judgement store (V5), the same on every database; one subclass per database. */
abstract class JudgementStoreContract {
  static final long T0 = Instant.parse("2026-11-02T09:00:00Z").toEpochMilli();

  Database db;
  JudgementStore store;

  abstract String freshJdbcUrl();

  @BeforeEach
  void open() {
    db = Database.open(freshJdbcUrl());
    store = new JudgementStore(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void the_boundary_is_stored_at_enqueue_and_read_back_with_the_task() {
    TaskQueue queue = new TaskQueue(new TaskStore(db), Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC),
        Limits.DEFAULTS, r -> RepoLimits.DEFAULTS);
    String json = "{\"scope\":[\"src/**\"],\"done_when\":[{\"kind\":\"checks_pass\"}],\"timeout_seconds\":2700,"
        + "\"on_failure\":\"close\",\"protected_paths\":[],\"from_defaults\":[]}";
    Task t = queue.enqueue(new TaskRequest("octo/app", 1L, 7, Task.Kind.ISSUE, Task.Trigger.LABEL, "bob", "d-1",
        "prompt", "src/**", null, null, json)).task();
    assertEquals(json, queue.find(t.id()).orElseThrow().boundary());
    Task without = queue.enqueue(TaskRequest.issueLabel("octo/app", 8, "bob", "d-2")).task();
    assertNull(queue.find(without.id()).orElseThrow().boundary());
  }

  @Test
  void a_judgement_starts_pending_once_and_records_verdicts_until_a_rollback_is_claimed() {
    JudgementStore.Row first = store.start(1, T0, T0);
    JudgementStore.Row again = store.start(1, T0 + 5, T0 + 5);
    assertEquals(T0, again.since(), "started once");
    assertNull(first.outcome());
    assertEquals(List.of(1L), store.pending(10).stream().map(JudgementStore.Row::taskId).toList());

    assertTrue(store.verdict(1, "needs_attention", "all checks pass", "build failed", T0 + 100, T0 + 200));
    JudgementStore.Row j = store.find(1).orElseThrow();
    assertEquals("needs_attention", j.outcome());
    assertEquals(T0 + 100, j.decidedAt());
    assertEquals(T0 + 200, j.judgedAt());
    assertTrue(store.pending(10).isEmpty());

    assertTrue(store.claimRollback(1, "a", T0 + 300, T0 + 400, T0 + 100));
    assertFalse(store.verdict(1, "succeeded", "all checks pass", "fixed", T0 + 350, T0 + 350),
        "the verdict that started a rollback stands");
    assertEquals("needs_attention", store.find(1).orElseThrow().outcome());
  }

  @Test
  void a_rollback_is_claimed_by_one_owner_after_the_grace_and_taken_over_only_when_its_lease_ran_out() {
    store.start(1, T0, T0);
    store.verdict(1, "failed", "scope", "outside", T0 + 1_000, T0 + 1_000);
    assertFalse(store.claimRollback(1, "a", T0 + 2_000, T0 + 3_000, T0 + 999), "decided after the cut-off: in grace");
    assertEquals(List.of(1L), store.rollbackCandidates(T0 + 1_000, 10).stream().map(JudgementStore.Row::taskId)
        .toList());
    assertTrue(store.rollbackCandidates(T0 + 999, 10).isEmpty());

    assertTrue(store.claimRollback(1, "a", T0 + 2_000, T0 + 3_000, T0 + 1_000));
    assertFalse(store.claimRollback(1, "b", T0 + 2_500, T0 + 3_500, T0 + 1_000), "a holds it");
    assertTrue(store.stepDone(1, "a", List.of("explained"), T0 + 2_100));
    assertFalse(store.stepDone(1, "b", List.of("explained", "closed"), T0 + 2_100), "only the holder records");

    assertTrue(store.claimRollback(1, "b", T0 + 3_001, T0 + 4_000, T0 + 1_000), "a's lease ran out");
    assertEquals(List.of("explained"), store.find(1).orElseThrow().rollbackSteps(), "b resumes after a's steps");
    assertTrue(store.stepDone(1, "b", List.of("explained", "closed"), T0 + 3_100));
    assertTrue(store.rollbackDone(1, "b", T0 + 3_200));
    JudgementStore.Row done = store.find(1).orElseThrow();
    assertEquals(T0 + 3_200, done.rollbackDoneAt());
    assertNull(done.rollbackOwner());
    assertFalse(store.claimRollback(1, "c", T0 + 9_000, T0 + 10_000, T0 + 9_000), "done once");
    assertTrue(store.rollbackCandidates(T0 + 9_000, 10).isEmpty());
  }

  @Test
  void settling_ends_an_unclaimed_rollback_with_nothing_to_do_and_succeeded_never_calls_for_one() {
    store.start(1, T0, T0);
    store.verdict(1, "timed_out", "timeout (30m)", "no decision", T0, T0);
    store.start(2, T0, T0);
    store.verdict(2, "succeeded", "all checks pass", "ok", T0, T0);
    assertEquals(List.of(1L), store.rollbackCandidates(T0 + 1, 10).stream().map(JudgementStore.Row::taskId).toList());

    assertTrue(store.settle(1, "pull_request_closed", T0 + 5));
    assertFalse(store.settle(1, "pull_request_closed", T0 + 6));
    assertEquals(List.of("pull_request_closed"), store.find(1).orElseThrow().rollbackSteps());
    assertTrue(store.rollbackCandidates(T0 + 10, 10).isEmpty());
  }
}
