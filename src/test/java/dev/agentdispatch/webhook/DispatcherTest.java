package dev.agentdispatch.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdispatch.Await;
import dev.agentdispatch.ManualClock;
import dev.agentdispatch.TestEnv;
import dev.agentdispatch.TestServer;
import dev.agentdispatch.store.Database;
import dev.agentdispatch.store.InboxStore;
import dev.agentdispatch.store.InboxStore.NewDelivery;
import dev.agentdispatch.store.InboxStore.Row;
import dev.agentdispatch.store.InboxStore.State;
import dev.agentdispatch.store.PostgresPerClass;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DispatcherTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  @RegisterExtension
  static final PostgresPerClass pg = new PostgresPerClass();

  @TempDir
  Path dir;

  static byte[] labeled() throws IOException {
    return Files.readAllBytes(TestEnv.webhookExamples().resolve("issues.labeled.1.json"));
  }

  static byte[] opened() throws IOException {
    return Files.readAllBytes(TestEnv.webhookExamples().resolve("issues.opened.1.json"));
  }

  TestServer app(Consumer<Handlers> handlers) {
    return TestServer.start(TestEnv.env(dir), handlers, TestServer.FAST);
  }

  static Row awaitState(TestServer t, String id, State state) {
    Await.until(id + " " + state, WAIT,
        () -> t.app.inboxStore().find(id).map(r -> r.state() == state).orElse(false),
        () -> String.valueOf(t.app.inboxStore().find(id)));
    return t.app.inboxStore().find(id).orElseThrow();
  }

  @Test
  void a_handler_for_issues_labeled_receives_the_delivery_with_its_parsed_json() throws IOException {
    List<Delivery> seen = new CopyOnWriteArrayList<>();
    List<JsonNode> json = new CopyOnWriteArrayList<>();
    try (TestServer t = app(h -> h.on("issues.labeled", "recorder", d -> {
      json.add(d.json());
      seen.add(d);
    }))) {
      String id = UUID.randomUUID().toString();
      assertEquals(202, t.post("issues", id, labeled()).statusCode());
      Row row = awaitState(t, id, State.DONE);
      assertEquals(1, row.attempts());
      assertEquals(1, seen.size());
      Delivery d = seen.get(0);
      assertEquals(id, d.id());
      assertEquals("issues", d.event());
      assertEquals("labeled", d.action());
      assertEquals("issues.labeled", d.name());
      assertEquals(row.repository(), d.repository());
      assertEquals(1, d.attempt());
      assertEquals(new ObjectMapper().readTree(labeled()), json.get(0));
      assertEquals(new String(labeled(), StandardCharsets.UTF_8), d.payload());
    }
  }

  @Test
  void a_handler_for_the_whole_event_gets_every_action_and_others_only_theirs() throws IOException {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    Consumer<String> count = name -> calls.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    try (TestServer t = app(h -> h
        .on("issues", "all-issues", d -> count.accept("all-issues:" + d.action()))
        .on("issues.labeled", "labeled-only", d -> count.accept("labeled-only"))
        .on("pull_request", "prs", d -> count.accept("prs")))) {
      String a = UUID.randomUUID().toString();
      String b = UUID.randomUUID().toString();
      assertEquals(202, t.post("issues", a, labeled()).statusCode());
      assertEquals(202, t.post("issues", b, opened()).statusCode());
      awaitState(t, a, State.DONE);
      awaitState(t, b, State.DONE);
      assertEquals(1, calls.get("all-issues:labeled").get());
      assertEquals(1, calls.get("all-issues:opened").get());
      assertEquals(1, calls.get("labeled-only").get());
      assertNull(calls.get("prs"));
    }
  }

  @Test
  void metrics_show_the_inbox_depth_and_each_handlers_latency_by_outcome() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (TestServer t = app(h -> h.on("issues.labeled", "held", d -> release.await(20, TimeUnit.SECONDS))
        .on("issues.opened", "broken", d -> {
          throw new IllegalStateException("boom");
        }))) {
      String held = UUID.randomUUID().toString();
      assertEquals(202, t.post("issues", held, labeled()).statusCode());
      Await.until("inbox depth 1 while the handler holds the delivery", WAIT,
          () -> t.metric("agent_dispatch_inbox_depth") == 1.0);
      assertEquals(0.0, t.metric("agent_dispatch_handler_duration_seconds_count{handler=\"held\",outcome=\"ok\"}"));
      release.countDown();
      awaitState(t, held, State.DONE);
      assertEquals(1.0, t.metric("agent_dispatch_handler_duration_seconds_count{handler=\"held\",outcome=\"ok\"}"));
      assertEquals(0.0, t.metric("agent_dispatch_inbox_depth"));

      assertEquals(202, t.post("issues", UUID.randomUUID().toString(), opened()).statusCode());
      Await.until("the failing handler's latency counted as an error", WAIT,
          () -> t.metric("agent_dispatch_handler_duration_seconds_count{handler=\"broken\",outcome=\"error\"}") >= 1);
      assertEquals(0.0, t.metric("agent_dispatch_handler_duration_seconds_count{handler=\"broken\",outcome=\"ok\"}"));
    }
  }

  /** A handler that wants only deliveries from an installation, as the app's triggers do. */
  static EventHandler installationsOnly(List<String> seen) {
    return new EventHandler() {
      @Override
      public void handle(Delivery d) {
        seen.add(d.id());
      }

      @Override
      public boolean wants(Delivery d) {
        return d.installationId() != null;
      }
    };
  }

  @Test
  void a_delivery_no_handler_wants_is_stored_done_with_no_attempt_and_never_handled() throws IOException {
    List<String> seen = new CopyOnWriteArrayList<>();
    List<String> openedSeen = new CopyOnWriteArrayList<>();
    try (TestServer t = app(h -> h.on("issues.labeled", installationsOnly(seen))
        .on("issues.opened", "opened", d -> openedSeen.add(d.id())))) {
      String unwanted = UUID.randomUUID().toString();
      String noHandler = UUID.randomUUID().toString();
      assertEquals(202, t.post("issues", unwanted, labeled()).statusCode(), "the example has no installation");
      assertEquals(202, t.post("pull_request", noHandler, labeled()).statusCode());
      Row row = t.app.inboxStore().find(unwanted).orElseThrow();
      assertEquals(State.DONE, row.state(), "done as soon as it is stored: the 202 came after the commit");
      assertEquals(0, row.attempts());
      assertEquals(State.DONE, t.app.inboxStore().find(noHandler).orElseThrow().state());
      assertEquals(0, t.app.inboxStore().find(noHandler).orElseThrow().attempts());
      assertTrue(t.post("issues", unwanted, labeled()).body().contains("duplicate"));
      // a wanted delivery after them is handled: the dispatcher ran, and never saw the unwanted ones
      String wanted = UUID.randomUUID().toString();
      assertEquals(202, t.post("issues", wanted, opened()).statusCode());
      assertEquals(1, awaitState(t, wanted, State.DONE).attempts());
      assertEquals(List.of(wanted), openedSeen);
      assertEquals(List.of(), seen);
      assertEquals(2.0, t.metric("agent_dispatch_inbox_handled_total{outcome=\"unwanted\"}"));
      assertEquals(0L, t.app.inboxStore().depth());
    }
  }

  @Test
  void only_the_handlers_that_want_a_delivery_are_called() throws IOException {
    List<String> picky = new CopyOnWriteArrayList<>();
    List<String> all = new CopyOnWriteArrayList<>();
    try (TestServer t = app(h -> h.on("issues.labeled", installationsOnly(picky))
        .on("issues", "every-issue", d -> all.add(d.id())))) {
      String id = UUID.randomUUID().toString();
      assertEquals(202, t.post("issues", id, labeled()).statusCode());
      assertEquals(1, awaitState(t, id, State.DONE).attempts());
      assertEquals(List.of(id), all);
      assertEquals(List.of(), picky);
    }
  }

  @Test
  void a_handler_whose_wants_reads_the_payload_gets_the_delivery_handled() throws IOException {
    List<String> seen = new CopyOnWriteArrayList<>();
    EventHandler readsPayload = new EventHandler() {
      @Override
      public void handle(Delivery d) {
        seen.add(d.id());
      }

      @Override
      public boolean wants(Delivery d) {
        return d.json().has("label"); // against the rule: before the 202 the payload is not stored yet
      }
    };
    try (TestServer t = app(h -> h.on("issues.labeled", readsPayload))) {
      String id = UUID.randomUUID().toString();
      assertEquals(202, t.post("issues", id, labeled()).statusCode());
      assertEquals(1, awaitState(t, id, State.DONE).attempts(), "when in doubt the delivery is handled");
      assertEquals(List.of(id), seen, "at handling time the payload is there and the handler wants it");
    }
  }

  @Test
  void a_handler_that_always_throws_is_retried_max_attempts_then_the_delivery_is_dead_while_others_go_on()
      throws IOException {
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger opened = new AtomicInteger();
    try (TestServer t = app(h -> h
        .on("issues.labeled", "always-fails", d -> {
          failures.incrementAndGet();
          throw new IllegalStateException("boom on " + d.id());
        })
        .on("issues.opened", "opened-counter", d -> opened.incrementAndGet()))) {
      String bad = UUID.randomUUID().toString();
      assertEquals(202, t.post("issues", bad, labeled()).statusCode());
      String good1 = UUID.randomUUID().toString();
      assertEquals(202, t.post("issues", good1, opened()).statusCode());
      Row dead = awaitState(t, bad, State.DEAD);
      assertEquals(3, dead.attempts());
      assertEquals(3, failures.get());
      assertTrue(dead.lastError().contains("always-fails"), dead.lastError());
      assertTrue(dead.lastError().contains("IllegalStateException"), dead.lastError());
      assertEquals(State.DONE, awaitState(t, good1, State.DONE).state());
      String good2 = UUID.randomUUID().toString();
      assertEquals(202, t.post("issues", good2, opened()).statusCode());
      awaitState(t, good2, State.DONE);
      assertEquals(2, opened.get());
      assertEquals(3, failures.get(), "a dead delivery is not handled again");
      assertEquals(1.0, t.metric("agent_dispatch_inbox_handled_total{outcome=\"dead\"}"));
    }
  }

  @Test
  void a_handler_that_fails_once_then_succeeds_ends_done_with_two_attempts() throws IOException {
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    try (TestServer t = app(h -> h.on("issues.labeled", "flaky", d -> {
      attempts.add(d.attempt());
      if (d.attempt() == 1) {
        throw new java.io.IOException("GitHub answered 502");
      }
    }))) {
      String id = UUID.randomUUID().toString();
      assertEquals(202, t.post("issues", id, labeled()).statusCode());
      Row row = awaitState(t, id, State.DONE);
      assertEquals(2, row.attempts());
      assertNull(row.lastError(), "done clears the error");
      assertEquals(List.of(1, 2), attempts);
    }
  }

  @Test
  void one_failing_handler_does_not_stop_another_handler_of_the_same_delivery() throws IOException {
    AtomicInteger healthy = new AtomicInteger();
    try (TestServer t = app(h -> h
        .on("issues.labeled", "broken", d -> {
          throw new IllegalStateException("broken handler");
        })
        .on("issues.labeled", "healthy", d -> healthy.incrementAndGet()))) {
      String id = UUID.randomUUID().toString();
      assertEquals(202, t.post("issues", id, labeled()).statusCode());
      Row dead = awaitState(t, id, State.DEAD);
      assertEquals(3, healthy.get(), "runs on every attempt: handlers must be idempotent");
      assertTrue(dead.lastError().contains("broken"), dead.lastError());
      assertTrue(!dead.lastError().contains("healthy"), dead.lastError());
    }
  }

  // ---- Driven by hand with a settable clock, on both databases ----

  static Stream<Arguments> databases() {
    return Stream.of(Arguments.of("sqlite"), Arguments.of("postgres"));
  }

  Database open(String name) {
    return Database.open(name.equals("sqlite") ? "jdbc:sqlite:" + dir.resolve("d.db") : pg.freshDatabase());
  }

  static final DispatchPolicy MANUAL = DispatchPolicy.defaults()
      .withRetry(3, Duration.ofSeconds(10), Duration.ofSeconds(60)).withLease(Duration.ofMinutes(2));

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void a_failed_delivery_waits_for_its_backoff_and_is_buried_after_max_attempts(String database) {
    ManualClock clock = new ManualClock();
    AtomicInteger calls = new AtomicInteger();
    Handlers handlers = new Handlers().on("issues", "fails", d -> {
      calls.incrementAndGet();
      throw new IllegalStateException("nope");
    });
    try (Database db = open(database)) {
      InboxStore store = new InboxStore(db);
      Dispatcher dispatcher = new Dispatcher(store, handlers, clock, MANUAL,
          new WebhookMetrics(new PrometheusRegistry()));
      store.insert(List.of(NewDelivery.of("d", "issues", "labeled", 1L, "o/r", "u", clock.millis(),
          "{}".getBytes())));
      assertEquals(1, dispatcher.runOnce("w"));
      assertEquals(State.PENDING, store.find("d").orElseThrow().state());
      assertEquals(0, dispatcher.runOnce("w"), "backoff not over");
      clock.advance(Duration.ofSeconds(7));
      assertEquals(0, dispatcher.runOnce("w"), "backoff is at least 80% of 10s");
      clock.advance(Duration.ofSeconds(3));
      assertEquals(1, dispatcher.runOnce("w"));
      clock.advance(Duration.ofSeconds(20));
      assertEquals(1, dispatcher.runOnce("w"));
      Row dead = store.find("d").orElseThrow();
      assertEquals(State.DEAD, dead.state());
      assertEquals(3, dead.attempts());
      assertEquals(3, calls.get());
      clock.advance(Duration.ofDays(1));
      assertEquals(0, dispatcher.runOnce("w"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void a_delivery_whose_worker_died_is_taken_over_when_its_lease_runs_out(String database) {
    ManualClock clock = new ManualClock();
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    Handlers handlers = new Handlers().on("issues", "records", d -> attempts.add(d.attempt()));
    try (Database db = open(database)) {
      InboxStore store = new InboxStore(db);
      Dispatcher dispatcher = new Dispatcher(store, handlers, clock, MANUAL,
          new WebhookMetrics(new PrometheusRegistry()));
      store.insert(List.of(NewDelivery.of("d", "issues", "labeled", 1L, "o/r", "u", clock.millis(),
          "{}".getBytes())));
      long now = clock.millis();
      assertEquals(1, store.claim("crashed-worker", 10, now, now + MANUAL.lease().toMillis()).size());
      assertEquals(0, dispatcher.runOnce("w"));
      clock.advance(MANUAL.lease().plusMillis(1));
      assertEquals(1, dispatcher.runOnce("w"));
      assertEquals(List.of(2), attempts);
      assertEquals(State.DONE, store.find("d").orElseThrow().state());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void deliveries_without_handlers_are_marked_done(String database) {
    ManualClock clock = new ManualClock();
    try (Database db = open(database)) {
      InboxStore store = new InboxStore(db);
      Dispatcher dispatcher = new Dispatcher(store, new Handlers(), clock, MANUAL,
          new WebhookMetrics(new PrometheusRegistry()));
      store.insert(List.of(NewDelivery.of("d", "star", "created", null, null, null, clock.millis(),
          "{}".getBytes())));
      assertEquals(1, dispatcher.runOnce("w"));
      assertEquals(State.DONE, store.find("d").orElseThrow().state());
      assertEquals(0L, store.depth());
    }
  }
}
