package dev.agentdispatch.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.TestApp;
import dev.agentdispatch.sandbox.DemoWorld;
import dev.agentdispatch.sandbox.SimDelivery;
import dev.agentdispatch.webhook.Delivery;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deliveries GitHub failed to hand over while the app was down are stored and handled once after it starts. */
class DeliveryRecoveryTest {
  private static final String GET_DELIVERY = "GET /app/hook/deliveries/{delivery_id}";
  @TempDir Path dir;
  private final List<Delivery> handled = new CopyOnWriteArrayList<>();
  private TestApp world;

  @BeforeEach
  void start() {
    world = TestApp.startQuiet(dir, h -> h.on("issues.labeled", "Record", handled::add)
        .on("issue_comment.created", "Record", handled::add));
  }

  @AfterEach
  void stop() {
    world.close();
  }

  @Test
  void deliveries_dropped_while_the_app_was_down_are_recovered_and_handled_once() throws Exception {
    world.github.faults().dropWebhooks(null, 2);
    asUser("bob", "POST", "/repos/" + DemoWorld.REPO + "/issues/2/labels", "{\"labels\":[\"agent-task\"]}");
    asUser("alice", "POST", "/repos/" + DemoWorld.REPO + "/issues/1/comments", "{\"body\":\"/copilot go\"}");
    assertEquals(0, world.settle(), "GitHub could not deliver either");
    Set<String> missed = world.github.deliveries().stream().filter(d -> !d.ok()).map(d -> d.guid)
        .collect(Collectors.toSet());
    assertEquals(2, missed.size());

    DeliveryRecovery.Result first = world.app.recoverMissedDeliveries();
    assertEquals(2, first.recovered());
    assertEquals(2, first.failedGuids());
    assertEquals(2, world.settle());

    DeliveryRecovery.Result second = world.app.recoverMissedDeliveries();
    assertEquals(0, second.recovered());
    assertEquals(0, world.settle());

    assertEquals(2, handled.size());
    assertEquals(missed, handled.stream().map(Delivery::id).collect(Collectors.toSet()),
        "stored under GitHub's own delivery ids");
    Delivery labeled = handled.stream().filter(d -> d.name().equals("issues.labeled")).findFirst().orElseThrow();
    assertEquals(DemoWorld.REPO, labeled.repository());
    assertEquals("agent-task", labeled.json().path("label").path("name").asText());
    assertEquals(world.github.installationId(DemoWorld.ORG), labeled.installationId());
    assertEquals(2, world.github.exchanges().stream().filter(e -> GET_DELIVERY.equals(e.operation())).count(),
        "only the missed deliveries were fetched");
  }

  @Test
  void delivered_webhooks_are_left_alone_and_a_late_original_after_recovery_is_a_duplicate() throws Exception {
    asUser("bob", "POST", "/repos/" + DemoWorld.REPO + "/issues/2/labels", "{\"labels\":[\"agent-task\"]}");
    assertEquals(1, world.settle());
    assertEquals(0, world.app.recoverMissedDeliveries().recovered());
    assertEquals(0, world.github.exchanges().stream().filter(e -> GET_DELIVERY.equals(e.operation())).count());

    world.github.faults().dropWebhooks(null, 1);
    asUser("alice", "POST", "/repos/" + DemoWorld.REPO + "/issues/1/comments", "{\"body\":\"again\"}");
    world.settle();
    assertEquals(1, world.app.recoverMissedDeliveries().recovered());
    assertEquals(1, world.settle());
    SimDelivery failed = world.github.deliveries().stream().filter(d -> !d.ok()).findFirst().orElseThrow();
    redeliver(failed.id);
    assertEquals(0, world.settle(), "GitHub's own redelivery finds it already stored");
    assertEquals(2, handled.size());
  }

  @Test
  void deliveries_older_than_three_days_are_not_listed() throws Exception {
    world.github.faults().dropWebhooks(null, 1);
    asUser("bob", "POST", "/repos/" + DemoWorld.REPO + "/issues/2/labels", "{\"labels\":[\"agent-task\"]}");
    world.settle();
    world.clock.advance(Duration.ofDays(3).plusMinutes(1));
    DeliveryRecovery.Result r = world.app.recoverMissedDeliveries();
    assertEquals(0, r.guids());
    assertEquals(0, r.recovered());
  }

  @Test
  void a_stopped_app_recovers_what_github_sent_meanwhile_when_it_starts() throws Exception {
    String db = "jdbc:sqlite:" + dir.resolve("app.db");
    world.app.close(); // the app is down: GitHub's deliveries to it fail
    asUser("bob", "POST", "/repos/" + DemoWorld.REPO + "/issues/2/labels", "{\"labels\":[\"agent-task\"]}");
    world.github.awaitWebhooksIdle();
    assertTrue(world.github.deliveries().stream().noneMatch(SimDelivery::ok), "nothing reached the stopped app");

    List<Delivery> afterRestart = new CopyOnWriteArrayList<>();
    try (dev.agentdispatch.App restarted = dev.agentdispatch.App.builder(dev.agentdispatch.config.Settings.fromEnv(
            TestApp.environment(world.github, db)))
        .clock(world.clock).handlers(h -> h.on("issues.labeled", "Record", afterRestart::add))
        .build().start("127.0.0.1")) {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (afterRestart.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(1, afterRestart.size(), "recovered on start and handled by the background workers");
      assertEquals("agent-task", afterRestart.get(0).json().path("label").path("name").asText());
    }
  }

  private void redeliver(long id) throws Exception {
    HttpResponse<String> r = call("POST", "/app/hook/deliveries/" + id + "/attempts", null,
        "Bearer " + world.app.github().jwt().token());
    assertEquals(202, r.statusCode(), r.body());
  }

  private void asUser(String login, String method, String path, String json) throws Exception {
    HttpResponse<String> r = call(method, path, json, "token " + world.github.tokenOf(login));
    assertTrue(r.statusCode() < 300, r.body());
  }

  private HttpResponse<String> call(String method, String path, String json, String auth) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(world.github.url() + path)).timeout(Duration.ofSeconds(10))
        .header("Authorization", auth).header("Content-Type", "application/json")
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
        .build();
    return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
  }
}
