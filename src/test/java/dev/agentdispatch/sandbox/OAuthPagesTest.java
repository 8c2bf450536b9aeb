package dev.agentdispatch.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulator's github.com OAuth pages over HTTP: authorize, both grants, GitHub's errors, expiry and revocation. */
class OAuthPagesTest {
  private static final String CALLBACK = "http://127.0.0.1:9/auth/github/callback";
  private final SimFixture f = new SimFixture();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void authorize_redirects_back_with_a_code_and_the_state_for_the_hinted_user() {
    HttpResponse<String> r = authorize(Map.of("login", "bob", "state", "s-1"));
    assertEquals(302, r.statusCode());
    Map<String, String> q = query(r.headers().firstValue("Location").orElseThrow());
    assertEquals("s-1", q.get("state"));
    assertTrue(q.get("code").length() >= 20);
    assertTrue(r.headers().firstValue("Location").orElseThrow().startsWith(CALLBACK + "?"));
    assertTrue(f.sim.writeLog().contains("oauth:authorize:bob"));
  }

  @Test
  void authorize_for_an_unknown_client_is_a_404_and_a_foreign_redirect_is_a_mismatch() {
    assertEquals(404, get("/login/oauth/authorize?client_id=nope&redirect_uri=" + enc(CALLBACK)).statusCode());
    f.sim.oauthCallback("http://127.0.0.1:9/auth/github/callback");
    HttpResponse<String> r = get("/login/oauth/authorize?client_id=" + f.sim.clientId() + "&state=x&redirect_uri="
        + enc("https://evil.example/cb"));
    assertEquals(302, r.statusCode());
    Map<String, String> q = query(r.headers().firstValue("Location").orElseThrow());
    assertEquals("redirect_uri_mismatch", q.get("error"));
    assertNull(q.get("code"));
  }

  @Test
  void a_code_becomes_a_user_token_that_acts_as_the_user_once_as_json_or_as_a_form() {
    String code = code("bob", null);
    JsonNode grant = token(Map.of("code", code, "redirect_uri", CALLBACK), true);
    String access = grant.path("access_token").asText();
    assertTrue(access.startsWith("ghu_"));
    assertTrue(grant.path("refresh_token").asText().startsWith("ghr_"));
    assertEquals(28800, grant.path("expires_in").asInt());
    assertEquals(15811200, grant.path("refresh_token_expires_in").asLong());
    assertEquals("bearer", grant.path("token_type").asText());
    assertEquals("bob", f.get("/user", access).json().path("login").asText());
    assertEquals(201, f.post("/agents/repos/octo-demo/webapp/tasks", access, Map.of("prompt", "Fix it")).status(),
        "the agent tasks API takes a user access token");
    assertEquals("bad_verification_code", token(Map.of("code", code), true).path("error").asText(), "used once");

    HttpResponse<String> form = post(Map.of("client_id", f.sim.clientId(), "client_secret", f.sim.clientSecret(),
        "code", code("alice", null)), false, false);
    assertTrue(form.headers().firstValue("Content-Type").orElseThrow().contains("x-www-form-urlencoded"));
    Map<String, String> fields = query("?" + form.body());
    assertTrue(fields.get("access_token").startsWith("ghu_"));
    HttpResponse<String> json = post(Map.of("client_id", f.sim.clientId(), "client_secret", f.sim.clientSecret(),
        "code", code("alice", null)), true, true);
    assertTrue(json.body().contains("\"access_token\":\"ghu_"), "a JSON body is read too");
  }

  @Test
  void githubs_errors_come_with_200_and_an_error_code() {
    String code = code("bob", OAuthPages.s256("the-verifier-0123456789-0123456789-0123456789"));
    HttpResponse<String> wrongSecret = post(Map.of("client_id", f.sim.clientId(), "client_secret", "nope",
        "code", code), false, true);
    assertEquals(200, wrongSecret.statusCode());
    assertTrue(wrongSecret.body().contains("incorrect_client_credentials"));
    assertEquals("bad_verification_code", token(Map.of("code", code, "code_verifier", "another"), true)
        .path("error").asText(), "PKCE: the verifier must match the challenge");
    assertEquals("bad_verification_code", token(Map.of("code", "made-up"), true).path("error").asText());
    String late = code("bob", null);
    f.sim.clock().advance(Duration.ofMinutes(11));
    assertEquals("bad_verification_code", token(Map.of("code", late), true).path("error").asText());
    assertEquals("bad_refresh_token", token(Map.of("grant_type", "refresh_token", "refresh_token", "ghr_nope"), true)
        .path("error").asText());
  }

