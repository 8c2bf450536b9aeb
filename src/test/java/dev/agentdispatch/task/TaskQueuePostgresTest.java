package dev.agentdispatch.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The queue contract on PostgreSQL (one embedded server per class, a new database per test), plus instances. */
final class TaskQueuePostgresTest extends TaskQueueContract {
  private static EmbeddedPostgres pg;
  private static String template;

  @BeforeAll
  static void startPostgres() {
    pg = TaskTestDatabases.startPostgres();
    template = TaskTestDatabases.migratedTemplate(pg);
  }

  @AfterAll
  static void stopPostgres() {
    TaskTestDatabases.stop(pg);
  }

  @Override
  String newDatabaseUrl() {
    return TaskTestDatabases.freshPostgresUrl(pg, template);
  }

  @Test
  void two_instances_claiming_from_eight_threads_never_claim_a_task_twice() throws Exception {
    base = base.withMaxConcurrent(1000);
    TaskQueue one = queue();
    TaskQueue two = queue(open(url));
    int tasks = 200;
    for (int i = 0; i < tasks; i++) {
      one.enqueue(TaskRequest.issueLabel("org" + (i % 4) + "/repo" + (i % 20), i, "o", null));
    }
    List<Long> claimed = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      TaskQueue q = w % 2 == 0 ? one : two;
      String owner = "instance-" + (w % 2) + "-thread-" + w;
      workers.add(pool.submit(() -> {
        go.await();
        for (Optional<Task> t = q.claimNext(owner); t.isPresent(); t = q.claimNext(owner)) {
          claimed.add(t.get().id());
          assertTrue(q.transition(t.get().id(), TaskState.STARTING, TaskState.RUNNING, Change.by(owner)));
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : workers) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    Set<Long> distinct = new HashSet<>(claimed);
    assertEquals(claimed.size(), distinct.size(), "a task was claimed twice");
    assertEquals(tasks, distinct.size());
  }

  @Test
  void concurrent_claims_from_two_instances_respect_the_repository_limit() throws Exception {
    base = base.withMaxConcurrent(2);
    limits = limits.withLease(Duration.ofMinutes(5));
    TaskQueue one = queue();
    TaskQueue two = queue(open(url));
    for (int i = 0; i < 30; i++) {
      one.enqueue(TaskRequest.issueLabel("acme/app", i, "o", null));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Optional<Task>>> claims = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      TaskQueue q = w % 2 == 0 ? one : two;
      String owner = "w" + w;
      claims.add(pool.submit(() -> q.claimNext(owner)));
    }
    int got = 0;
    for (Future<Optional<Task>> f : claims) {
      got += f.get(60, TimeUnit.SECONDS).isPresent() ? 1 : 0;
    }
    pool.shutdown();
    assertEquals(2, got, "exactly max_concurrent_tasks claims succeed");
  }

  @Test
  void the_same_issue_enqueued_from_two_instances_at_once_yields_one_active_task() throws Exception {
    TaskQueue one = queue();
    TaskQueue two = queue(open(url));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Enqueued>> results = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      TaskQueue q = w % 2 == 0 ? one : two;
      String delivery = "d-" + (w % 4);  // each delivery arrives twice, at both instances
      results.add(pool.submit(() -> {
        go.await();
        return q.enqueue(TaskRequest.issueLabel("acme/app", 7, "octocat", delivery));
      }));
    }
    go.countDown();
    Set<Long> ids = new HashSet<>();
    int queued = 0;
    for (Future<Enqueued> f : results) {
      Enqueued e = f.get(60, TimeUnit.SECONDS);
      queued += e.isNew() ? 1 : 0;
      ids.add(e.task().id());
      // a delivery's second arrival may find its own task (already handled) or the issue's (already active)
      assertTrue(e.outcome() == Enqueued.Outcome.QUEUED || e.outcome() == Enqueued.Outcome.ALREADY_ACTIVE
          || e.outcome() == Enqueued.Outcome.ALREADY_HANDLED, e.message());
    }
    pool.shutdown();
    assertEquals(1, queued);
    assertEquals(1, ids.size(), "every caller learns the one task");
  }
}
