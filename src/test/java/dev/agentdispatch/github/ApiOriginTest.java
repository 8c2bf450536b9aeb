package dev.agentdispatch.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.store.Database;
import dev.agentdispatch.store.InboxStore;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kohsuke.github.GitHub;

/** The client never follows a redirect or a pagination Link to an origin other than the API base. */
class ApiOriginTest {
  private final GitHubKit kit = new GitHubKit();
  private final FakeGitHub api = new FakeGitHub();
  private final FakeGitHub elsewhere = new FakeGitHub();
  @TempDir Path dir;

  @AfterEach
  void stop() {
    api.close();
    elsewhere.close();
    kit.close();
  }

  @Test
  void redirect_to_another_origin_is_refused_and_not_followed() {
    api.on("GET /repos/o/r", new FakeGitHub.Answer(301, Map.of("Location", elsewhere.url() + "/repos/o/r"), ""));
    GitHubClient client = kit.clientFor(api.url());
    assertThrows(ForeignOriginRefused.class, () -> client.transport().send(
        ApiRequest.json("GET", "/repos/o/r", null, client.jwt()::credential)));
    assertTrue(elsewhere.requests.isEmpty());
  }

  @Test
  void redirect_within_the_api_is_followed() {
    api.on("GET /repos/o/old", new FakeGitHub.Answer(301, Map.of("Location", "{self}/repos/o/new"), ""));
    api.on("GET /repos/o/new", FakeGitHub.json(200, "{\"id\":5}"));
    GitHubClient client = kit.clientFor(api.url());
    ApiResponse r = client.transport().send(ApiRequest.json("GET", "/repos/o/old", null, client.jwt()::credential));
    assertEquals(200, r.status());
  }

  @Test
  void delivery_recovery_does_not_follow_a_link_to_another_origin() {
    api.on("GET /app/hook/deliveries", new FakeGitHub.Answer(200,
        Map.of("Link", "<" + elsewhere.url() + "/app/hook/deliveries?cursor=1>; rel=\"next\""),
        "[{\"id\":1,\"guid\":\"g-1\",\"delivered_at\":\"" + GitHubKit.START + "\",\"status\":\"OK\",\"event\":\"issues\"}]"));
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("a.db"))) {
      DeliveryRecovery recovery = kit.clientFor(api.url()).deliveryRecovery(new InboxStore(db), () -> { });
      assertThrows(ForeignOriginRefused.class, recovery::runOnce);
    }
    assertTrue(elsewhere.requests.isEmpty());
  }

  @Test
  void hub4j_paging_does_not_follow_a_link_to_another_origin() throws Exception {
    api.on("GET /repos/o/r", FakeGitHub.json(200,
        "{\"id\":1,\"name\":\"r\",\"full_name\":\"o/r\",\"owner\":{\"login\":\"o\"},\"url\":\"{self}/repos/o/r\"}"));
    api.on("GET /repos/o/r/labels", new FakeGitHub.Answer(200,
        Map.of("Link", "<" + elsewhere.url() + "/repos/o/r/labels?page=2>; rel=\"next\""),
        "[{\"id\":1,\"name\":\"bug\",\"color\":\"d73a4a\"}]"));
    GitHubClient client = kit.clientFor(api.url());
    GitHub gh = client.hub4j(client.jwt()::credential);
    Exception e = assertThrows(Exception.class, () -> gh.getRepository("o/r").listLabels().toList());
    assertTrue(e instanceof ForeignOriginRefused || e.getCause() instanceof ForeignOriginRefused, e.toString());
    assertTrue(elsewhere.requests.isEmpty());
  }

  @Test
  void urls_with_another_host_port_scheme_path_or_user_info_are_outside() {
    ApiOrigin o = new ApiOrigin(URI.create("https://ghe.example.com/api/v3"));
    assertTrue(o.contains(URI.create("https://ghe.example.com/api/v3/repos/o/r")));
    assertTrue(o.contains(URI.create("https://GHE.example.com:443/api/v3/app")));
    assertFalse(o.contains(URI.create("http://ghe.example.com/api/v3/app")));
    assertFalse(o.contains(URI.create("https://ghe.example.com:8443/api/v3/app")));
    assertFalse(o.contains(URI.create("https://ghe.example.com/api/v30/app")));
    assertFalse(o.contains(URI.create("https://ghe.example.com/other")));
    assertFalse(o.contains(URI.create("https://ghe.example.com@evil.example/api/v3/app")));
    assertFalse(o.contains(URI.create("https://evil.example/api/v3/app")));
    assertEquals("/repos/o/r", o.apiPath(URI.create("https://ghe.example.com/api/v3/repos/o/r")));
  }
}
