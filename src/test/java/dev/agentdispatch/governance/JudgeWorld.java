package dev.agentdispatch.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdispatch.TestApp;
import dev.agentdispatch.agent.Notifier;
import dev.agentdispatch.sandbox.DemoWorld;
import dev.agentdispatch.store.AuditStore;
import dev.agentdispatch.store.JudgementStore;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The app and the simulator on one clock, with an agent task taken to an open pull request the real way: bob puts a
 * boundary in issue 2 and labels it, the worker starts the simulated agent, the agent opens its draft pull request
 * (changing {@code agent/<slug>.md}). Tests then report checks, reviews and pushes through the simulator.
 */
final class JudgeWorld implements AutoCloseable {
  static final String REPO = DemoWorld.REPO;
  static final int ISSUE = 2;
  private static final ObjectMapper JSON = new ObjectMapper();

  final TestApp world;
  final Notices notices = new Notices();

  JudgeWorld(Path dir, String config) {
    world = TestApp.start(dir, h -> { }, b -> b.notifier(notices));
    if (config != null) {
      world.github.world().branch(REPO, "main", "main", Map.of(".github/agent-dispatch.yml", config));
    }
  }

  /** Labels issue 2 with {@code boundary} in its body and runs the agent until its pull request is open. */
  Task openTask(String boundary) throws Exception {
    asUser("bob", "PATCH", "/repos/" + REPO + "/issues/" + ISSUE,
        JSON.createObjectNode().put("body", "GET /healthz should answer 200.\n\n" + boundary).toString());
    asUser("bob", "POST", "/repos/" + REPO + "/issues/" + ISSUE + "/labels", "{\"labels\":[\"agent-task\"]}");
    world.settle();
    Task t = world.app.taskQueue().findActive(REPO, ISSUE).orElseThrow();
    for (int i = 0; i < 100 && task(t.id()).state() != TaskState.PR_OPEN; i++) {
      world.app.agentWorker().runDueWork();
      world.clock.advance(Duration.ofSeconds(5));
      world.github.runDueWork();
    }
    Task open = task(t.id());
    if (open.state() != TaskState.PR_OPEN) {
      throw new AssertionError("task " + t.id() + " is " + open.state());
    }
    world.settle();
    return open;
  }

  Task task(long id) {
    return world.app.taskQueue().find(id).orElseThrow();
  }

  JudgementStore.Row judgement(long id) {
    return new JudgementStore(world.app.database()).find(id).orElseThrow();
  }

  String head(Task t) {
    return world.github.world().headSha(REPO, t.pullNumber());
  }

  /** A CI app reports a check on the pull request's head; the app handles the webhooks. */
  void check(Task t, String name, String conclusion) {
    world.github.world().checkRun(REPO, head(t), name, conclusion);
    world.settle();
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

  /** The app's comments on an issue or pull request, oldest first. */
  List<String> appComments(int number) throws Exception {
    List<String> out = new ArrayList<>();
    asUser("alice", "GET", "/repos/" + REPO + "/issues/" + number + "/comments?per_page=100", null).forEach(c -> {
      if (c.path("user").path("type").asText().equals("Bot")) {
        out.add(c.path("body").asText());
      }
    });
    return out;
  }

  /** The task's status comment: the app's comment on the issue carrying the task marker. */
  String statusComment(Task t) throws Exception {
    return appComments(ISSUE).stream().filter(c -> c.contains("agent-dispatch:status task=" + t.id()))
        .reduce((a, b) -> b).orElseThrow();
  }

  JsonNode pull(Task t) throws Exception {
    return asUser("alice", "GET", "/repos/" + REPO + "/pulls/" + t.pullNumber(), null);
  }

  boolean branchExists(String branch) {
    synchronized (world.github.state()) {
      return world.github.state().repo(REPO).refs.containsKey("heads/" + branch);
    }
  }

  List<AuditStore.Row> audit(String action) {
    return new AuditStore(world.app.database()).find(new AuditStore.Query(null, null, null, null, null, null, 1000))
        .stream().filter(r -> r.action().equals(action)).toList();
  }

  /** Records the notices the app sends. */
  static final class Notices implements Notifier {
    final List<Notice> sent = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void send(Notice notice) {
      sent.add(notice);
    }
  }

  @Override
  public void close() {
    world.close();
  }
}
