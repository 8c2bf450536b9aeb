package dev.agentdispatch.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdispatch.audit.AuditEvent;
import dev.agentdispatch.audit.AuditTrail;
import dev.agentdispatch.config.Settings.UserAuth;
import dev.agentdispatch.github.GitHubCallFailed;
import dev.agentdispatch.github.OAuthClient;
import dev.agentdispatch.store.UserTokenStore;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.Handler;
import io.javalin.http.SameSite;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OAuth web flow of user-token mode (docs/github-access.md): {@code GET /auth/github/login} sends the browser to
 * GitHub's authorize page with a signed state and a PKCE challenge; {@code GET /auth/github/callback} checks the
 * state, exchanges the code, learns who signed in ({@code GET /user}) and stores the pair encrypted. Not behind
 * ADMIN_TOKEN: anyone may authorise the app as themselves. Tokens never reach a log line, a page or the audit.
 */
public final class OAuthRoutes {
  private static final Logger log = LoggerFactory.getLogger(OAuthRoutes.class);
  /** How long a started sign-in may take before its state is refused. */
  static final Duration STATE_TTL = Duration.ofMinutes(10);
  static final String COOKIE = "agent_dispatch_oauth";

  private final UserAuth auth;
  private final OAuthClient oauth;
  private final Function<String, JsonNode> whoAmI;
  private final UserTokenStore store;
  private final AuditTrail audit;
  private final Clock clock;
  private final OAuthState states;

  /** @param whoAmI GET /user with a user access token */
  public OAuthRoutes(UserAuth auth, OAuthClient oauth, Function<String, JsonNode> whoAmI, UserTokenStore store,
      AuditTrail audit, Clock clock) {
    this.auth = auth;
    this.oauth = oauth;
    this.whoAmI = whoAmI;
    this.store = store;
    this.audit = audit;
    this.clock = clock;
    this.states = new OAuthState(auth.encryptionKey());
  }

  /** The two GET routes, by path. */
  public Map<String, Handler> routes() {
    Map<String, Handler> r = new LinkedHashMap<>();
    r.put(UserAuth.LOGIN_PATH, this::login);
    r.put(UserAuth.CALLBACK_PATH, this::callback);
    return r;
  }

  private void login(Context ctx) {
    OAuthState.Issued issued = states.issue(clock.millis() + STATE_TTL.toMillis());
    Map<String, String> q = new LinkedHashMap<>();
    q.put("redirect_uri", auth.callbackUrl());
    q.put("state", issued.state());
    q.put("code_challenge", issued.challenge());
    q.put("code_challenge_method", "S256");
    q.put("allow_signup", "false");
    String hint = ctx.queryParam("login");
    if (hint != null && hint.matches("[A-Za-z0-9-]{1,39}")) {
      q.put("login", hint);
    }
    ctx.cookie(cookie(issued.cookie(), (int) STATE_TTL.toSeconds()));
    ctx.redirect(oauth.authorizeUrl(q), io.javalin.http.HttpStatus.FOUND);
  }

  private void callback(Context ctx) {
    String error = ctx.queryParam("error");
    if (error != null) {
      page(ctx, 400, "GitHub did not authorise agent-dispatch (" + error + "). To try again, open "
          + auth.loginUrl());
      return;
    }
    String verifier = states.verify(ctx.queryParam("state"), ctx.cookie(COOKIE), clock.millis());
    ctx.cookie(cookie("", 0));
    String code = ctx.queryParam("code");
    if (verifier == null || code == null || code.isBlank()) {
      log.info("OAuthRoutes: callback refused: missing, foreign or expired state");
      page(ctx, 400, "This sign-in was not started here, or it took longer than " + STATE_TTL.toMinutes()
          + " minutes. Start again at " + auth.loginUrl());
      return;
    }
    OAuthClient.Grant grant;
    JsonNode me;
    try {
      grant = oauth.exchange(code, auth.callbackUrl(), verifier);
      me = whoAmI.apply(grant.accessToken());
    } catch (OAuthClient.OAuthRefused e) {
      log.info("OAuthRoutes: GitHub refused the code exchange; error={}", e.error());
      page(ctx, 400, "GitHub refused the sign-in (" + e.error() + "). Start again at " + auth.loginUrl()
          + (e.error().equals("incorrect_client_credentials") ? " (an administrator should check "
              + "GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET)" : ""));
      return;
    } catch (GitHubCallFailed e) {
      log.warn("OAuthRoutes: the code exchange failed; error={}", e.getMessage());
      page(ctx, 502, "GitHub could not be reached to finish the sign-in. Try again at " + auth.loginUrl());
      return;
    }
    String login = me.path("login").asText();
    store.save(login, me.path("id").asLong(), grant.accessToken(), grant.accessExpiresAt(), grant.refreshToken(),
        grant.refreshExpiresAt(), clock.millis());
    log.info("OAuthRoutes: user authorised the app; login={}", login);
    audit.record(AuditEvent.of(clock.instant(), "user.authorized", "ok").withDelivery(null, null, null, login));
    page(ctx, 200, "Signed in as @" + login + ". agent-dispatch can now start Copilot as you in repositories that "
        + "use `agent_token: user`. You can close this page.");
  }

  private Cookie cookie(String value, int maxAge) {
    return new Cookie(COOKIE, value, "/auth/github", maxAge, "https".equals(auth.publicUrl().getScheme()), true,
        null, SameSite.LAX);
  }

  private static void page(Context ctx, int status, String text) {
    ctx.status(status).contentType("text/plain; charset=utf-8").result(text + "\n");
  }
}