  @Test
  void a_refresh_gives_a_new_pair_and_ends_the_old_one() {
    JsonNode first = token(Map.of("code", code("bob", null)), true);
    JsonNode second = token(Map.of("grant_type", "refresh_token", "refresh_token",
        first.path("refresh_token").asText()), true);
    assertNotEquals(first.path("access_token").asText(), second.path("access_token").asText());
    assertEquals(401, f.get("/user", first.path("access_token").asText()).status(), "the old access token stops");
    assertEquals(200, f.get("/user", second.path("access_token").asText()).status());
    assertEquals("bad_refresh_token", token(Map.of("grant_type", "refresh_token", "refresh_token",
        first.path("refresh_token").asText()), true).path("error").asText(), "a refresh token works once");
    assertEquals(1, f.sim.writeLog().stream().filter("oauth:refresh:bob"::equals).count());
  }

  @Test
  void a_user_token_expires_after_eight_hours_on_the_simulators_clock() {
    String access = token(Map.of("code", code("bob", null)), true).path("access_token").asText();
    f.sim.clock().advance(Duration.ofHours(8).minusSeconds(1));
    assertEquals(200, f.get("/user", access).status());
    f.sim.clock().advance(Duration.ofSeconds(1));
    assertEquals(401, f.get("/user", access).status());
  }

  @Test
  void revoking_ends_every_token_and_sends_the_revoked_webhook() throws Exception {
    try (HookReceiver app = new HookReceiver()) {
      f.sim.webhook(app.url(), "s");
      JsonNode grant = token(Map.of("code", code("bob", null)), true);
      String alice = token(Map.of("code", code("alice", null)), true).path("access_token").asText();
      f.sim.world().revokeAuthorization("bob");
      f.sim.awaitWebhooksIdle();
      assertEquals(401, f.get("/user", grant.path("access_token").asText()).status());
      assertEquals("bad_refresh_token", token(Map.of("grant_type", "refresh_token", "refresh_token",
          grant.path("refresh_token").asText()), true).path("error").asText());
      assertEquals(200, f.get("/user", alice).status(), "other people's tokens keep working");
      List<HookReceiver.Received> got = app.events("github_app_authorization");
      assertEquals(1, got.size());
      JsonNode p = SimFixture.JSON.readTree(got.get(0).body());
      assertEquals("revoked", p.path("action").asText());
      assertEquals("bob", p.path("sender").path("login").asText());
      assertFalse(p.has("installation"));
      assertTrue(new OpenApiSpec().validateComponent("webhook-github-app-authorization-revoked", p).isEmpty());
    }
  }

  @Test
  void the_oauth_pages_are_not_rest_operations() {
    assertTrue(f.sim.operations().stream().noneMatch(op -> op.contains("/login/oauth")),
        "github.com pages stay outside the OpenAPI-checked router");
  }

  private String code(String login, String challenge) {
    Map<String, String> q = new LinkedHashMap<>(Map.of("login", login, "state", "st"));
    if (challenge != null) {
      q.put("code_challenge", challenge);
      q.put("code_challenge_method", "S256");
    }
    return query(authorize(q).headers().firstValue("Location").orElseThrow()).get("code");
  }

  private HttpResponse<String> authorize(Map<String, String> extra) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("client_id", f.sim.clientId());
    q.put("redirect_uri", CALLBACK);
    q.putAll(extra);
    return get("/login/oauth/authorize?" + form(q));
  }

  private JsonNode token(Map<String, String> grant, boolean json) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("client_id", f.sim.clientId());
    body.put("client_secret", f.sim.clientSecret());
    body.putAll(grant);
    try {
      return SimFixture.JSON.readTree(post(body, false, json).body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> post(Map<String, String> body, boolean jsonBody, boolean acceptJson) {
    try {
      String text = jsonBody ? SimFixture.JSON.writeValueAsString(body) : form(body);
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.sim.webUrl() + "/login/oauth/access_token"))
          .header("Content-Type", jsonBody ? "application/json" : "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(text));
      if (acceptJson) {
        b.header("Accept", "application/json");
      }
      return f.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> get(String pathAndQuery) {
    try {
      return f.http.send(HttpRequest.newBuilder(URI.create(f.sim.webUrl() + pathAndQuery)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> query(String url) {
    String q = url.substring(url.indexOf('?') + 1);
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : q.split("&")) {
      String[] kv = pair.split("=", 2);
      out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return out;
  }

  private static String form(Map<String, String> m) {
    return m.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
