package dev.agentdispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.sandbox.DemoWorld;
import dev.agentdispatch.webhook.Delivery;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app and the simulator wired as the sandbox wires them: a person's REST call reaches the app's handlers. */
class SandboxWiringTest {
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
  void labeling_an_issue_as_a_user_delivers_a_signed_webhook_the_app_stores_and_handles() throws Exception {
    HttpResponse<String> r = asUser("bob", "POST", "/repos/" + DemoWorld.REPO + "/issues/2/labels",
        "{\"labels\":[\"agent-task\"]}");
    assertEquals(200, r.statusCode(), r.body());

    assertEquals(1, world.settle());

    assertEquals(1, handled.size());
    Delivery d = handled.get(0);
    assertEquals("issues.labeled", d.name());
    assertEquals(DemoWorld.REPO, d.repository());
    assertEquals("bob", d.sender());
    assertEquals(world.github.installationId(DemoWorld.ORG), d.installationId());
    assertEquals("agent-task", d.json().path("label").path("name").asText());
    assertEquals(2, d.json().path("issue").path("number").asInt());
    assertEquals(world.clock.instant(), d.receivedAt(), "the app runs on the simulator's clock");
    assertTrue(world.github.deliveries().stream().allMatch(x -> x.statusCode == 202),
        "the simulator saw the app's 202 for every delivery");
  }

  @Test
  void a_comment_reaches_the_app_and_a_wrong_secret_is_refused() throws Exception {
    asUser("alice", "POST", "/repos/" + DemoWorld.REPO + "/issues/1/comments", "{\"body\":\"/copilot help\"}");
    assertEquals(1, world.settle());
    assertEquals("/copilot help", handled.get(0).json().path("comment").path("body").asText());

    world.github.webhook(world.appUrl() + "/api/github/webhooks", "not-the-secret");
    asUser("alice", "POST", "/repos/" + DemoWorld.REPO + "/issues/1/comments", "{\"body\":\"again\"}");
    assertEquals(0, world.settle());
    assertEquals(401, world.github.deliveries().get(world.github.deliveries().size() - 1).statusCode);
  }

  private HttpResponse<String> asUser(String login, String method, String path, String json) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(world.github.url() + path))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "token " + world.github.tokenOf(login))
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(json))
        .build();
    return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
  }
}
