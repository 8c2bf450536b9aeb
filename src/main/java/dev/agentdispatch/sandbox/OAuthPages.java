package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * github.com's OAuth pages for a GitHub App (FACTS.md 2.3), outside the REST API and its OpenAPI description:
 * {@code GET /login/oauth/authorize} approves at once for a seeded user (the {@code login} hint, else the default
 * user) and redirects back with {@code code} and {@code state}; {@code POST /login/oauth/access_token} takes the code
 * and refresh_token grants (form or JSON) and answers JSON or form like GitHub, errors with 200 and an error field.
 * Access tokens ({@code ghu_}) expire after 8 hours on the simulator's clock; a refresh token ({@code ghr_}) works
 * once, and using it also ends the access token it came with.
 */
final class OAuthPages {
  static final Duration ACCESS_LIFETIME = Duration.ofHours(8);
  static final Duration REFRESH_LIFETIME = Duration.ofSeconds(15_811_200);
  static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
  private static final String ALPHANUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** An unused authorisation code. */
  record Code(SimUser user, String redirectUri, String challenge, Instant expiresAt) {}

  /** An unused refresh token and the access token it was issued with. */
  record Refresh(SimUser user, String accessToken, Instant expiresAt) {}

  private final SimState state;

  OAuthPages(SimState state) {
    this.state = state;
  }

  void authorize(Context ctx) {
    String redirect;
    synchronized (state) {
      SimApp app = state.app;
      if (app == null || !app.clientId.equals(ctx.queryParam("client_id"))) {
        ctx.status(404).contentType("text/plain").result("Not Found\n");
        return;
      }
      String uri = ctx.queryParam("redirect_uri") != null ? ctx.queryParam("redirect_uri") : app.callbackUrl;
      String st = ctx.queryParam("state");
      if (uri == null) {
        ctx.status(400).contentType("text/plain").result("redirect_uri is required: the app has no callback URL\n");
        return;
      }
      if (app.callbackUrl != null && !uri.startsWith(app.callbackUrl)) {
        redirect = app.callbackUrl + query(Map.of("error", "redirect_uri_mismatch", "state", st == null ? "" : st));
      } else {
        SimUser user = signedIn(ctx.queryParam("login"));
        String code = random(20);
        state.oauthCodes.put(code, new Code(user, uri, ctx.queryParam("code_challenge"),
            state.clock.now().plus(CODE_LIFETIME)));
        state.log("oauth:authorize:" + user.login);
        Map<String, String> q = new LinkedHashMap<>();
        q.put("code", code);
        if (st != null) {
          q.put("state", st);
        }
        redirect = uri + query(q);
      }
    }
    ctx.status(302).header("Location", redirect);
  }

  void accessToken(Context ctx) {
    Map<String, String> in = params(ctx);
    ObjectNode out;
    synchronized (state) {
      out = grant(in);
    }
    String accept = String.valueOf(ctx.header("Accept"));
    if (accept.contains("json")) {
      ctx.contentType("application/json; charset=utf-8").result(out.toString());
    } else {
      Map<String, String> form = new LinkedHashMap<>();
      out.fields().forEachRemaining(e -> form.put(e.getKey(), e.getValue().asText()));
      ctx.contentType("application/x-www-form-urlencoded; charset=utf-8").result(query(form).substring(1));
    }
  }

  private ObjectNode grant(Map<String, String> in) {
    SimApp app = state.app;
    if (app == null || !app.clientId.equals(in.get("client_id")) || !app.clientSecret.equals(in.get("client_secret"))) {
      return error("incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.");
    }
    if ("refresh_token".equals(in.get("grant_type"))) {
      Refresh r = state.refreshTokens.remove(String.valueOf(in.get("refresh_token")));
      if (r == null || !state.clock.now().isBefore(r.expiresAt())) {
        return error("bad_refresh_token", "The refresh token passed is incorrect or expired.");
      }
      state.userTokens.remove(r.accessToken());
      state.log("oauth:refresh:" + r.user().login);
      return issue(r.user());
    }
    Code c = state.oauthCodes.remove(String.valueOf(in.get("code")));
    if (c == null || !state.clock.now().isBefore(c.expiresAt())) {
      return error("bad_verification_code", "The code passed is incorrect or expired.");
    }
    if (in.get("redirect_uri") != null && !in.get("redirect_uri").equals(c.redirectUri())) {
      return error("redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for this "
          + "application.");
    }
    if (c.challenge() != null && !c.challenge().equals(s256(in.get("code_verifier")))) {
      return error("bad_verification_code", "The code_verifier does not match the code_challenge.");
    }
    state.log("oauth:code:" + c.user().login);
    return issue(c.user());
  }

