package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP front: routing, authentication, injected faults, rate-limit headers, request validation, then the
 * route handler under the world's lock. Unknown routes answer a loud 404.
 */
final class SimHttp {
  private static final Logger LOG = LoggerFactory.getLogger(SimHttp.class);
  static final String DOCS = "https://docs.github.com/rest";
  private final SimState state;
  private final Router router;
  private final SimAuth auth;
  private final Faults faults;
  private final RequestValidator validator = new RequestValidator();
  private final ConcurrentHashMap<String, Integer> used = new ConcurrentHashMap<>();
  private final java.util.List<Exchange> exchanges = new java.util.concurrent.CopyOnWriteArrayList<>();
  private Javalin server;
  volatile boolean strictUnknownFields;

  private final OAuthPages oauth;

  SimHttp(SimState state, Router router, SimAuth auth, Faults faults) {
    this.oauth = new OAuthPages(state);
    this.state = state;
    this.router = router;
    this.auth = auth;
    this.faults = faults;
  }

  int start(int port) {
    server = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      // github.com's OAuth pages: outside the REST API (no router, no OpenAPI validation, no rate-limit headers)
      cfg.routes.get("/login/oauth/authorize", oauth::authorize);
      cfg.routes.post("/login/oauth/access_token", oauth::accessToken);
      for (HandlerType t : new HandlerType[] {HandlerType.GET, HandlerType.POST, HandlerType.PATCH,
          HandlerType.PUT, HandlerType.DELETE}) {
        cfg.routes.addHttpHandler(t, "/<path>", this::serve);
      }
    });
    server.start("127.0.0.1", port);
    return server.port();
  }

  void stop() {
    if (server != null) server.stop();
  }

  private void serve(Context ctx) {
    String method = ctx.method().name();
    String rawPath = ctx.req().getRequestURI();
    Principal principal = Principal.ANONYMOUS;
    SimResponse resp;
    Router.Match m = null;
    try {
      m = router.match(method, rawPath);
      if (m == null) {
        LOG.warn("GitHubSimulator: no route for {} {}; answering 404", method, rawPath);
        throw SimError.notFound();
      }
      principal = auth.authenticate(ctx.header("Authorization"));
      injectFault(method, rawPath);
      if (!"GET /rate_limit".equals(m.route().operation())) primaryLimit(principal);
      SimRepo repo = m.params().containsKey("repo") ? state.repo(m.params().get("owner") + "/" + m.params().get("repo")) : null;
      if (m.params().containsKey("repo") && !auth.canSee(principal, repo)) throw SimError.notFound();
      JsonNode body = parseBody(ctx);
      validator.validate(m.route().operation(), resourceOf(m.route().template()), body, strictUnknownFields);
      SimRequest req = new SimRequest(method, m.route().operation(), ctx.fullUrl(), m.params(), ctx.queryParamMap(), body, principal);
      synchronized (state) {
        resp = m.route().handler().handle(req);
      }
    } catch (SimError e) {
      resp = error(e);
    } catch (RuntimeException e) {
      LOG.error("GitHubSimulator: handler failed for {} {}", method, rawPath, e);
      resp = error(new SimError(500, "Server Error"));
    }
    write(ctx, principal, resp);
    if (exchanges.size() < 10_000) {
      exchanges.add(new Exchange(m == null ? null : m.route().operation(), rawPath, resp.status(), resp.body()));
    }
  }

  /** Every answered request so far (up to 10,000), for tests that check shapes against the OpenAPI description. */
  java.util.List<Exchange> exchanges() { return java.util.List.copyOf(exchanges); }

  private void injectFault(String method, String path) {
    Faults.Rule r = faults.take(method, path);
    if (r == null) return;
    switch (r.kind) {
      case TOO_MANY_REQUESTS -> throw new SimError(429, "API rate limit exceeded. Please retry later.", null,
          String.valueOf(r.retryAfterSeconds));
      case SECONDARY_LIMIT -> throw new SimError(403, "You have exceeded a secondary rate limit. Please wait a few "
          + "minutes before you try again. If you reach out to GitHub Support for help, please include the request ID "
          + UUID.randomUUID() + ".", null, String.valueOf(r.retryAfterSeconds));
      case SERVER_ERROR -> throw new SimError(r.status, r.status == 502 ? "Bad Gateway" : "Server Error");
      case DELAY -> sleep(r.delay);
    }
  }

  private void primaryLimit(Principal p) {
    Integer forced = faults.takeRemaining();
    if (forced != null && forced == 0) {
      String who = p.kind() == Principal.Kind.INSTALLATION ? "installation ID " + p.token().installationId() : p.bucket();
      throw new SimError(403, "API rate limit exceeded for " + who + ". If you reach out to GitHub Support for help, "
          + "please include the request ID " + UUID.randomUUID() + ".");
    }
  }

  private static JsonNode parseBody(Context ctx) {
    byte[] raw = ctx.bodyAsBytes();
    if (raw.length == 0) return null;
    try {
      return Sim.JSON.readTree(raw);
    } catch (IOException e) {
      throw new SimError(400, "Problems parsing JSON");
    }
  }

  /** The resource name GitHub puts in validation errors, e.g. "Issue", "Label", "PullRequest". */
  private static String resourceOf(String template) {
    if (template.contains("/labels")) return "Label";
    if (template.contains("/reactions")) return "Reaction";
    if (template.contains("/comments")) return "IssueComment";
    if (template.contains("/reviews")) return "PullRequestReview";
    if (template.contains("/pulls")) return "PullRequest";
    if (template.contains("/git/refs")) return "Reference";
    if (template.contains("/check-runs")) return "CheckRun";
    if (template.contains("/rulesets")) return "RepositoryRuleset";
    if (template.contains("/tasks")) return "Task";
    if (template.contains("/access_tokens")) return "InstallationAccessToken";
    return "Issue";
  }

  private static SimResponse error(SimError e) {
    ObjectNode b = Sim.JSON.createObjectNode();
    b.put("message", e.getMessage());
    if (e.errors != null) b.set("errors", e.errors);
    b.put("documentation_url", DOCS).put("status", String.valueOf(e.status));
    SimResponse r = SimResponse.of(e.status, b);
    if (e.retryAfter != null) r.header("Retry-After", e.retryAfter);
    return r;
  }

  private void write(Context ctx, Principal p, SimResponse resp) {
    int limit = faults.limit();
    int u = used.merge(p.bucket(), 1, Integer::sum);
    Integer forced = faults.peekRemaining();
    int remaining = forced != null ? forced : Math.max(0, limit - u);
    long reset = state.clock.now().plus(Duration.ofHours(1)).getEpochSecond();
    ctx.header("x-ratelimit-limit", String.valueOf(limit)).header("x-ratelimit-remaining", String.valueOf(remaining))
        .header("x-ratelimit-used", String.valueOf(limit - remaining))
        .header("x-ratelimit-reset", String.valueOf(reset)).header("x-ratelimit-resource", "core")
        .header("x-github-api-version-selected", "2022-11-28")
        .header("x-github-request-id", UUID.randomUUID().toString().toUpperCase());
    resp.headers().forEach(ctx::header);
    ctx.status(resp.status());
    if (resp.body() != null) {
      ctx.contentType("application/json; charset=utf-8");
      try {
        ctx.result(Sim.JSON.writeValueAsBytes(resp.body()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
