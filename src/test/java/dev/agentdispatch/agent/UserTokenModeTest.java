package dev.agentdispatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.audit.AuditTrail;
import dev.agentdispatch.github.OAuthClient;
import dev.agentdispatch.sandbox.AgentTask;
import dev.agentdispatch.store.AgentRunStore;
import dev.agentdispatch.store.AuditStore;
import dev.agentdispatch.store.UserTokenStore;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskState;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User-token mode end to end over HTTP: the OAuth web flow against the simulator's github.com pages, a labelled issue
 * starting Copilot as the person who labelled it, refresh before expiry, revocation, and the people who never signed in.
 */
class UserTokenModeTest {
  @TempDir
  Path dir;
  UserModeWorld w;

  @BeforeEach
  void start() {
    w = new UserModeWorld(dir);
  }

  @AfterEach
  void stop() {
    w.close();
  }

  @Test
  void the_web_flow_stores_the_persons_tokens_encrypted() {
    HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    HttpResponse<String> login = UserModeWorld.get(browser, w.appUrl + "/auth/github/login?login=bob");
    assertEquals(302, login.statusCode());
    String authorize = login.headers().firstValue("Location").orElseThrow();
    assertTrue(authorize.startsWith(w.sim.webUrl() + "/login/oauth/authorize?"), authorize);
    var q = dev.agentdispatch.sandbox.OAuthPagesTestAccess.query(authorize);
    assertEquals(w.sim.clientId(), q.get("client_id"));
    assertEquals(w.appUrl + "/auth/github/callback", q.get("redirect_uri"));
    assertEquals("S256", q.get("code_challenge_method"));
    assertEquals("bob", q.get("login"));
    assertTrue(q.get("state").length() > 40, "an unguessable state");
    assertTrue(login.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.contains("HttpOnly")));

    HttpResponse<String> back = UserModeWorld.get(browser, authorize);
    HttpResponse<String> done = UserModeWorld.get(browser, back.headers().firstValue("Location").orElseThrow());