  /** A new pair for {@code user}, reaching the repositories the app's installations reach. */
  private ObjectNode issue(SimUser user) {
    String access = mint(state, user, "ghu_" + random(36), ACCESS_LIFETIME);
    String refresh = "ghr_" + random(76);
    state.refreshTokens.put(refresh, new Refresh(user, access, state.clock.now().plus(REFRESH_LIFETIME)));
    ObjectNode n = Sim.JSON.createObjectNode();
    n.put("access_token", access).put("expires_in", ACCESS_LIFETIME.toSeconds()).put("refresh_token", refresh)
        .put("refresh_token_expires_in", REFRESH_LIFETIME.toSeconds()).put("scope", "").put("token_type", "bearer");
    return n;
  }

  /** Stores a user access token acting as {@code user} on the installations' repositories. */
  static String mint(SimState state, SimUser user, String token, Duration lifetime) {
    java.util.Set<String> repos = new java.util.LinkedHashSet<>();
    state.installations.values().forEach(i -> repos.addAll(state.reposOf(i)));
    SimToken t = new SimToken(token, 0, java.util.Set.copyOf(repos), Map.copyOf(state.app.permissions), false,
        state.clock.now().plus(lifetime));
    state.userTokens.put(token, new Principal(Principal.Kind.USER, user, t));
    return token;
  }

  /** Ends every token of {@code user} (the person revoked the app's authorisation). */
  static void revoke(SimState state, SimUser user) {
    state.userTokens.values().removeIf(p -> p.user() == user);
    state.refreshTokens.values().removeIf(r -> r.user() == user);
    state.log("oauth:revoked:" + user.login);
  }

  private SimUser signedIn(String hint) {
    SimUser u = state.user(hint);
    if (u != null && "User".equals(u.type)) {
      return u;
    }
    SimUser d = state.user(state.oauthDefaultLogin);
    if (d != null) {
      return d;
    }
    return state.users().stream().filter(x -> "User".equals(x.type) && x.pat != null).findFirst()
        .orElseThrow(() -> new IllegalStateException("no seeded user to sign in"));
  }

  private static Map<String, String> params(Context ctx) {
    Map<String, String> in = new LinkedHashMap<>();
    ctx.queryParamMap().forEach((k, v) -> in.put(k, v.get(0)));
    String body = ctx.body();
    if (String.valueOf(ctx.contentType()).contains("json")) {
      try {
        JsonNode j = Sim.JSON.readTree(body);
        j.fields().forEachRemaining(e -> in.put(e.getKey(), e.getValue().asText()));
      } catch (IOException e) {
        // GitHub ignores an unreadable body; the grant then fails on the missing fields
      }
    } else if (!body.isBlank()) {
      for (String pair : body.split("&")) {
        String[] kv = pair.split("=", 2);
        in.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
            kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
      }
    }
    return in;
  }

  private static ObjectNode error(String code, String description) {
    return Sim.JSON.createObjectNode().put("error", code).put("error_description", description)
        .put("error_uri", "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors");
  }

  static String s256(String verifier) {
    if (verifier == null) {
      return null;
    }
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String query(Map<String, String> q) {
    return "?" + q.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
  }

  private static String random(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(ALPHANUM.charAt(RANDOM.nextInt(ALPHANUM.length())));
    }
    return b.toString();
  }
}
