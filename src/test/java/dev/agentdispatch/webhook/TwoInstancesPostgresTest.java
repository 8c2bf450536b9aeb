package dev.agentdispatch.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.Await;
import dev.agentdispatch.TestEnv;
import dev.agentdispatch.TestServer;
import dev.agentdispatch.store.InboxStore.State;
import dev.agentdispatch.store.PostgresPerClass;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two app instances (own HTTP ports, own Database objects) on one PostgreSQL database. */
class TwoInstancesPostgresTest {
  @RegisterExtension
  static final PostgresPerClass pg = new PostgresPerClass();

  @TempDir
  Path dir;
  TestServer a;
  TestServer b;
  final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
  final AtomicInteger handledByA = new AtomicInteger();
  final AtomicInteger handledByB = new AtomicInteger();
  ExecutorService pool;

  @BeforeEach
  void startTwoInstances() {
    String url = pg.freshDatabase();
    a = TestServer.start(env(url), recorder(handledByA), TestServer.FAST);
    b = TestServer.start(env(url), recorder(handledByB), TestServer.FAST);
    pool = Executors.newFixedThreadPool(32);
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
    a.close();
    b.close();
  }

  Map<String, String> env(String url) {
    Map<String, String> env = TestEnv.env(dir);
    env.put("DATABASE_URL", url);
    return env;
  }

  Consumer<Handlers> recorder(AtomicInteger perInstance) {
    return h -> h.on("issues", "recorder", d -> {
      handled.computeIfAbsent(d.id(), k -> new AtomicInteger()).incrementAndGet();
      perInstance.incrementAndGet();
    });
  }

  static byte[] labeled() throws IOException {
    return Files.readAllBytes(TestEnv.webhookExamples().resolve("issues.labeled.1.json"));
  }

  long rows(String sql) {
    return a.app.database().read(c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /** Sends each of {@code ids} delivery ids to both instances at the same moment; element k is [A, B]. */
  List<HttpResponse<String>[]> sendEachToBoth(int ids) throws Exception {
    byte[] body = labeled();
    List<Future<HttpResponse<String>>> toA = new ArrayList<>();
    List<Future<HttpResponse<String>>> toB = new ArrayList<>();
    for (int k = 0; k < ids; k++) {
      String id = "same-" + k;
      CyclicBarrier together = new CyclicBarrier(2);
      toA.add(pool.submit(() -> {
        together.await(30, TimeUnit.SECONDS);
        return a.post("issues", id, body);
      }));
      toB.add(pool.submit(() -> {
        together.await(30, TimeUnit.SECONDS);
        return b.post("issues", id, body);
      }));
    }
    List<HttpResponse<String>[]> answers = new ArrayList<>();
    for (int k = 0; k < ids; k++) {
      @SuppressWarnings("unchecked")
      HttpResponse<String>[] pair = new HttpResponse[] {toA.get(k).get(60, TimeUnit.SECONDS),
          toB.get(k).get(60, TimeUnit.SECONDS)};
      answers.add(pair);
    }
    return answers;
  }

  /**
   * The invariant that must hold whatever the interleaving: a delivery id is never stored twice nor
   * accepted twice (TwoInstancesSameDeliveryTest checks the stricter exactly-one-202-one-200).
   */
  @Test
  void the_same_delivery_sent_to_both_instances_at_once_is_never_stored_or_accepted_twice() throws Exception {
    int ids = 200;
    List<HttpResponse<String>[]> answers = sendEachToBoth(ids);
    Map<String, Integer> outcomes = new TreeMap<>();
    int accepted = 0;
    for (int k = 0; k < ids; k++) {
      int sa = answers.get(k)[0].statusCode();
      int sb = answers.get(k)[1].statusCode();
      outcomes.merge(Math.min(sa, sb) + "+" + Math.max(sa, sb), 1, Integer::sum);
      assertTrue(List.of(200, 202, 503).contains(sa) && List.of(200, 202, 503).contains(sb), sa + "/" + sb);
      assertTrue(!(sa == 202 && sb == 202), "same-" + k + " accepted twice");
      if (sa == 200 || sb == 200) {
        assertTrue(sa == 202 || sb == 202, "a duplicate answer means the other copy was stored: same-" + k);
        String duplicate = sa == 200 ? answers.get(k)[0].body() : answers.get(k)[1].body();
        assertTrue(duplicate.contains("duplicate"), duplicate);
      }
      accepted += (sa == 202 || sb == 202) ? 1 : 0;
    }
    assertEquals(accepted, rows("SELECT count(*) FROM inbox"), "outcomes " + outcomes);
    assertEquals(accepted, rows("SELECT count(DISTINCT delivery_id) FROM inbox"));
    assertEquals(accepted, rows("SELECT count(*) FROM inbox_payload"));
    assertTrue(accepted > ids / 2, "outcomes " + outcomes);
  }

  @Test
  void every_delivery_is_handled_exactly_once_across_both_instances() throws Exception {
    byte[] body = labeled();
    int total = 500;
    List<Future<Integer>> sent = new ArrayList<>();
    for (int k = 0; k < total; k++) {
      String id = "once-" + k;
      TestServer to = k % 2 == 0 ? a : b;
      sent.add(pool.submit(() -> to.post("issues", id, body).statusCode()));
    }
    for (Future<Integer> f : sent) {
      assertEquals(202, f.get(60, TimeUnit.SECONDS));
    }
    Await.until("all deliveries done", Duration.ofSeconds(60),
        () -> a.app.inboxStore().countByState().get(State.DONE) == total,
        () -> a.app.inboxStore().countByState().toString());
    // Both dispatchers keep polling; nothing may be handled a second time.
    assertEquals(total, handled.size());
    List<String> twice = handled.entrySet().stream().filter(e -> e.getValue().get() != 1)
        .map(e -> e.getKey() + "=" + e.getValue()).toList();
    assertEquals(List.of(), twice);
    assertEquals(total, handledByA.get() + handledByB.get(),
        "A handled " + handledByA.get() + ", B handled " + handledByB.get());
    assertEquals(0L, a.app.inboxStore().depth());
  }
}