    assertEquals(200, done.statusCode(), done.body());
    assertTrue(done.body().contains("Signed in as @bob"));
    assertFalse(done.body().contains("ghu_") || done.body().contains("ghr_"), "no token on the page");
    UserTokenStore.Tokens t = w.tokens().find("bob").orElseThrow();
    assertTrue(t.accessToken().startsWith("ghu_"));
    assertEquals(AgentKit.START.plus(Duration.ofHours(8)).toEpochMilli(), t.accessExpiresAt());
    String raw = w.app.database().read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT access_token, refresh_token FROM user_token");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new String(rs.getBytes(1), StandardCharsets.ISO_8859_1) + new String(rs.getBytes(2),
            StandardCharsets.ISO_8859_1);
      }
    });
    assertFalse(raw.contains("ghu_") || raw.contains("ghr_") || raw.contains(t.accessToken().substring(4, 20)),
        "stored encrypted, not as plain text");
    assertTrue(w.audit().stream().anyMatch(r -> r.action().equals("user.authorized") && "bob".equals(r.actor())));
    assertTrue(w.audit().stream().noneMatch(r -> String.valueOf(r.input()).contains("ghu_")
        || String.valueOf(r.output()).contains("ghu_")));
  }

  @Test
  void a_callback_with_a_forged_foreign_or_expired_state_is_refused() {
    HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    String authorize = UserModeWorld.get(browser, w.appUrl + "/auth/github/login?login=bob").headers()
        .firstValue("Location").orElseThrow();
    String callback = UserModeWorld.get(browser, authorize).headers().firstValue("Location").orElseThrow();
    var q = dev.agentdispatch.sandbox.OAuthPagesTestAccess.query(callback);
    String forged = w.appUrl + "/auth/github/callback?code=" + q.get("code") + "&state=" + q.get("state")
        .substring(0, q.get("state").length() - 2) + "xx";
    assertEquals(400, UserModeWorld.get(browser, forged).statusCode(), "a state we did not sign");

    HttpClient stranger = HttpClient.newHttpClient();  // no cookie: the login was started in another browser
    HttpResponse<String> foreign = UserModeWorld.get(stranger, callback);
    assertEquals(400, foreign.statusCode());
    assertTrue(foreign.body().contains("/auth/github/login"), "tells where to start again");

    w.clock.advance(Duration.ofMinutes(11));
    assertEquals(400, UserModeWorld.get(browser, callback).statusCode(), "an expired state");
    assertFalse(w.tokens().has("bob"));
    assertEquals(0, w.logged("oauth:code:bob"), "the code was never exchanged");
  }

  @Test
  void a_labelled_issue_starts_the_agent_as_the_person_who_labelled_it() {
    assertEquals(200, w.signIn("bob").statusCode());
    w.label("bob");
    w.settle();
    long id = w.activeTask().id();

    Task done = w.runWhileRunning(id);

    assertEquals(TaskState.PR_OPEN, done.state(), String.valueOf(done.error()));
    AgentTask agent = w.sim.state().tasks.values().iterator().next();
    assertEquals("bob", agent.creator.login, "the agent task belongs to the person, not the service account");
    AgentRunStore.Row run = new AgentRunStore(w.app.database()).find(id).orElseThrow();
    assertEquals(AgentTokens.USER, run.tokenMode());
    assertEquals("bob", run.requestedBy());
    AuditStore.Row finished = w.audit().stream().filter(r -> r.action().equals("task.finished")).findFirst()
        .orElseThrow();
    assertEquals(AgentTokens.USER, finished.tokenMode());
  }

  @Test
  void a_follow_up_on_the_agent_pull_request_is_relayed_as_the_person_who_asked() throws Exception {
    w.signIn("bob");
    w.label("bob");
    w.settle();
    Task done = w.runWhileRunning(w.activeTask().id());
    assertEquals(TaskState.PR_OPEN, done.state(), String.valueOf(done.error()));
    int pull = done.pullNumber();
    HttpResponse<String> r = w.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(w.sim.url()
            + "/repos/" + UserModeWorld.REPO + "/issues/" + pull + "/comments"))
        .header("Authorization", "token " + w.sim.tokenOf("bob")).header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"body\":\"/copilot add a test\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    w.settle();
    Task followUp = w.app.taskQueue().findActive(UserModeWorld.REPO, pull).orElseThrow();
    w.clock.advance(Duration.ofMinutes(1));
    w.app.agentWorker().runDueWork();

    assertEquals(TaskState.DONE, w.task(followUp.id()).state(), String.valueOf(w.task(followUp.id()).error()));
    java.util.List<String> relayedBy;
    synchronized (w.sim.state()) {
      relayedBy = w.sim.state().comments.values().stream()
          .filter(c -> c.issueNumber == pull && c.body.startsWith("@copilot add a test")).map(c -> c.user.login).toList();
    }
    assertEquals(java.util.List.of("bob"), relayedBy, "relayed with bob's own token, not AGENT_TOKEN");
    assertEquals(AgentTokens.USER, new AgentRunStore(w.app.database()).find(followUp.id()).orElseThrow().tokenMode());
  }

  @Test
  void a_token_about_to_expire_is_refreshed_once_before_the_start_and_the_new_pair_is_stored() {
    w.signIn("bob");
    UserTokenStore.Tokens before = w.tokens().find("bob").orElseThrow();
    w.clock.advance(Duration.ofHours(8).minus(UserTokens.MARGIN).plusSeconds(1));
    w.label("bob");
    w.settle();
    long id = w.activeTask().id();

    w.app.agentWorker().runDueWork();

    assertEquals(TaskState.RUNNING, w.task(id).state());
    assertEquals(1, w.logged("oauth:refresh:bob"));
    UserTokenStore.Tokens after = w.tokens().find("bob").orElseThrow();
    assertNotEquals(before.accessToken(), after.accessToken());
    assertNotEquals(before.refreshToken(), after.refreshToken());
    assertEquals(before.version() + 1, after.version());
    assertEquals(w.clock.instant().plus(Duration.ofHours(8)).toEpochMilli(), after.accessExpiresAt());
    w.clock.advance(Duration.ofSeconds(10));
    w.sim.agent().runDueWork();
    w.app.agentWorker().runDueWork();
    assertEquals(1, w.logged("oauth:refresh:bob"), "a fresh token is not refreshed again");
  }

  @Test
  void concurrent_use_refreshes_once_in_one_instance_and_across_two() throws Exception {
    w.signIn("bob");
    UserTokens a = userTokens();
    UserTokens b = userTokens();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int round = 1; round <= 5; round++) {
        w.clock.advance(Duration.ofHours(8).minusMinutes(1));  // each round: the stored token is about to expire
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          UserTokens instance = i % 2 == 0 ? a : b;
          calls.add(() -> instance.forLogin("bob").orElseThrow());
        }
        Set<String> got = new java.util.HashSet<>();
        for (Future<String> f : pool.invokeAll(calls)) {
          got.add(f.get());
        }
        assertEquals(round, w.logged("oauth:refresh:bob"), "one refresh per round: the used refresh token dies");
        assertEquals(Set.of(w.tokens().find("bob").orElseThrow().accessToken()), got, "all use the stored pair");
        assertEquals(200, userStatus(got.iterator().next()), "the token everyone got works");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private int userStatus(String token) throws Exception {
    return w.http.send(java.net.http.HttpRequest.newBuilder(URI.create(w.sim.url() + "/user"))
        .header("Authorization", "token " + token).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void the_revoked_webhook_drops_the_tokens_and_the_running_task_fails_with_the_link() {
    w.signIn("bob");
    w.label("bob");
    w.settle();
    long id = w.activeTask().id();
    w.app.agentWorker().runDueWork();
    assertEquals(TaskState.RUNNING, w.task(id).state());

    w.sim.world().revokeAuthorization("bob");
    w.settle();

    assertFalse(w.tokens().has("bob"));
    assertTrue(w.audit().stream().anyMatch(r -> r.action().equals("user.revoked") && r.outcome().equals("dropped")));
    w.clock.advance(Duration.ofMinutes(1));
    w.app.agentWorker().runDueWork();
    Task failed = w.task(id);
    assertEquals(TaskState.FAILED, failed.state());
    assertTrue(failed.error().contains(w.appUrl + "/auth/github/login"), failed.error());
    assertTrue(w.comments().stream().anyMatch(c -> c.body.contains(w.appUrl + "/auth/github/login")));
  }

  @Test
  void a_token_github_refuses_fails_the_task_at_once_with_the_link_and_is_forgotten() {
    w.signIn("bob");
    w.label("bob");
    w.settle();
    long id = w.activeTask().id();
    w.app.agentWorker().runDueWork();
    long polls = pollsSoFar();

    w.sim.world().revokeAuthorization("bob");
    w.sim.awaitWebhooksIdle();  // stored in the inbox, not handled yet: the worker meets the 401 first
    w.clock.advance(Duration.ofMinutes(1));
    w.app.agentWorker().runDueWork();

    Task failed = w.task(id);
    assertEquals(TaskState.FAILED, failed.state());
    assertEquals(polls + 1, pollsSoFar(), "a 401 is not retried");
    String status = w.comments().stream().map(c -> c.body).filter(b -> b.contains("failed")).findFirst().orElseThrow();
    assertTrue(status.contains(w.appUrl + "/auth/github/login"), status);
    assertFalse(status.contains("ghu_"));
    assertFalse(w.tokens().has("bob"), "the dead token is dropped");
    AuditStore.Row finished = w.audit().stream().filter(r -> r.action().equals("task.finished")).findFirst()
        .orElseThrow();
    assertEquals("failed", finished.outcome());
    assertEquals(AgentTokens.USER, finished.tokenMode());
  }

  @Test
  void a_person_who_has_not_authorised_gets_the_link_and_no_task() {
    w.label("bob");
    w.settle();

    assertTrue(w.app.taskQueue().findActive(UserModeWorld.REPO, UserModeWorld.ISSUE).isEmpty());
    List<String> bodies = w.comments().stream().map(c -> c.body).collect(Collectors.toList());
    assertEquals(1, bodies.size(), bodies.toString());
    assertTrue(bodies.get(0).contains("@bob") && bodies.get(0).contains(w.appUrl + "/auth/github/login"));
    synchronized (w.sim.state()) {
      assertFalse(w.sim.state().repo(UserModeWorld.REPO).issues.get(UserModeWorld.ISSUE).labels.contains("agent-task"),
          "the label is removed so adding it again after signing in triggers again");
    }
    assertTrue(w.audit().stream().anyMatch(r -> r.action().equals("trigger.unauthorised")));
    assertTrue(w.sim.state().tasks.isEmpty());

    w.signIn("bob");
    w.label("bob");
    w.settle();
    assertTrue(w.app.taskQueue().findActive(UserModeWorld.REPO, UserModeWorld.ISSUE).isPresent(), "after signing in");
  }

  @Test
  void a_command_from_a_person_who_has_not_authorised_gets_the_link_and_no_task() throws Exception {
    HttpResponse<String> r = w.http.send(java.net.http.HttpRequest.newBuilder(URI.create(w.sim.url() + "/repos/"
            + UserModeWorld.REPO + "/issues/" + UserModeWorld.ISSUE + "/comments"))
        .header("Authorization", "token " + w.sim.tokenOf("bob")).header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"body\":\"/copilot add the endpoint\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    w.settle();

    assertTrue(w.app.taskQueue().findActive(UserModeWorld.REPO, UserModeWorld.ISSUE).isEmpty());
    assertTrue(w.comments().stream().anyMatch(c -> c.body.contains(w.appUrl + "/auth/github/login")
        && c.body.contains("repeat the command")));
  }

  @Test
  void a_sign_in_github_refuses_or_denies_stores_nothing_and_says_why() {
    synchronized (w.sim.state()) {
      w.sim.state().app.clientSecret = "rotated-on-github";
    }
    HttpResponse<String> refused = w.signIn("bob");
    assertEquals(400, refused.statusCode());
    assertTrue(refused.body().contains("incorrect_client_credentials") && refused.body().contains("GITHUB_CLIENT_SECRET"),
        refused.body());
    HttpResponse<String> denied = UserModeWorld.get(w.http, w.appUrl + "/auth/github/callback?error=access_denied");
    assertEquals(400, denied.statusCode());
    assertTrue(denied.body().contains("access_denied"));
    assertFalse(w.tokens().has("bob"));
  }

  @Test
  void a_sign_in_whose_exchange_cannot_reach_github_answers_502() {
    HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    String authorize = UserModeWorld.get(browser, w.appUrl + "/auth/github/login").headers().firstValue("Location")
        .orElseThrow();
    String callback = UserModeWorld.get(browser, authorize).headers().firstValue("Location").orElseThrow();
    w.sim.stop();

    HttpResponse<String> r = UserModeWorld.get(browser, callback);

    assertEquals(502, r.statusCode(), r.body());
    assertFalse(w.tokens().has("alice"));
  }

  @Test
  void a_refresh_github_refuses_drops_the_pair_and_a_refresh_that_cannot_reach_github_uses_the_old_token() {
    w.signIn("bob");
    String old = w.tokens().find("bob").orElseThrow().accessToken();
    w.clock.advance(Duration.ofHours(8).minusMinutes(2));
    UserTokens unreachable = new UserTokens(w.tokens(), new OAuthClient(URI.create("http://127.0.0.1:9"),
        w.sim.clientId(), w.sim.clientSecret(), w.clock), w.clock, w.appUrl + "/auth/github/login");
    assertEquals(old, unreachable.forLogin("bob").orElseThrow(), "still valid for two minutes: used as it is");
    w.clock.advance(Duration.ofMinutes(3));
    org.junit.jupiter.api.Assertions.assertThrows(dev.agentdispatch.github.GitHubCallFailed.class,
        () -> unreachable.forLogin("bob"), "expired and not refreshable now: a transient failure");
    assertTrue(w.tokens().has("bob"), "kept for a later try");

    w.sim.world().revokeAuthorization("bob");  // the app has not handled the webhook yet
    w.sim.awaitWebhooksIdle();
    assertTrue(userTokens().forLogin("bob").isEmpty());
    assertFalse(w.tokens().has("bob"), "bad_refresh_token with no newer pair: dropped");
  }

  @Test
  void a_start_whose_token_cannot_be_had_now_goes_back_to_the_queue() {
    try (AgentKit kit = new AgentKit("jdbc:sqlite:" + dir.resolve("kit.db"))) {
      AgentTokens down = new AgentTokens() {
        @Override
        public java.util.Optional<AgentToken> forTask(Task task) {
          throw new dev.agentdispatch.github.GitHubCallFailed("refresh a user access token", 0, null);
        }

        @Override
        public String missing(Task task) {
          return "none";
        }

        @Override
        public String rejected(Task task, AgentToken token) {
          return "none";
        }
      };
      AgentWorker worker = new AgentWorker(kit.queue, kit.runs, kit.backend, down, kit.client,
          new AuditTrail(kit.auditStore), kit.clock, "worker-a", r -> kit.timeout);
      Task t = kit.enqueue("Add a health endpoint");
      worker.runDueWork();
      assertEquals(TaskState.QUEUED, kit.task(t.id()).state());
      assertTrue(kit.agentTasks().isEmpty());
    }
  }

  @Test
  void user_mode_without_the_oauth_settings_fails_the_task_naming_them() {
    try (AgentKit kit = new AgentKit("jdbc:sqlite:" + dir.resolve("kit.db"))) {
      AgentTokens tokens = new TokenModes(AgentTokens.serviceAccount(kit.sim.tokenOf("alice")),
          AgentTokens.userModeOff(), r -> AgentTokens.USER, kit.runs);
      AgentWorker worker = new AgentWorker(kit.queue, kit.runs, kit.backend, tokens, kit.client,
          new AuditTrail(kit.auditStore), kit.clock, "worker-a", r -> kit.timeout);
      Task t = kit.enqueue("Add a health endpoint");
      worker.runDueWork();
      Task failed = kit.task(t.id());
      assertEquals(TaskState.FAILED, failed.state());
      assertTrue(failed.error().contains("GITHUB_CLIENT_ID"), failed.error());
      assertTrue(kit.agentTasks().isEmpty());
    }
  }

  private long pollsSoFar() {
    return w.sim.exchanges().stream().filter(e -> String.valueOf(e.operation()).startsWith("GET /agents/")).count();
  }

  private UserTokens userTokens() {
    return new UserTokens(w.tokens(), new OAuthClient(URI.create(w.sim.webUrl()), w.sim.clientId(),
        w.sim.clientSecret(), w.clock), w.clock, w.appUrl + "/auth/github/login");
  }
}
