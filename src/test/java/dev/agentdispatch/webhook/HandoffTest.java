package dev.agentdispatch.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.Await;
import dev.agentdispatch.store.Database;
import dev.agentdispatch.store.InboxStore;
import dev.agentdispatch.store.InboxStore.NewDelivery;
import dev.agentdispatch.store.InboxStore.State;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receiving instance's hand-over from the inbox writer to its own dispatcher (no claim on the happy path). */
class HandoffTest {
  static final DispatchPolicy ONE_WORKER = new DispatchPolicy(1, 128, Duration.ofMinutes(2), 5,
      Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofSeconds(1));

  @TempDir
  Path dir;

  static NewDelivery delivery(String id) {
    return NewDelivery.of(id, "issues", "labeled", 1L, "o/r", "u", System.currentTimeMillis(),
        "{}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void deliveries_are_handed_over_handled_once_and_completed_through_the_writer() throws Exception {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("h.db"))) {
      InboxStore store = new InboxStore(db);
      List<String> seen = new CopyOnWriteArrayList<>();
      Handlers handlers = new Handlers().on("issues.labeled", "record", d -> seen.add(d.id()));
      Dispatcher dispatcher = new Dispatcher(store, handlers, Clock.systemUTC(), ONE_WORKER,
          new WebhookMetrics(new PrometheusRegistry()));
      dispatcher.start();
      Inbox inbox = new Inbox(store, dispatcher, Clock.systemUTC());
      try {
        for (int i = 0; i < 50; i++) {
          assertEquals(Inbox.Outcome.STORED, inbox.store(delivery("d" + i)).get(10, TimeUnit.SECONDS));
        }
        Await.until("all done", Duration.ofSeconds(20),
            () -> store.countByState().getOrDefault(State.DONE, 0L) == 50L, () -> store.countByState().toString());
        assertEquals(50, seen.size(), "each handled exactly once");
        assertEquals(1, store.find("d7").orElseThrow().attempts(), "the hand-over is the first and only lease");
      } finally {
        inbox.close();
        dispatcher.close();
      }
    }
  }

  @Test
  void on_stop_what_was_handed_over_but_not_handled_goes_back_to_the_queue() throws Exception {
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("h.db"))) {
      InboxStore store = new InboxStore(db);
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Handlers handlers = new Handlers().on("issues.labeled", "slow", d -> {
        entered.countDown();
        release.await(10, TimeUnit.SECONDS);
      });
      Dispatcher dispatcher = new Dispatcher(store, handlers, Clock.systemUTC(), ONE_WORKER,
          new WebhookMetrics(new PrometheusRegistry()));
      dispatcher.start();
      Inbox inbox = new Inbox(store, dispatcher, Clock.systemUTC());
      inbox.store(delivery("first")).get(10, TimeUnit.SECONDS);
      assertTrue(entered.await(10, TimeUnit.SECONDS));
      inbox.store(delivery("second")).get(10, TimeUnit.SECONDS);
      inbox.store(delivery("third")).get(10, TimeUnit.SECONDS);
      assertEquals(State.PROCESSING, store.find("third").orElseThrow().state(), "handed over, leased");

      CompletableFuture<Void> stopping = CompletableFuture.runAsync(dispatcher::close);
      Await.until("stopping", Duration.ofSeconds(10), () -> !dispatcher.isRunning(), () -> "still running");
      release.countDown();
      stopping.get(20, TimeUnit.SECONDS);
      inbox.close();

      assertEquals(State.DONE, store.find("first").orElseThrow().state());
      assertEquals(State.PENDING, store.find("second").orElseThrow().state(), "released, not lost");
      assertEquals(State.PENDING, store.find("third").orElseThrow().state());
      assertEquals(2, store.claim("next", 10, System.currentTimeMillis(), System.currentTimeMillis() + 60_000)
          .size(), "another worker or instance takes them");
    }
  }

  @Test
  void a_batch_that_outlasts_its_lease_leaves_the_rest_to_the_rescue_and_nothing_is_handled_twice() throws Exception {
    DispatchPolicy shortLease = new DispatchPolicy(2, 128, Duration.ofMillis(400), 5, Duration.ofSeconds(5),
        Duration.ofMinutes(10), Duration.ofMillis(50));
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("h.db"))) {
      InboxStore store = new InboxStore(db);
      List<NewDelivery> backlog = new java.util.ArrayList<>();
      for (int i = 0; i < 30; i++) {
        backlog.add(delivery("b" + i));
      }
      store.insert(backlog); // a backlog in the table: one worker claims it all in one batch
      List<String> seen = new CopyOnWriteArrayList<>();
      Handlers handlers = new Handlers().on("issues.labeled", "slow", d -> {
        seen.add(d.id());
        Thread.sleep(40); // 30 x 40 ms is three times the lease
      });
      Dispatcher dispatcher = new Dispatcher(store, handlers, Clock.systemUTC(), shortLease,
          new WebhookMetrics(new PrometheusRegistry()));
      dispatcher.start();
      try {
        Await.until("backlog done", Duration.ofSeconds(30),
            () -> store.countByState().getOrDefault(State.DONE, 0L) == 30L, () -> store.countByState().toString());
      } finally {
        dispatcher.close();
      }
      assertEquals(30, seen.size(), "each handled once: " + seen);
      assertEquals(30, new java.util.HashSet<>(seen).size());
    }
  }
}
