package dev.agentdispatch.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.config.PrivateKeys;
import dev.agentdispatch.sandbox.DemoWorld;
import dev.agentdispatch.sandbox.SimToken;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InstallationTokensTest {
  private static final String TOKENS = "POST /app/installations/{installation_id}/access_tokens";
  private final GitHubKit kit = new GitHubKit();

  @AfterEach
  void stop() {
    kit.close();
  }

  @Test
  void token_request_names_only_that_repository_id_and_the_declared_permissions() {
    kit.webapp(Permissions.ISSUES_WRITE).createIssueComment(1, "hello");

    long webappId = kit.sim.state().repo(DemoWorld.REPO).id;
    List<SimToken> minted = tokens();
    assertTrue(minted.stream().allMatch(t -> t.repositories().equals(Set.of(DemoWorld.REPO)) && !t.allRepositories()),
        "every token reaches exactly the one repository: " + minted);
    assertTrue(minted.stream().anyMatch(t -> t.permissions().equals(Map.of("issues", "write"))), minted.toString());
    assertTrue(minted.stream().allMatch(t -> t.permissions().equals(Map.of("issues", "write"))
        || t.permissions().equals(Map.of("metadata", "read"))), "nothing beyond what was declared: " + minted);
    assertEquals(webappId, kit.client.repositoryId(RepoRef.of(DemoWorld.REPO)));
    assertTrue(kit.sim.writeLog().contains("octo-demo/webapp#1:comment:hello"), kit.sim.writeLog().toString());
  }

  @Test
  void a_token_for_one_repository_is_never_used_on_another() {
    kit.sim.world().repo("octo-demo/api", "main", true, Map.of("README.md", "api"));
    kit.sim.world().collaborator("octo-demo/api", "bob", "read");
    GitHubGateway webapp = kit.webapp(Permissions.ISSUES_WRITE);
    GitHubGateway api = kit.client.gateway(RepoRef.of("octo-demo/api"), Permissions.ISSUES_WRITE);
    long inst = kit.sim.installationId(DemoWorld.ORG);
    long webappId = kit.sim.state().repo(DemoWorld.REPO).id;
    long apiId = kit.sim.state().repo("octo-demo/api").id;

    Credential a = kit.client.tokens().credential(new InstallationTokens.Key(inst, webappId, Permissions.ISSUES_WRITE));
    Credential b = kit.client.tokens().credential(new InstallationTokens.Key(inst, apiId, Permissions.ISSUES_WRITE));

    assertNotEquals(a.secret(), b.secret());
    assertEquals(Set.of(DemoWorld.REPO), kit.sim.state().tokens.get(a.secret()).repositories());
    assertEquals(Set.of("octo-demo/api"), kit.sim.state().tokens.get(b.secret()).repositories());
    assertEquals("write", webapp.getCollaboratorPermission("bob"));
    assertEquals("read", api.getCollaboratorPermission("bob"));
    // the webapp token, sent to the api repository by hand, is refused by GitHub: the scope is real
    ApiResponse crossed = kit.client.transport().send(ApiRequest.json("GET", "/repos/octo-demo/api", null, () -> a));
    assertEquals(404, crossed.status());
  }

  @Test
  void fifty_threads_asking_for_the_same_token_cause_one_token_request() throws Exception {
    long inst = kit.sim.installationId(DemoWorld.ORG);
    long repoId = kit.sim.state().repo(DemoWorld.REPO).id;
    InstallationTokens.Key key = new InstallationTokens.Key(inst, repoId, Permissions.CONTENTS_READ);
    ExecutorService pool = Executors.newFixedThreadPool(50);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<String>> got = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      got.add(pool.submit(() -> {
        go.await();
        return kit.client.tokens().credential(key).secret();
      }));
    }
    go.countDown();
    Set<String> distinct = new HashSet<>();
    for (Future<String> f : got) {
      distinct.add(f.get());
    }
    pool.shutdown();
    assertEquals(1, distinct.size());
    assertEquals(1, kit.count(TOKENS));
  }

  @Test
  void a_token_is_renewed_once_the_clock_passes_its_expiry_margin() {
    GitHubGateway g = kit.webapp(Permissions.METADATA_READ);
    g.getCollaboratorPermission("bob");
    g.getCollaboratorPermission("alice");
    assertEquals(1, kit.count(TOKENS), "reused while valid");

    kit.clock.advance(Duration.ofMinutes(56));  // expires_at is one hour out; the margin is five minutes
    assertEquals("write", g.getCollaboratorPermission("bob"));
    assertEquals(2, kit.count(TOKENS));
  }

  @Test
  void a_token_answer_with_a_past_expiry_is_reused_for_a_minute_instead_of_requested_in_a_loop() {
    try (FakeGitHub fake = new FakeGitHub()) {
      fake.on("POST /app/installations/7/access_tokens", FakeGitHub.json(201,
          "{\"token\":\"ghs_skewed\",\"expires_at\":\"2020-01-01T00:00:00Z\"}"));
      fake.on("GET /repos/o/r/collaborators/bob/permission", FakeGitHub.json(200, "{\"permission\":\"write\"}"));
      GitHubClient client = kit.clientFor(fake.url());
      GitHubGateway g = client.gateway(RepoRef.of("o/r", 99L, 7L), Permissions.METADATA_READ);
      for (int i = 0; i < 20; i++) {
        assertEquals("write", g.getCollaboratorPermission("bob"));
      }
      assertEquals(1, fake.count("POST /app/installations/7/access_tokens"));
      kit.clock.advance(InstallationTokens.MIN_REUSE);
      g.getCollaboratorPermission("bob");
      assertEquals(2, fake.count("POST /app/installations/7/access_tokens"), "asked again a minute later");
    }
  }

  @Test
  void a_token_answer_with_an_unreadable_expiry_does_not_loop_either() {
    try (FakeGitHub fake = new FakeGitHub()) {
      fake.on("POST /app/installations/7/access_tokens", FakeGitHub.json(201,
          "{\"token\":\"ghs_odd\",\"expires_at\":\"soon\"}"));
      fake.on("GET /repos/o/r/collaborators/bob/permission", FakeGitHub.json(200, "{\"permission\":\"read\"}"));
      GitHubGateway g = kit.clientFor(fake.url()).gateway(RepoRef.of("o/r", 99L, 7L), Permissions.METADATA_READ);
      for (int i = 0; i < 10; i++) {
        g.getCollaboratorPermission("bob");
      }
      assertEquals(1, fake.count("POST /app/installations/7/access_tokens"));
    }
  }

  @Test
  void tokens_appear_in_no_exception_message() {
    GitHubGateway g = kit.webapp(Permissions.ISSUES_WRITE);
    GitHubCallFailed e = assertThrows(GitHubCallFailed.class, () -> g.createIssueComment(999, "nobody home"));
    assertEquals(404, e.status());
    for (String token : kit.sim.state().tokens.keySet()) {
      assertTrue(!e.getMessage().contains(token) && !String.valueOf(e.getCause()).contains(token));
    }
    Credential c = kit.client.tokens().credential(new InstallationTokens.Key(kit.sim.installationId(DemoWorld.ORG),
        kit.sim.state().repo(DemoWorld.REPO).id, Permissions.ISSUES_WRITE));
    assertTrue(!c.toString().contains(c.secret()));
  }

  @Test
  void a_gateway_refuses_a_call_outside_its_declared_permissions_before_sending() {
    GitHubGateway g = kit.webapp(Permissions.ISSUES_WRITE);
    assertThrows(IllegalStateException.class, () -> g.getContent("README.md", null));
    assertEquals(0, kit.count(TOKENS));
  }

  private List<SimToken> tokens() {
    synchronized (kit.sim.state()) {
      return List.copyOf(kit.sim.state().tokens.values());
    }
  }

}
