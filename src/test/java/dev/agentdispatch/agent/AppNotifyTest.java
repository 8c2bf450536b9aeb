package dev.agentdispatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.App;
import dev.agentdispatch.Await;
import dev.agentdispatch.TestApp;
import dev.agentdispatch.config.Settings;
import dev.agentdispatch.sandbox.DemoWorld;
import dev.agentdispatch.sandbox.GitHubSimulator;
import dev.agentdispatch.sandbox.SimClock;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NOTIFY_WEBHOOK_URL as App wires it: a refused trigger and a finished task reach the receiver. */
class AppNotifyTest {
  @TempDir Path dir;

  @Test
  void a_refused_label_and_a_finished_task_are_posted_to_the_notification_webhook() throws Exception {
    SimClock clock = SimClock.fixed(AgentKit.START);
    GitHubSimulator sim = DemoWorld.seed(new GitHubSimulator(clock)).start(0);
    Map<String, String> env = TestApp.environment(sim, "jdbc:sqlite:" + dir.resolve("app.db"));
    try (NotifyReceiver receiver = new NotifyReceiver()) {
      env.put("NOTIFY_WEBHOOK_URL", receiver.url());
      try (App app = App.builder(Settings.fromEnv(env)).clock(clock).manualDispatch().build().start("127.0.0.1")) {
        sim.webhook("http://127.0.0.1:" + app.port() + Settings.DEFAULT_WEBHOOK_PATH, sim.webhookSecret());
        post(sim, "carol", 1, "comments", "{\"body\":\"/copilot fix it\"}"); // read access: refused
        post(sim, "bob", 2, "labels", "{\"labels\":[\"agent-task\"]}");
        sim.awaitWebhooksIdle();
        app.runDueWork();
        Await.until("the refusal notice", Duration.ofSeconds(20), () -> receiver.received.size() == 1);
        assertTrue(receiver.texts().get(0).startsWith("[" + DemoWorld.REPO + "#1] @carol's request was refused"),
            receiver.texts().toString());

        Task t = app.taskQueue().findActive(DemoWorld.REPO, 2).orElseThrow();
        for (int i = 0; i < 100 && !app.taskQueue().find(t.id()).orElseThrow().state().equals(TaskState.PR_OPEN);
            i++) {
          app.agentWorker().runDueWork();
          clock.advance(Duration.ofSeconds(5));
          sim.agent().runDueWork();
        }
        Task done = app.taskQueue().find(t.id()).orElseThrow();
        assertEquals(TaskState.PR_OPEN, done.state());
        Await.until("the finished notice", Duration.ofSeconds(20), () -> receiver.received.size() == 2);
        String text = receiver.texts().get(1);
        assertTrue(text.startsWith("[" + DemoWorld.REPO + "#2] Copilot agent task " + t.id() + " by @bob"), text);
        assertTrue(text.endsWith("/pull/" + done.pullNumber() + ">"), text);
        assertEquals("agent-dispatch · task.finished · task " + t.id() + " · pr_open",
            receiver.received.get(1).at("/blocks/1/elements/0/text").asText());
      }
    } finally {
      sim.stop();
    }
  }

  private static void post(GitHubSimulator sim, String login, int issue, String what, String json)
      throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(sim.url() + "/repos/" + DemoWorld.REPO + "/issues/" + issue + "/" + what))
        .header("Authorization", "token " + sim.tokenOf(login))
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(r.statusCode() < 300, r.body());
  }
}
