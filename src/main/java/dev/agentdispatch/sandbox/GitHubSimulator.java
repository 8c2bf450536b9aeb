package dev.agentdispatch.sandbox;

import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A stateful in-memory GitHub speaking GitHub's REST API and webhooks over HTTP. Seed it (directly, with
 * {@link DemoWorld} or with {@link Seed}), point its webhooks at the app, start it, and drive time with
 * {@link #clock()} and {@link SimulatedAgent#runDueWork()}.
 */
public final class GitHubSimulator implements AutoCloseable {
  private final SimState state;
  private final Faults faults = new Faults();
  private final WebhookSender sender;
  private final SimulatedAgent agent;
  private final SimActions actions;
  private final Hooks hooks;
  private final World world;
  private final SimHttp http;
  private final Router router = new Router();
  private volatile String url = "http://127.0.0.1:0";

  public GitHubSimulator(SimClock clock) {
    state = new SimState(clock);
    sender = new WebhookSender(state, faults);
    Render r = new Render(state, () -> url);
    IssueRender ir = new IssueRender(state, r);
    PullRender pr = new PullRender(state, r, ir);
    MiscRender mr = new MiscRender(state, r);
    hooks = new Hooks(state, r, ir, pr, mr, sender);
    actions = new SimActions(state, hooks);
    agent = new SimulatedAgent(state);
    agent.bind(actions);
    world = new World(state, actions, hooks);
    SimContext ctx = new SimContext(state, new SimAuth(state), r, ir, pr, mr, hooks, actions, sender, agent);
    new AppRoutes(ctx).register(router);
    new RepoRoutes(ctx, faults).register(router);
    new IssueRoutes(ctx).register(router);
    new PullRoutes(ctx).register(router);
    new GitRoutes(ctx).register(router);
    new CheckRoutes(ctx).register(router);
    new AgentRoutes(ctx).register(router);
    http = new SimHttp(state, router, new SimAuth(state), faults);
  }

  /** A simulator on a ticking clock (real time plus whatever {@code clock().advance} adds). */
  public GitHubSimulator() {
    this(SimClock.ticking());
  }

  /** Starts serving on 127.0.0.1:{@code port} (0 = any free port). */
  public GitHubSimulator start(int port) {
    int p = http.start(port);
    url = "http://127.0.0.1:" + p;
    return this;
  }

  /** Base URL of the REST API, e.g. http://127.0.0.1:41234 (use as GITHUB_API_URL). */
  public String url() { return url; }

  /** GitHub's web origin, where the OAuth pages live (use as GITHUB_URL): the same server here. */
  public String webUrl() { return url; }

  public void stop() {
    agent.stopTicker();
    http.stop();
    sender.shutdown();
  }

  @Override public void close() { stop(); }

  // --- seeding ---------------------------------------------------------------------------------------------

  /** The seeding API: users, orgs, repos, files, teams, installations, issues. */
  public World world() { return world; }

  // --- the app under test ----------------------------------------------------------------------------------

  public long appId() { return app().id; }

  public String appSlug() { return app().slug; }

  public String clientId() { return app().clientId; }

  /** The app's OAuth client secret (GITHUB_CLIENT_SECRET). */
  public String clientSecret() { return app().clientSecret; }

  /**
   * Registers the app's OAuth callback URL: the authorize page then refuses another redirect_uri with
   * redirect_uri_mismatch, as GitHub does. Unset, any redirect_uri is accepted.
   */
  public GitHubSimulator oauthCallback(String url) {
    app().callbackUrl = url;
    return this;
  }

  /** Who "is signed in" on the simulated authorize page when the app sends no login hint. */
  public GitHubSimulator signedInUser(String login) {
    state.oauthDefaultLogin = login;
    return this;
  }

  /** The app's private key as GitHub hands it out (PKCS#1). Generated at seed time. */
  public String privateKeyPem() { return Pem.pkcs1(keys().getPrivate()); }

  /** The same key as PKCS#8 , which Java reads without extra libraries. */
  public String privateKeyPkcs8Pem() { return Pem.pkcs8(keys().getPrivate()); }

  /** Points webhooks at the app: its URL (null = deliveries fail) and the secret to sign them with. */
  public GitHubSimulator webhook(String url, String secret) {
    app().webhookUrl = url;
    app().webhookSecret = secret;
    return this;
  }

  public String webhookSecret() { return app().webhookSecret; }

  /** The personal access token of a seeded user, e.g. "simpat_bob_1a2b3c4d". */
  public String tokenOf(String login) {
    synchronized (state) {
      SimUser u = state.user(login);
      if (u == null || u.pat == null) throw new IllegalArgumentException("no seeded user " + login);
      return u.pat;
    }
  }

  /** The id of the app's installation on {@code account}. */
  public long installationId(String account) {
    synchronized (state) {
      return state.installations.values().stream().filter(i -> i.account.login.equalsIgnoreCase(account))
          .findFirst().orElseThrow(() -> new IllegalArgumentException("app not installed on " + account)).id;
    }
  }

  // --- control ---------------------------------------------------------------------------------------------

  public SimClock clock() { return state.clock; }

  public SimulatedAgent agent() { return agent; }

  public Faults faults() { return faults; }

  /**
   * When on, request bodies with top-level fields the OpenAPI description does not list get 422 (GitHub itself
   * ignores them; this catches typos in the client, as prow's fake does). Off by default.
   */
  public GitHubSimulator strictUnknownFields(boolean on) {
    http.strictUnknownFields = on;
    return this;
  }

  /** Waits until every queued webhook delivery has been attempted. */
  public void awaitWebhooksIdle() {
    try {
      if (!sender.awaitIdle(Duration.ofSeconds(30))) throw new IllegalStateException("webhooks still pending after 30 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every delivery attempt so far, oldest first. */
  public List<SimDelivery> deliveries() { return sender.deliveries(); }

  /** prow-style write log lines, e.g. "octo-demo/webapp#1:label:agent-task". */
  public List<String> writeLog() { return state.writeLog(); }

  /** Every request answered so far: operation, path, status and JSON body. */
  public List<Exchange> exchanges() { return http.exchanges(); }

  /** The operations served, e.g. "GET /repos/{owner}/{repo}/pulls/{pull_number}". */
  public List<String> operations() { return router.routes().stream().map(Router.Route::operation).toList(); }

  /** The world itself, for assertions; hold its monitor while reading it from another thread. */
  public SimState state() { return state; }

  /** Replaces the generated public key with one the app already has (its private key stays with the app). */
  public GitHubSimulator usePublicKey(PublicKey key) {
    world.replaceKey(new KeyPair(key, null));
    return this;
  }

  /** Runs one step of agent work and waits for the webhooks it caused. */
  public int runDueWork() {
    int n = agent.runDueWork();
    awaitWebhooksIdle();
    return n;
  }

  private SimApp app() {
    SimApp a = state.app;
    if (a == null) throw new IllegalStateException("no app seeded: call world().app(...) or DemoWorld.seed(sim)");
    return a;
  }

  private KeyPair keys() {
    KeyPair k = app().keys;
    if (k.getPrivate() == null) throw new IllegalStateException("the app's public key was given; no private key here");
    return k;
  }

  static Map<String, String> defaultPermissions() {
    return Map.of("issues", "write", "pull_requests", "write", "contents", "write", "checks", "write",
        "metadata", "read", "members", "read", "administration", "read");
  }
}
