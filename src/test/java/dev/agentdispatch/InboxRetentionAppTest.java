package dev.agentdispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.sandbox.DemoWorld;
import dev.agentdispatch.store.InboxStore.State;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * INBOX_RETENTION end to end: deliveries that came over HTTP and were handled are deleted by the app's sweep once
 * they are older than the default 30 days; a dead-lettered one stays.
 */
class InboxRetentionAppTest {
  @TempDir Path dir;

  @Test
  void handled_deliveries_go_after_the_retention_and_dead_letters_stay() throws Exception {
    try (TestApp world = TestApp.startQuiet(dir, h -> h.on("issues.labeled", "Record", d -> { })
        .on("issue_comment.created", "Fail", d -> {
          throw new IllegalStateException("this handler always fails");
        }))) {
      asUser(world, "bob", "/repos/" + DemoWorld.REPO + "/issues/2/labels", "{\"labels\":[\"agent-task\"]}");
      asUser(world, "alice", "/repos/" + DemoWorld.REPO + "/issues/1/comments", "{\"body\":\"hello\"}");
      world.settle();
      for (int i = 0; i < 20 && world.app.inboxStore().countByState().get(State.DEAD) == 0; i++) {
        world.clock.advance(Duration.ofHours(1)); // past each retry's backoff
        world.app.runDueWork();
      }
      assertEquals(1L, world.app.inboxStore().countByState().get(State.DONE));
      assertEquals(1L, world.app.inboxStore().countByState().get(State.DEAD));

      world.clock.advance(Duration.ofDays(29));
      assertEquals(0, world.app.pruneInbox(), "29 days: kept");
      world.clock.advance(Duration.ofDays(2));
      assertEquals(1, world.app.pruneInbox(), "31 days: the handled delivery goes");
      assertEquals(0L, world.app.inboxStore().countByState().get(State.DONE));
      assertEquals(1L, world.app.inboxStore().countByState().get(State.DEAD), "the dead letter stays");
    }
  }

  private static void asUser(TestApp world, String login, String path, String json) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(world.github.url()
            + path)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "token " + world.github.tokenOf(login))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(r.statusCode() / 100 == 2, r.body());
  }
}
