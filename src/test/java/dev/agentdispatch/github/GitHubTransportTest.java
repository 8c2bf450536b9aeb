package dev.agentdispatch.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.agentdispatch.sandbox.DemoWorld;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retries, waits and rate limits, against the simulator's injected faults; the sleeper records every wait. */
class GitHubTransportTest {
  private static final String PERMISSION = "GET /repos/{owner}/{repo}/collaborators/{username}/permission";
  private static final String PERMISSION_PATH = "/repos/octo-demo/webapp/collaborators/bob/permission";
  private final GitHubKit kit = new GitHubKit();
  private GitHubGateway gateway;

  @AfterEach
  void stop() {
    kit.close();
  }

  /** A gateway whose token is already minted, so only the call under test meets the faults. */
  private GitHubGateway warm() {
    gateway = kit.webapp(Permissions.METADATA_READ);
    gateway.getCollaboratorPermission("alice");
    kit.waits.clear();
    return gateway;
  }

  @Test
  void too_many_requests_waits_retry_after_then_succeeds() {
    warm();
    kit.sim.faults().tooManyRequests("GET", PERMISSION_PATH, 1, 7);
    assertEquals("write", gateway.getCollaboratorPermission("bob"));
    assertEquals(List.of(Duration.ofSeconds(7)), kit.waits);
    assertEquals(3, kit.count(PERMISSION));
  }

  @Test
  void secondary_limit_403_with_retry_after_waits_that_long() {
    warm();
    kit.sim.faults().secondaryLimit("GET", PERMISSION_PATH, 2, 30);
    assertEquals("write", gateway.getCollaboratorPermission("bob"));
    assertEquals(List.of(Duration.ofSeconds(30), Duration.ofSeconds(30)), kit.waits);
  }

  @Test
  void secondary_limit_403_without_a_usable_retry_after_waits_a_minute_then_doubles() {
    warm();
    kit.sim.faults().secondaryLimit("GET", PERMISSION_PATH, 2, 0);  // "Retry-After: 0" counts as missing
    assertEquals("write", gateway.getCollaboratorPermission("bob"));
    assertEquals(List.of(Duration.ofMinutes(1), Duration.ofMinutes(2)), kit.waits);
  }

  @Test
  void secondary_limit_403_with_no_retry_after_header_at_all_waits_a_minute() {
    try (FakeGitHub fake = new FakeGitHub()) {
      fake.on("GET /app", FakeGitHub.json(403, "{\"message\":\"You have exceeded a secondary rate limit.\"}"),
          FakeGitHub.json(200, "{\"id\":1}"));
      assertEquals(1, kit.clientFor(fake.url()).app().path("id").asLong());
      assertEquals(List.of(Duration.ofMinutes(1)), kit.waits);
    }
  }

