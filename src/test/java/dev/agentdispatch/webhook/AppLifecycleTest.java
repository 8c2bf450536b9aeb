package dev.agentdispatch.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.App;
import dev.agentdispatch.Await;
import dev.agentdispatch.ManualClock;
import dev.agentdispatch.TestServer;
import dev.agentdispatch.TestEnv;
import dev.agentdispatch.store.InboxStore;
import dev.agentdispatch.store.InboxStore.Row;
import dev.agentdispatch.store.InboxStore.State;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app across a restart, and its readiness when the database goes away. */
class AppLifecycleTest {
  @TempDir
  Path dir;

  static byte[] labeled() throws IOException {
    return Files.readAllBytes(TestEnv.webhookExamples().resolve("issues.labeled.1.json"));
  }

  @Test
  void accepted_deliveries_survive_a_restart_and_their_retries_run_after_it() throws IOException {
    ManualClock clock = new ManualClock();
    DispatchPolicy hourly = TestServer.FAST.withRetry(5, Duration.ofHours(1), Duration.ofHours(1));
    Map<String, String> env = TestEnv.env(dir);
    List<String> ids = new ArrayList<>();
    App first = App.builder(dev.agentdispatch.config.Settings.fromEnv(env)).clock(clock)
        .handlers(h -> h.on("issues", "down", d -> {
          throw new IllegalStateException("GitHub is down");
        })).dispatchPolicy(hourly).build().start("127.0.0.1");
    try (TestServer t = wrap(first)) {
      for (int k = 0; k < 20; k++) {
        String id = "restart-" + k;
        ids.add(id);
        assertEquals(202, t.post("issues", id, labeled()).statusCode());
      }
      InboxStore store = first.inboxStore();
      Await.until("every delivery tried once and scheduled for retry", Duration.ofSeconds(20),
          () -> ids.stream().allMatch(id -> store.find(id)
              .map(r -> r.state() == State.PENDING && r.attempts() == 1).orElse(false)),
          () -> store.countByState().toString());
    }
    Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    App second = App.builder(dev.agentdispatch.config.Settings.fromEnv(env)).clock(clock)
        .handlers(h -> h.on("issues", "up", d -> handled.computeIfAbsent(d.id(), k -> new AtomicInteger())
            .incrementAndGet())).dispatchPolicy(hourly).build().start("127.0.0.1");
    try (TestServer t = wrap(second)) {
      InboxStore store = second.inboxStore();
      assertEquals(20L, store.countByState().get(State.PENDING), "nothing due before the backoff ends");
      clock.advance(Duration.ofHours(2));
      Await.until("all done after the restart", Duration.ofSeconds(20),
          () -> store.countByState().get(State.DONE) == 20, () -> store.countByState().toString());
      for (String id : ids) {
        Row r = store.find(id).orElseThrow();
        assertEquals(2, r.attempts(), id);
        assertEquals(1, handled.get(id).get(), id);
      }
      assertEquals(20, handled.size());
    }
  }

  @Test
  void readiness_answers_503_when_the_database_is_gone() {
    try (TestServer t = TestServer.start(TestEnv.env(dir))) {
      assertEquals(200, t.get("/readyz").statusCode());
      t.app.database().close();
      HttpResponse<String> r = t.get("/readyz");
      assertEquals(503, r.statusCode(), r.body());
      assertTrue(r.body().contains("database"), r.body());
      assertEquals(200, t.get("/healthz").statusCode(), "liveness does not depend on the database");
    }
  }

  @Test
  void a_delivery_that_cannot_be_stored_answers_503() throws IOException {
    try (TestServer t = TestServer.start(TestEnv.env(dir))) {
      t.app.database().close();
      HttpResponse<String> r = t.post("issues", "lost-db", labeled());
      assertEquals(503, r.statusCode(), r.body());
      assertTrue(r.body().contains("redeliver"), r.body());
    }
  }

  private static TestServer wrap(App app) {
    return TestServer.wrap(app);
  }
}
