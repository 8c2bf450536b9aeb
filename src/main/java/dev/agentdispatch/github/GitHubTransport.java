package dev.agentdispatch.github;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way out to GitHub: every REST, GraphQL and hub4j request passes {@link #send}. In order: stay on
 * the API origin, the policy guard, the rate-limit budget, content pacing, then the request with GitHub's
 * headers, retried on rate limits, 5xx and connection errors as {@link RetryPolicy} says.
 */
final class GitHubTransport {
  private static final Logger log = LoggerFactory.getLogger(GitHubTransport.class);
  static final String API_VERSION = "2022-11-28";
  static final String ACCEPT = "application/vnd.github+json";
  static final String USER_AGENT = "agent-dispatch (GitHub App)";
  private static final Set<String> DROPPED = Set.of("host", "connection", "content-length", "expect", "upgrade",
      "authorization", "accept-encoding", "user-agent", "x-github-api-version", "content-type",
      "x-http-method-override");
  private static final int MAX_REDIRECTS = 3;

  private final ApiOrigin origin;
  private final HttpClient http;
  private final RetryPolicy policy;
  private final Waits waits;
  private final RateLimits rateLimits;
  private final ContentPacer pacer;
  private final CallCounter counter;
  private final PolicyRecorder recorder;

  GitHubTransport(ApiOrigin origin, Waits waits, RetryPolicy policy, CallCounter counter, PolicyRecorder recorder) {
    this.origin = origin;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    this.policy = policy;
    this.waits = waits;
    this.rateLimits = new RateLimits(waits.clock(), policy.reserve());
    this.pacer = new ContentPacer(waits.clock());
    this.counter = counter;
    this.recorder = recorder;
  }

  ApiOrigin origin() {
    return origin;
  }

  /**
   * Sends the request and returns GitHub's final answer, whatever its status. Throws {@link PolicyViolation}
   * (nothing sent), {@link ForeignOriginRefused}, or {@link GitHubCallFailed} when no answer came at all.
   */
  ApiResponse send(ApiRequest req) {
    String method = req.method().toUpperCase(Locale.ROOT);
    URI uri = origin.resolve(req.target());
    for (int redirects = 0; ; redirects++) {
      guard(method, uri, req.body());
      ApiResponse r = sendWithRetries(method, uri, req);
      String location = r.header("Location").orElse(null);
      if (!isRedirect(r.status()) || location == null) {
        return r;
      }
      if (redirects == MAX_REDIRECTS) {
        throw new GitHubCallFailed(method + " " + origin.apiPath(uri), r.status(), "too many redirects");
      }
      uri = origin.resolve(uri.resolve(location).toString());
      if (r.status() == 303) {
        method = "GET";
        req = new ApiRequest("GET", uri.toString(), null, null, req.headers(), req.credential());
      }
    }
  }

  /**
   * Runs the origin check and the guard alone, so a gateway can refuse a call before it even mints a token
   * for it. {@link #send} checks again.
   */
  void preflight(String method, String target, byte[] body) {
    guard(method.toUpperCase(Locale.ROOT), origin.resolve(target), body);
  }

  private void guard(String method, URI uri, byte[] body) {
    try {
      PolicyGuard.check(method, origin.apiPath(uri), body);
    } catch (PolicyViolation v) {
      recorder.refused(v);
      throw v;
    }
  }

  private ApiResponse sendWithRetries(String method, URI uri, ApiRequest req) {
    String what = method + " " + origin.apiPath(uri);
    boolean creates = ContentPacer.createsContent(method, origin.apiPath(uri));
    int serverFailures = 0;
    int rateLimited = 0;
    Duration backedOff = Duration.ZERO;
    while (true) {
      Credential cred = req.credential().get();
      Duration budgetWait = rateLimits.waitBeforeCall(cred);
      if (!budgetWait.isZero()) {
        log.warn("GitHub: rate limit nearly used up for {}; waiting {} for the reset", cred, budgetWait);
        waits.sleep(budgetWait, what);
        rateLimits.forget(cred);
        cred = req.credential().get();
      }
      if (creates) {
        waits.sleep(pacer.reserve(cred.paceKey()), what);
      }
      counter.count(cred.label());
      ApiResponse r;
      try {
        r = exchange(method, uri, req, cred);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new GitHubCallFailed(what + " (interrupted)", e);
      } catch (IOException e) {
        serverFailures++;
        Duration d = policy.backoff(serverFailures);
        if (serverFailures >= policy.maxServerErrorAttempts()
            || backedOff.plus(d).compareTo(policy.maxServerErrorWait()) > 0) {
          throw new GitHubCallFailed(what, e);
        }
        log.info("GitHub: {} failed to connect ({}); retrying in {}", what, e.getClass().getSimpleName(), d);
        backedOff = backedOff.plus(d);
        waits.sleep(d, what);
        continue;
      }
      rateLimits.update(cred, r);
      log.debug("GitHub: {} answered {} as {}", what, r.status(), cred);
      if (RateLimitAnswer.isRateLimited(r)) {
        rateLimited++;
        Duration d = RateLimitAnswer.waitFor(r, waits.clock(), policy, rateLimited);
        if (rateLimited >= policy.maxRateLimitAttempts() || d.compareTo(policy.maxRateLimitWait()) > 0) {
          log.warn("GitHub: {} still rate limited after {} attempts; giving up", what, rateLimited);
          return r;
        }
        log.warn("GitHub: {} rate limited ({}); waiting {}", what, r.status(), d);
        waits.sleep(d, what);
        rateLimits.forget(cred);
        continue;
      }
      if (r.status() >= 500) {
        serverFailures++;
        Duration d = policy.backoff(serverFailures);
        if (serverFailures >= policy.maxServerErrorAttempts()
            || backedOff.plus(d).compareTo(policy.maxServerErrorWait()) > 0) {
          log.warn("GitHub: {} answered {} {} times; giving up", what, r.status(), serverFailures);
          return r;
        }
        log.info("GitHub: {} answered {}; retrying in {}", what, r.status(), d);
        backedOff = backedOff.plus(d);
        waits.sleep(d, what);
        continue;
      }
      return r;
    }
  }

  private ApiResponse exchange(String method, URI uri, ApiRequest req, Credential cred)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .header("X-GitHub-Api-Version", API_VERSION).header("User-Agent", USER_AGENT)
        .header("Authorization", cred.authorization());
    String accept = ACCEPT;
    for (var h : req.headers().entrySet()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.equals("accept")) {
        accept = h.getValue().contains("vnd.github.v3+json") || h.getValue().isBlank() ? ACCEPT : h.getValue();
      } else if (!DROPPED.contains(name)) {
        b.header(h.getKey(), h.getValue());
      }
    }
    b.header("Accept", accept);
    if (req.body() != null) {
      b.header("Content-Type", req.contentType() == null ? "application/json" : req.contentType());
      b.method(method, HttpRequest.BodyPublishers.ofByteArray(req.body()));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<byte[]> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new ApiResponse(uri, resp.statusCode(), resp.headers().map(), resp.body());
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }
}
