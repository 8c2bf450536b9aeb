package dev.agentdispatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdispatch.TestApp;
import dev.agentdispatch.sandbox.DemoWorld;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/tasks} and {@code GET /api/tasks/{id}} over HTTP, on tasks the app's own triggers queued. */
class TasksApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private TestApp world;

  @BeforeEach
  void start() {
    world = TestApp.start(dir, h -> { });
  }

  @AfterEach
  void stop() {
    world.close();
  }

  @Test
  void a_labelled_issue_shows_as_a_task_with_its_agent_run_and_audit_events() throws Exception {
    labelAsBob(1);
    world.settle();                       // queued, with its status comment
    world.app.agentWorker().runDueWork(); // started

    JsonNode list = get("/api/tasks").get("tasks");
    assertEquals(1, list.size(), list.toString());
    JsonNode t = list.get(0);
    assertEquals(DemoWorld.REPO, t.get("repository").asText());
    assertEquals(1, t.get("number").asInt());
    assertEquals("bob", t.get("person").asText());
    assertEquals("running", t.get("state").asText());
    assertEquals("label", t.get("trigger").asText());

    JsonNode one = get("/api/tasks/" + t.get("id").asLong());
    assertEquals("running", one.get("state").asText());
    assertFalse(one.get("agent_task_id").isNull(), one.toString());
    assertTrue(one.get("prompt").asText().length() > 0);
    assertEquals("service_account", one.get("agent_run").get("token_mode").asText(), one.toString());
    assertFalse(one.get("agent_run").get("status_comment_id").isNull());
    assertTrue(one.get("events").size() >= 1, one.toString());
    assertEquals("task.queued", one.get("events").get(0).get("action").asText());
  }

  @Test
  void filters_by_repository_state_and_person_and_pages_without_gaps() throws Exception {
    enqueue("octo-demo/webapp", 1, "bob");
    enqueue("octo-demo/webapp", 2, "alice");
    enqueue("octo-demo/api", 3, "bob");
    long cancelled = enqueue("octo-demo/api", 4, "bob");
    world.app.taskQueue().cancel(cancelled, "test");

    assertEquals(2, get("/api/tasks?repository=octo-demo/webapp").get("tasks").size());
    assertEquals(3, get("/api/tasks?person=bob").get("tasks").size());
    assertEquals(1, get("/api/tasks?state=cancelled").get("tasks").size());
    assertEquals(2, get("/api/tasks?state=queued&person=bob").get("tasks").size());

    JsonNode first = get("/api/tasks?limit=3");
    assertEquals(3, first.get("tasks").size());
    assertEquals(cancelled, first.get("tasks").get(0).get("id").asLong(), "newest first");
    JsonNode second = get("/api/tasks?limit=3&before=" + first.get("next").asLong());
    assertEquals(1, second.get("tasks").size());
    assertTrue(second.get("next").isNull());
    assertEquals(1, second.get("tasks").get(0).get("number").asInt());
  }

  @Test
  void an_unknown_task_is_404_bad_parameters_are_400_and_the_admin_token_is_required() throws Exception {
    assertEquals(404, send("/api/tasks/999", true).statusCode());
    assertEquals(400, send("/api/tasks/abc", true).statusCode());
    assertEquals(400, send("/api/tasks?state=sleeping", true).statusCode());
    assertEquals(400, send("/api/tasks?before=x", true).statusCode());
    assertEquals(401, send("/api/tasks", false).statusCode());
    assertEquals(401, send("/api/tasks/1", false).statusCode());
  }

  private long enqueue(String repository, int number, String person) {
    return world.app.taskQueue().enqueue(new TaskRequest(repository, null, number, Task.Kind.ISSUE,
        Task.Trigger.LABEL, person, "d-" + repository + number, "Prompt " + number, null, null, null)).task().id();
  }

  private void labelAsBob(int issue) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(world.github.url() + "/repos/" + DemoWorld.REPO + "/issues/" + issue + "/labels"))
        .timeout(Duration.ofSeconds(10)).header("Authorization", "token " + world.github.tokenOf("bob"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"labels\":[\"agent-task\"]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = send(path, true);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> send(String path, boolean withToken) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(world.appUrl() + path));
    if (withToken) {
      b.header("Authorization", "Bearer " + TestApp.ADMIN_TOKEN);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