  @Test
  void bad_gateway_twice_then_ok_succeeds_after_one_then_two_seconds() {
    warm();
    kit.sim.faults().serverError("GET", PERMISSION_PATH, 2, 502);
    assertEquals("write", gateway.getCollaboratorPermission("bob"));
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), kit.waits);
  }

  @Test
  void server_errors_stop_after_four_attempts() {
    warm();
    kit.sim.faults().serverError("GET", PERMISSION_PATH, -1, 503);
    GitHubCallFailed e = assertThrows(GitHubCallFailed.class, () -> gateway.getCollaboratorPermission("bob"));
    assertEquals(503, e.status());
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), kit.waits);
    assertEquals(1 + 4, kit.count(PERMISSION));
  }

  @Test
  void not_found_is_not_retried() {
    warm();
    GitHubCallFailed e = assertThrows(GitHubCallFailed.class, () -> gateway.getCollaboratorPermission("nobody"));
    assertEquals(404, e.status());
    assertEquals(List.of(), kit.waits);
    assertEquals(2, kit.count(PERMISSION));
  }

  @Test
  void unprocessable_is_not_retried() {
    GitHubGateway g = kit.webapp(Permissions.CONTENTS_WRITE);
    GitHubCallFailed e = assertThrows(GitHubCallFailed.class,
        () -> g.createRef("refs/heads/copilot/fix-1", "0000000000000000000000000000000000000000"));
    assertEquals(422, e.status());
    assertEquals(1, kit.count("POST /repos/{owner}/{repo}/git/refs"));
    assertEquals(List.of(), kit.waits);
  }

  @Test
  void permission_403_is_not_retried() {
    Credential issuesOnly = kit.client.tokens().credential(new InstallationTokens.Key(
        kit.sim.installationId(DemoWorld.ORG), kit.sim.state().repo(DemoWorld.REPO).id, Permissions.ISSUES_WRITE));
    ApiResponse r = kit.client.transport().send(ApiRequest.json("GET",
        "/repos/octo-demo/webapp/contents/README.md", null, () -> issuesOnly));
    assertEquals(403, r.status());
    assertEquals(1, kit.count("GET /repos/{owner}/{repo}/contents/{path}"));
    assertEquals(List.of(), kit.waits);
  }

  @Test
  void remaining_near_zero_makes_the_next_call_wait_until_the_reset() {
    kit.client.app();
    kit.sim.faults().rateLimitRemaining(3);
    kit.client.app();  // answered with x-ratelimit-remaining: 3 and a reset an hour out
    kit.onSleep = () -> kit.sim.faults().clear();
    kit.client.app();
    assertEquals(List.of(Duration.ofHours(1)), kit.waits);
    assertEquals(3, kit.count("GET /app"));
  }

  @Test
  void primary_limit_403_with_nothing_remaining_waits_until_the_reset() {
    kit.sim.faults().rateLimitRemaining(0);
    kit.onSleep = () -> kit.sim.faults().clear();
    assertEquals(kit.sim.appId(), kit.client.app().path("id").asLong());
    assertEquals(List.of(Duration.ofHours(1)), kit.waits);
  }

  @Test
  void connection_errors_are_retried_with_backoff_then_reported() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    GitHubClient closed = kit.clientFor("http://127.0.0.1:" + port);
    GitHubCallFailed e = assertThrows(GitHubCallFailed.class, closed::app);
    assertEquals(0, e.status());
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), kit.waits);
  }

  @Test
  void content_creating_calls_are_spread_a_second_apart_and_none_is_dropped() {
    GitHubGateway g = kit.webapp(Permissions.ISSUES_WRITE);
    g.createIssueComment(1, "one");
    kit.waits.clear();
    // the clock is frozen, so each further comment waits for its own slot one second after the previous
    for (int i = 0; i < 3; i++) {
      g.createIssueComment(1, "more " + i);
    }
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)), kit.waits);
    assertEquals(4, kit.sim.writeLog().stream().filter(l -> l.startsWith("octo-demo/webapp#1:comment")).count());
  }

  @Test
  void pacer_holds_an_installation_to_eighty_creations_a_minute() {
    ContentPacer pacer = new ContentPacer(kit.clock);
    Duration last = Duration.ZERO;
    for (int i = 0; i < 81; i++) {
      last = pacer.reserve("installation:1");
    }
    // 80 slots at 0..79 s; the 81st waits for the first to leave the minute window
    assertEquals(Duration.ofSeconds(80), last);
    assertEquals(Duration.ZERO, pacer.reserve("installation:2"), "installations are paced apart");
  }

  @Test
  void calls_are_counted_per_credential_and_per_task() {
    GitHubGateway g = kit.webapp(Permissions.METADATA_READ);
    try (CallCounter.Scope s = CallCounter.task("task-7")) {
      g.getCollaboratorPermission("bob");
      g.getCollaboratorPermission("alice");
    }
    g.getCollaboratorPermission("carol");
    // task-7: installation lookup, token (id lookup), two permission reads
    assertEquals(4, kit.client.calls().forTask("task-7"));
    Map<String, Long> byCredential = kit.client.calls().byCredential();
    assertEquals(2L, byCredential.get("app"));
    long repoId = kit.sim.state().repo(DemoWorld.REPO).id;
    assertEquals(3L, byCredential.get("installation:" + kit.sim.installationId(DemoWorld.ORG) + "/repo:" + repoId));
  }
}
