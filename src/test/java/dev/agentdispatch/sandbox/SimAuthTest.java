package dev.agentdispatch.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimAuthTest {
  private SimFixture f;

  @BeforeEach void start() {
    f = new SimFixture();
    f.sim.world().repo("octo-demo/api", "main", true, Map.of("README.md", "api"));
  }

  @AfterEach void stop() { f.close(); }

  @Test void valid_jwt_is_accepted_on_app_endpoints() {
    SimFixture.Resp r = f.get("/app", f.jwt());
    assertEquals(200, r.status());
    assertEquals(f.sim.appId(), r.json().get("id").asLong());
  }

  @Test void expired_jwt_is_refused_with_github_error_body() {
    Instant now = f.sim.clock().now();
    SimFixture.Resp r = f.get("/app", f.jwt(now.minusSeconds(700), now.minusSeconds(100)));
    assertEquals(401, r.status());
    assertTrue(r.json().get("message").asText().contains("exp"));
    assertTrue(r.json().has("documentation_url"));
  }

  @Test void jwt_signed_with_another_key_is_refused() {
    Instant now = f.sim.clock().now();
    String forged = f.jwt(now.minusSeconds(60), now.plusSeconds(500), Pem.generate().getPrivate());
    assertEquals(401, f.get("/app", forged).status());
  }

  @Test void jwt_living_longer_than_ten_minutes_is_refused() {
    Instant now = f.sim.clock().now();
    assertEquals(401, f.get("/app", f.jwt(now, now.plusSeconds(1200))).status());
  }

  @Test void jwt_with_numeric_iss_or_client_id_is_accepted() {
    Instant now = f.sim.clock().now();
    var key = SimFixture.privateKey(f.sim.privateKeyPkcs8Pem());
    String numeric = handMadeJwt("{\"iss\":" + f.sim.appId() + ",\"iat\":" + (now.getEpochSecond() - 60)
        + ",\"exp\":" + (now.getEpochSecond() + 500) + "}", key);
    assertEquals(200, f.get("/app", numeric).status());
    String byClientId = io.jsonwebtoken.Jwts.builder().issuer(f.sim.clientId())
        .issuedAt(java.util.Date.from(now.minusSeconds(60))).expiration(java.util.Date.from(now.plusSeconds(500)))
        .signWith(key, io.jsonwebtoken.Jwts.SIG.RS256).compact();
    assertEquals(200, f.get("/app", byClientId).status());
  }

  @Test void jwt_issued_in_the_future_beyond_skew_is_refused() {
    Instant now = f.sim.clock().now();
    assertEquals(401, f.get("/app", f.jwt(now.plusSeconds(120), now.plusSeconds(500))).status());
    assertEquals(200, f.get("/app", f.jwt(now.plusSeconds(30), now.plusSeconds(500))).status());
  }

  @Test void invisible_repo_answers_404_even_for_a_bad_body() {
    String token = f.installationToken(Map.of("repositories", List.of("webapp")));
    assertEquals(404, f.post("/repos/octo-demo/api/issues/1/comments", token, Map.of()).status());
  }

  @Test void installation_token_cannot_call_jwt_only_endpoints() {
    assertEquals(401, f.get("/app", f.installationToken()).status());
  }

  @Test void token_scoped_to_one_repo_gets_404_on_another() {
    String token = f.installationToken(Map.of("repositories", List.of("webapp")));
    assertEquals(200, f.get("/repos/octo-demo/webapp", token).status());
    assertEquals(404, f.get("/repos/octo-demo/api", token).status());
  }

  @Test void token_cannot_exceed_the_apps_permissions() {
    long id = f.sim.installationId(DemoWorld.ORG);
    SimFixture.Resp r = f.post("/app/installations/" + id + "/access_tokens", f.jwt(),
        Map.of("permissions", Map.of("administration", "write")));
    assertEquals(422, r.status());
  }

  @Test void token_without_pull_requests_write_cannot_request_reviewers() {
    int pr = openPull();
    String token = f.installationToken(Map.of("permissions", Map.of("issues", "write", "pull_requests", "read")));
    SimFixture.Resp r = f.post("/repos/octo-demo/webapp/pulls/" + pr + "/requested_reviewers", token,
        Map.of("reviewers", List.of("bob")));
    assertEquals(403, r.status());
    assertEquals("Resource not accessible by integration", r.json().get("message").asText());
    String full = f.installationToken();
    assertEquals(201, f.post("/repos/octo-demo/webapp/pulls/" + pr + "/requested_reviewers", full,
        Map.of("reviewers", List.of("bob"))).status());
  }

  @Test void installation_token_expires_after_one_hour() {
    String token = f.installationToken();
    assertEquals(200, f.get("/repos/octo-demo/webapp", token).status());
    f.sim.clock().advance(Duration.ofMinutes(61));
    SimFixture.Resp r = f.get("/repos/octo-demo/webapp", token);
    assertEquals(401, r.status());
    assertEquals("Bad credentials", r.json().get("message").asText());
  }

  @Test void agent_tasks_refuse_installation_tokens_and_accept_a_users_pat() {
    String path = "/agents/repos/octo-demo/webapp/tasks";
    SimFixture.Resp byApp = f.post(path, f.installationToken(), Map.of("prompt", "Fix the login button"));
    assertEquals(403, byApp.status());
    assertTrue(byApp.json().get("message").asText().contains("installation access tokens are not supported"));
    SimFixture.Resp byAlice = f.post(path, f.sim.tokenOf("alice"), Map.of("prompt", "Fix the login button"));
    assertEquals(201, byAlice.status());
    assertEquals("queued", byAlice.json().get("state").asText());
  }

  @Test void user_access_token_acts_as_the_user_on_installed_repos_and_expires_after_8_hours() {
    f.sim.world().repo("elsewhere/tool", "main", false, Map.of("a", "b"));
    String uat = f.sim.world().userAccessToken("alice");
    assertEquals(201, f.post("/agents/repos/octo-demo/webapp/tasks", uat, Map.of("prompt", "Do it")).status());
    assertEquals(404, f.get("/repos/elsewhere/tool", uat).status());
    assertEquals(200, f.get("/repos/elsewhere/tool", f.sim.tokenOf("alice")).status());
    f.sim.clock().advance(Duration.ofHours(8));
    assertEquals(401, f.get("/repos/octo-demo/webapp", uat).status());
  }

  @Test void read_only_user_cannot_label_and_outsider_cannot_see_private_repo() {
    SimFixture.Resp carol = f.post("/repos/octo-demo/webapp/issues/1/labels", f.sim.tokenOf("carol"),
        Map.of("labels", List.of("agent-task")));
    assertEquals(403, carol.status());
    f.sim.world().user("mallory");
    assertEquals(404, f.get("/repos/octo-demo/webapp", f.sim.tokenOf("mallory")).status());
  }

  /** A JWT built by hand, as clients with a numeric "iss" (e.g. Octokit) send it. */
  private static String handMadeJwt(String payload, java.security.PrivateKey key) {
    try {
      var enc = java.util.Base64.getUrlEncoder().withoutPadding();
      String signingInput = enc.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes())
          + "." + enc.encodeToString(payload.getBytes());
      var sig = java.security.Signature.getInstance("SHA256withRSA");
      sig.initSign(key);
      sig.update(signingInput.getBytes());
      return signingInput + "." + enc.encodeToString(sig.sign());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private int openPull() {
    f.sim.world().branch(DemoWorld.REPO, "feature", "main", Map.of("src/x.js", "x"));
    return f.post("/repos/octo-demo/webapp/pulls", f.sim.tokenOf("alice"),
        Map.of("title", "Feature", "head", "feature", "base", "main")).json().get("number").asInt();
  }
}
