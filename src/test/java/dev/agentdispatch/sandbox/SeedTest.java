package dev.agentdispatch.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedTest {
  @Test void demo_world_has_roles_team_files_and_installation() {
    try (SimFixture f = new SimFixture()) {
      String t = f.installationToken();
      assertEquals("admin", perm(f, t, "alice"));
      assertEquals("write", perm(f, t, "bob"));
      assertEquals("read", perm(f, t, "carol"));
      JsonNode members = f.get("/orgs/octo-demo/teams/backend/members", t).json();
      assertEquals(List.of("alice", "bob"), List.of(members.get(0).get("login").asText(), members.get(1).get("login").asText()));
      JsonNode file = f.get("/repos/octo-demo/webapp/contents/CODEOWNERS", t).json();
      String text = new String(Base64.getMimeDecoder().decode(file.get("content").asText()), StandardCharsets.UTF_8);
      assertTrue(text.contains("@octo-demo/backend"));
      assertEquals(2, f.get("/repos/octo-demo/webapp/issues", t).json().size());
      assertTrue(f.sim.privateKeyPem().startsWith("-----BEGIN RSA PRIVATE KEY-----"));
      assertTrue(f.sim.tokenOf("bob").startsWith("simpat_bob_"));
    }
  }

  @Test void yaml_seed_file_builds_the_described_world(@TempDir Path dir) throws Exception {
    Path seed = dir.resolve("seed.yml");
    Files.writeString(seed, """
        app: {id: 77, slug: my-app, owner: acme}
        users: [dora]
        repos:
          - name: acme/site
            default_branch: trunk
            collaborators: {dora: triage}
            files: {"docs/a.md": "hello"}
            branches: [{name: feature/x, files: {"b.txt": "b"}}]
          - name: acme/hidden
        installations:
          - account: acme
            repositories: [acme/site]
        """);
    GitHubSimulator sim = new GitHubSimulator(SimClock.fixed(Instant.parse("2026-01-01T00:00:00Z")));
    Seed.load(sim, seed);
    try (sim) {
      sim.start(0);
      assertEquals(77, sim.appId());
      SimFixture f = attach(sim);
      String t = f.installationToken();
      assertEquals("trunk", f.get("/repos/acme/site", t).json().get("default_branch").asText());
      assertEquals(200, f.get("/repos/acme/site/git/ref/heads/feature/x", t).status());
      assertEquals(404, f.get("/repos/acme/hidden", t).status());
      assertEquals("triage", f.get("/repos/acme/site/collaborators/dora/permission", t).json().get("role_name").asText());
    }
  }

  @Test void a_given_public_key_verifies_jwts_signed_by_the_apps_own_key() {
    try (SimFixture f = new SimFixture()) {
      KeyPair own = Pem.generate();
      f.sim.usePublicKey(own.getPublic());
      Instant now = f.sim.clock().now();
      assertEquals(200, f.get("/app", f.jwt(now.minusSeconds(30), now.plusSeconds(300), own.getPrivate())).status());
      assertThrows(IllegalStateException.class, f.sim::privateKeyPem);
    }
  }

  @Test void ready_for_review_is_announced() throws Exception {
    try (SimFixture f = new SimFixture(); HookReceiver app = new HookReceiver()) {
      f.sim.webhook(app.url(), "s");
      f.sim.world().branch(DemoWorld.REPO, "feat", "main", Map.of("x", "y"));
      int n = f.post("/repos/octo-demo/webapp/pulls", f.sim.tokenOf("bob"),
          Map.of("title", "Feat", "head", "feat", "base", "main", "draft", true)).json().get("number").asInt();
      f.sim.world().readyForReview(DemoWorld.REPO, n, "bob");
      f.sim.awaitWebhooksIdle();
      List<String> actions = app.events("pull_request").stream().map(r -> action(r.body())).toList();
      assertEquals(List.of("opened", "ready_for_review", "review_requested"), actions);
    }
  }

  private static String action(byte[] body) {
    try {
      return SimFixture.JSON.readTree(body).get("action").asText();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String perm(SimFixture f, String token, String user) {
    return f.get("/repos/octo-demo/webapp/collaborators/" + user + "/permission", token).json().get("permission").asText();
  }

  private static SimFixture attach(GitHubSimulator sim) {
    return new SimFixture(sim);
  }
}
