package dev.agentdispatch.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdispatch.TestApp;
import dev.agentdispatch.sandbox.DemoWorld;
import dev.agentdispatch.store.AgentRunStore;
import dev.agentdispatch.store.AuditStore;
import dev.agentdispatch.webhook.Delivery;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A TestApp with the app's own handlers, people acting through the simulator's REST API, and readers for asserts. */
final class TriggerWorld implements AutoCloseable {
  static final String REPO = DemoWorld.REPO;
  private static final ObjectMapper JSON = new ObjectMapper();

  final TestApp world;
  /** Every issues.labeled delivery the app handled, to hand one to a handler again. */
  final List<Delivery> labeled = new CopyOnWriteArrayList<>();

  TriggerWorld(Path dir) {
    world = TestApp.start(dir, h -> h.on("issues.labeled", "Capture", labeled::add));
  }

  JsonNode asUser(String login, String method, String path, String json) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(world.github.url() + path))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "token " + world.github.tokenOf(login))
        .header("Content-Type", "application/json")
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
        .build();
    HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new AssertionError(method + " " + path + " as " + login + ": " + r.statusCode() + " " + r.body());
    }
    return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
  }

  void label(String login, int issue, String label) throws Exception {
    asUser(login, "POST", "/repos/" + REPO + "/issues/" + issue + "/labels", "{\"labels\":[\"" + label + "\"]}");
  }

  JsonNode comment(String login, int issue, String body) throws Exception {
    return asUser(login, "POST", "/repos/" + REPO + "/issues/" + issue + "/comments",
        JSON.createObjectNode().put("body", body).toString());
  }

  void editBody(String login, int issue, String body) throws Exception {
    asUser(login, "PATCH", "/repos/" + REPO + "/issues/" + issue, JSON.createObjectNode().put("body", body).toString());
  }

  /** The issue's comments not written by {@code exceptBy}, oldest first: login and body. */
  List<JsonNode> comments(int issue) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    asUser("alice", "GET", "/repos/" + REPO + "/issues/" + issue + "/comments?per_page=100", null).forEach(out::add);
    return out;
  }

  /** Comments by the app's bot. */
  List<String> appComments(int issue) throws Exception {
    return comments(issue).stream().filter(c -> c.path("user").path("type").asText().equals("Bot"))
        .map(c -> c.path("body").asText()).toList();
  }

  List<String> labels(int issue) throws Exception {
    List<String> out = new ArrayList<>();
    asUser("alice", "GET", "/repos/" + REPO + "/issues/" + issue, null).path("labels")
        .forEach(l -> out.add(l.path("name").asText()));
    return out;
  }

  List<AuditStore.Row> audit(String action) {
    return new AuditStore(world.app.database()).find(new AuditStore.Query(null, null, null, null, null, null, 1000))
        .stream().filter(r -> r.action().equals(action)).toList();
  }

  /** A handler kit over the app's own queue and audit, to hand a delivery to a trigger a second time. */
  TriggerKit kit() {
    return new TriggerKit(world.app.github(), RepoConfigs.fromGitHub(world.app.github()), world.app.taskQueue(),
        new AgentRunStore(world.app.database()), world.app.audit(), new AuditStore(world.app.database()),
        world.clock, world.github.tokenOf("alice"));
  }

  /** Seeds a new commit of .github/agent-dispatch.yml on main. */
  void config(String yaml) {
    world.github.world().branch(REPO, "main", "main", java.util.Map.of(".github/agent-dispatch.yml", yaml));
  }

  @Override
  public void close() {
    world.close();
  }
}
