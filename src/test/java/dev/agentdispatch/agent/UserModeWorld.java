package dev.agentdispatch.agent;

import dev.agentdispatch.App;
import dev.agentdispatch.TestApp;
import dev.agentdispatch.config.Settings;
import dev.agentdispatch.sandbox.DemoWorld;
import dev.agentdispatch.sandbox.GitHubSimulator;
import dev.agentdispatch.sandbox.SimClock;
import dev.agentdispatch.sandbox.SimComment;
import dev.agentdispatch.store.AuditStore;
import dev.agentdispatch.store.TokenCipher;
import dev.agentdispatch.store.UserTokenStore;
import dev.agentdispatch.task.Task;
import java.io.IOException;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The app in user-token mode for one test: the demo simulator (its OAuth pages as GitHub's web origin) on a frozen
 * clock, the app with the OAuth settings on a known port (PUBLIC_URL must name it before start), manual dispatch,
 * and octo-demo/webapp configured with {@code agent_token: user}.
 */
final class UserModeWorld implements AutoCloseable {
  static final String REPO = DemoWorld.REPO;
  static final int ISSUE = 2;

  final SimClock clock = SimClock.fixed(AgentKit.START);
  final GitHubSimulator sim = DemoWorld.seed(new GitHubSimulator(clock)).start(0);
  final byte[] key = new byte[32];
  final App app;
  final String appUrl;
  final HttpClient http = HttpClient.newHttpClient();

  UserModeWorld(Path dir) {
    new SecureRandom().nextBytes(key);
    int port = freePort();
    appUrl = "http://127.0.0.1:" + port;
    Map<String, String> env = TestApp.environment(sim, "jdbc:sqlite:" + dir.resolve("app.db"));
    env.put("PORT", String.valueOf(port));
    env.put("GITHUB_CLIENT_ID", sim.clientId());
    env.put("GITHUB_CLIENT_SECRET", sim.clientSecret());
    env.put("TOKEN_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(key));
    env.put("PUBLIC_URL", appUrl);
    env.put("GITHUB_URL", sim.webUrl());
    app = App.builder(Settings.fromEnv(env)).clock(clock).manualDispatch().build().start("127.0.0.1");
    sim.webhook(appUrl + Settings.DEFAULT_WEBHOOK_PATH, sim.webhookSecret());
    sim.world().branch(REPO, "main", "main", Map.of(".github/agent-dispatch.yml",
        "label: agent-task\nagent_token: user\n"));
  }

  /** Goes through the web flow in a fresh browser as {@code login}; returns the callback's answer. */
  HttpResponse<String> signIn(String login) {
    HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    HttpResponse<String> toGitHub = get(browser, appUrl + "/auth/github/login?login=" + login);
    HttpResponse<String> back = get(browser, toGitHub.headers().firstValue("Location").orElseThrow());
    return get(browser, back.headers().firstValue("Location").orElseThrow());
  }

  static HttpResponse<String> get(HttpClient client, String url) {
    try {
      return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("GET " + url, e);
    }
  }

  /** {@code login} adds the agent label to issue 2 through the simulator's REST API (GitHub sends the webhook). */
  void label(String login) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sim.url() + "/repos/" + REPO + "/issues/"
              + ISSUE + "/labels")).header("Authorization", "token " + sim.tokenOf(login))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"labels\":[\"agent-task\"]}")).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("labelling answered " + r.statusCode() + " " + r.body());
      }
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Delivers pending webhooks and handles them. */
  void settle() {
    sim.awaitWebhooksIdle();
    app.runDueWork();
  }

  /** Moves the clock in 5 s steps, letting the simulated agent and the worker work, until the task leaves RUNNING. */
  Task runWhileRunning(long taskId) {
    app.agentWorker().runDueWork();
    for (int i = 0; i < 200 && task(taskId).state().isLeased(); i++) {
      clock.advance(Duration.ofSeconds(5));
      sim.agent().runDueWork();
      app.agentWorker().runDueWork();
    }
    return task(taskId);
  }

  Task task(long id) {
    return app.taskQueue().find(id).orElseThrow();
  }

  Task activeTask() {
    return app.taskQueue().findActive(REPO, ISSUE).orElseThrow();
  }

  /** The app's own store of user tokens, read with the same key. */
  UserTokenStore tokens() {
    return new UserTokenStore(app.database(), new TokenCipher(key));
  }

  List<AuditStore.Row> audit() {
    return new AuditStore(app.database()).find(new AuditStore.Query(null, null, null, null, null, null, 100));
  }

  List<SimComment> comments() {
    synchronized (sim.state()) {
      return sim.state().comments.values().stream().filter(c -> c.repo.equals(REPO) && c.issueNumber == ISSUE)
          .toList();
    }
  }

  long logged(String line) {
    return sim.writeLog().stream().filter(line::equals).count();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    app.close();
    sim.stop();
  }
}
