package dev.agentdispatch.github;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.sandbox.DemoWorld;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;

/**
 * Every forbidden call is refused before it leaves the process, through the plain transport, hub4j and the
 * gateway. One simulator serves the whole class (it starts in a quarter second, and there are 30+ cases), so
 * each test compares counts before and after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyGuardTest {
  private static final String R = "/repos/octo-demo/webapp";
  private final GitHubKit kit = new GitHubKit();

  @AfterAll
  void stop() {
    kit.close();
  }

  static Stream<Arguments> forbidden() {
    return Stream.of(
        Arguments.of("merge a pull request", "PUT", R + "/pulls/1/merge", "{}"),
        Arguments.of("merge, upper-case path", "PUT", "/REPOS/octo-demo/webapp/PULLS/1/MERGE", "{}"),
        Arguments.of("merge, trailing slash", "PUT", R + "/pulls/1/merge/", "{}"),
        Arguments.of("merge, doubled slashes", "PUT", R + "//pulls//1//merge", "{}"),
        Arguments.of("merge, percent-encoded segment", "PUT", R + "/pulls/1/%6derge", "{}"),
        Arguments.of("merge a branch", "POST", R + "/merges", "{\"base\":\"main\",\"head\":\"copilot/x\"}"),
        Arguments.of("update a pull request branch", "PUT", R + "/pulls/1/update-branch", "{}"),
        Arguments.of("graphql enablePullRequestAutoMerge", "POST", "/graphql",
            "{\"query\":\"mutation { enablePullRequestAutoMerge(input: {pullRequestId: \\\"x\\\"}) { clientMutationId } }\"}"),
        Arguments.of("graphql enqueuePullRequest", "POST", "/graphql",
            "{\"query\":\"mutation{enqueuePullRequest(input:{pullRequestId:\\\"x\\\"}){clientMutationId}}\"}"),
        Arguments.of("graphql mergePullRequest, JSON-escaped", "POST", "/graphql",
            "{\"query\":\"mutation { \\u006dergePullRequest(input: {}) { clientMutationId } }\"}"),
        Arguments.of("graphql without a readable query", "POST", "/graphql", "not json"),
        Arguments.of("create refs/heads/main", "POST", R + "/git/refs", "{\"ref\":\"refs/heads/main\",\"sha\":\"a\"}"),
        Arguments.of("create a tag", "POST", R + "/git/refs", "{\"ref\":\"refs/tags/v1\",\"sha\":\"a\"}"),
        Arguments.of("create copilot/../main", "POST", R + "/git/refs",
            "{\"ref\":\"refs/heads/copilot/../main\",\"sha\":\"a\"}"),
        Arguments.of("create copilotx/", "POST", R + "/git/refs", "{\"ref\":\"refs/heads/copilotx/a\",\"sha\":\"a\"}"),
        Arguments.of("create bare copilot/", "POST", R + "/git/refs", "{\"ref\":\"refs/heads/copilot/\",\"sha\":\"a\"}"),
        Arguments.of("create with no ref", "POST", R + "/git/refs", "{\"sha\":\"a\"}"),
        Arguments.of("create with a duplicate ref key", "POST", R + "/git/refs",
            "{\"ref\":\"refs/heads/main\",\"ref\":\"refs/heads/copilot/x\",\"sha\":\"a\"}"),
        Arguments.of("create, encoded dots in body", "POST", R + "/git/refs",
            "{\"ref\":\"refs/heads/copilot/%2e%2e/main\",\"sha\":\"a\"}"),
        Arguments.of("update heads/main", "PATCH", R + "/git/refs/heads/main", "{\"sha\":\"a\",\"force\":true}"),
        Arguments.of("update heads%2Fmain", "PATCH", R + "/git/refs/heads%2Fmain", "{\"sha\":\"a\"}"),
        Arguments.of("delete heads/main", "DELETE", R + "/git/refs/heads/main", null),
        Arguments.of("delete heads/copilot/../main", "DELETE", R + "/git/refs/heads/copilot/../main", null),
        Arguments.of("delete heads/copilot/%2e%2e/main", "DELETE", R + "/git/refs/heads/copilot/%2e%2e/main", null),
        Arguments.of("delete double-encoded dots", "DELETE", R + "/git/refs/heads/copilot/%252e%252e/main", null),
        Arguments.of("delete heads/copilotx/a", "DELETE", R + "/git/refs/heads/copilotx/a", null),
        Arguments.of("delete heads/Copilot/a", "DELETE", R + "/git/refs/heads/Copilot/a", null),
        Arguments.of("delete a tag", "DELETE", R + "/git/refs/tags/v1", null),
        Arguments.of("write a file on the default branch", "PUT", R + "/contents/src/app.js",
            "{\"message\":\"m\",\"content\":\"eA==\"}"),
        Arguments.of("write a file on main", "PUT", R + "/contents/src/app.js",
            "{\"message\":\"m\",\"content\":\"eA==\",\"branch\":\"main\"}"),
        Arguments.of("write a file on copilot/../main", "PUT", R + "/contents/a",
            "{\"message\":\"m\",\"content\":\"eA==\",\"branch\":\"copilot/../main\"}"),
        Arguments.of("delete a file on the default branch", "DELETE", R + "/contents/README.md",
            "{\"message\":\"m\",\"sha\":\"a\"}"),
        Arguments.of("rename a branch", "POST", R + "/branches/main/rename", "{\"new_name\":\"copilot/x\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forbidden")
  void forbidden_call_is_refused_and_never_reaches_github(String name, String method, String path, String body) {
    byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    int before = kit.exchanges().size();
    int refusals = kit.policy.recent().size();
    Map<String, Long> calls = kit.client.calls().byCredential();
    PolicyViolation v = assertThrows(PolicyViolation.class, () -> kit.client.transport().send(
        ApiRequest.json(method, path, bytes, kit.client.jwt()::credential)));
    assertEquals(before, kit.exchanges().size(), "nothing was sent");
    assertEquals(refusals + 1, kit.policy.recent().size());
    assertEquals(v, kit.policy.recent().get(refusals));
    assertEquals(calls, kit.client.calls().byCredential(), "not counted as a call");
  }

  @Test
  void allowed_writes_under_copilot_pass_the_guard() {
    assertDoesNotThrow(() -> PolicyGuard.check("POST", R + "/git/refs",
        "{\"ref\":\"refs/heads/copilot/fix-1\",\"sha\":\"a\"}".getBytes(StandardCharsets.UTF_8)));
    assertDoesNotThrow(() -> PolicyGuard.check("PATCH", R + "/git/refs/heads/copilot/fix-1", null));
    assertDoesNotThrow(() -> PolicyGuard.check("DELETE", R + "/git/refs/heads%2Fcopilot%2Ffix-1", null));
    assertDoesNotThrow(() -> PolicyGuard.check("PUT", R + "/contents/a.txt",
        "{\"message\":\"m\",\"content\":\"eA==\",\"branch\":\"copilot/fix-1\"}".getBytes(StandardCharsets.UTF_8)));
    assertDoesNotThrow(() -> PolicyGuard.check("POST", "/graphql",
        "{\"query\":\"query { viewer { login } }\"}".getBytes(StandardCharsets.UTF_8)));
    assertDoesNotThrow(() -> PolicyGuard.check("GET", R + "/pulls/1/merge", null));
    assertFalse(PolicyGuard.underCopilot("refs/heads/copilot/a.lock"));
  }

  @Test
  void gateway_merge_create_ref_and_delete_ref_are_refused_before_any_token_is_minted() {
    GitHubGateway g = kit.client.gateway(RepoRef.of(DemoWorld.REPO, 1L, 2L),  // ids given: no lookups either
        Permissions.CONTENTS_WRITE.and(Permissions.PULL_REQUESTS_WRITE));
    int before = kit.exchanges().size();
    int refusals = kit.policy.recent().size();
    assertEquals("no-merge", assertThrows(PolicyViolation.class, () -> g.mergePull(1)).rule());
    assertEquals("ref-outside-copilot",
        assertThrows(PolicyViolation.class, () -> g.createRef("refs/heads/main", "a")).rule());
    assertEquals("ref-outside-copilot", assertThrows(PolicyViolation.class, () -> g.deleteRef("heads/main")).rule());
    assertThrows(PolicyViolation.class, () -> g.deleteRef("heads/copilot/../main"));
    assertEquals(before, kit.exchanges().size());
    assertEquals(refusals + 4, kit.policy.recent().size());
  }

  @Test
  void gateway_creates_and_deletes_a_copilot_branch() {
    String main = kit.sim.state().repo(DemoWorld.REPO).refs.get("heads/main");
    GitHubGateway g = kit.webapp(Permissions.CONTENTS_WRITE);
    assertEquals("refs/heads/copilot/fix-1", g.createRef("refs/heads/copilot/fix-1", main).path("ref").asText());
    g.deleteRef("heads/copilot/fix-1");
    assertTrue(kit.sim.writeLog().contains(DemoWorld.REPO + ":create-ref:heads/copilot/fix-1"), kit.sim.writeLog()
        .toString());
  }

  @Test
  void hub4j_merge_and_ref_delete_are_refused_by_the_connector() throws Exception {
    kit.sim.world().branch(DemoWorld.REPO, "copilot/hub4j-1", "main", Map.of("a.txt", "a"));
    InstallationTokens.Key key = new InstallationTokens.Key(kit.sim.installationId(DemoWorld.ORG),
        kit.sim.state().repo(DemoWorld.REPO).id, Permissions.PULL_REQUESTS_WRITE.and(Permissions.CONTENTS_WRITE));
    GitHub gh = kit.client.hub4j(() -> kit.client.tokens().credential(key));
    GHRepository repo = gh.getRepository(DemoWorld.REPO);
    GHPullRequest pr = repo.createPullRequest("Fix", "copilot/hub4j-1", "main", "body");
    long refPosts = kit.count("POST /repos/{owner}/{repo}/git/refs");

    PolicyViolation v = assertThrows(PolicyViolation.class, () -> pr.merge("merge it"));
    assertEquals("no-merge", v.rule());
    String main = kit.sim.state().repo(DemoWorld.REPO).refs.get("heads/main");
    assertEquals("ref-outside-copilot",
        assertThrows(PolicyViolation.class, () -> repo.createRef("refs/heads/release", main)).rule());
    assertTrue(kit.exchanges().stream().noneMatch(e -> e.path().endsWith("/merge")), "no merge reached GitHub");
    assertEquals(refPosts, kit.count("POST /repos/{owner}/{repo}/git/refs"));
    assertEquals("refs/heads/copilot/hub4j-2", repo.createRef("refs/heads/copilot/hub4j-2", main).getRef());
    assertEquals("main", repo.getDefaultBranch());
  }
}
