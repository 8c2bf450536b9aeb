package dev.agentdispatch.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Drives every route the simulator serves, then validates every JSON answer against GitHub's OpenAPI description. */
class OpenApiConformanceTest {
  private static final String R = "/repos/octo-demo/webapp";
  private static OpenApiSpec spec;
  private static SimFixture f;
  private static HookReceiver app;

  @BeforeAll static void setUp() throws Exception {
    spec = new OpenApiSpec();
    f = new SimFixture();
    app = new HookReceiver();
    f.sim.webhook(app.url(), "conformance");
    exerciseEveryRoute();
  }

  @AfterAll static void tearDown() {
    f.close();
    app.close();
  }

  private static void ok(SimFixture.Resp r) {
    assertTrue(r.status() >= 200 && r.status() < 300, r.status() + " " + r.json());
  }

  private static void exerciseEveryRoute() {
    String alice = f.sim.tokenOf("alice");
    String jwt = f.jwt();
    long inst = f.sim.installationId(DemoWorld.ORG);
    ok(f.get("/app", jwt));
    ok(f.get("/app/installations", jwt));
    ok(f.get(R + "/installation", jwt));
    ok(f.get("/app/installations/" + inst, jwt));
    ok(f.get("/orgs/octo-demo/installation", jwt));
    ok(f.get("/user", alice));
    String t = f.installationToken();
    ok(f.post("/app/installations/" + inst + "/access_tokens", jwt, Map.of("repositories", List.of("webapp"),
        "permissions", Map.of("issues", "read"))));
    ok(f.get(R, t));
    ok(f.get(R + "/contents/.github/agent-dispatch.yml?ref=main", t));
    ok(f.get(R + "/collaborators/bob/permission", t));
    ok(f.get("/orgs/octo-demo/teams/backend/members", t));
    ok(f.get("/orgs/octo-demo/teams/backend/memberships/bob", t));
    assertEquals(404, f.get("/orgs/octo-demo/teams/backend/memberships/carol", t).status());
    ok(f.get("/users/alice", t));
    ok(f.get("/rate_limit", t));
    ok(f.get(R + "/issues", t));
    ok(f.post(R + "/issues", alice, Map.of("title", "New issue", "body", "text", "labels", List.of("bug"))));
    ok(f.get(R + "/issues/1", t));
    ok(f.call("PATCH", R + "/issues/3", t, Map.of("state", "closed", "title", "Renamed")));
    ok(f.post(R + "/labels", t, Map.of("name", "needs-triage", "color", "fbca04")));
    ok(f.post(R + "/issues/1/labels", f.sim.tokenOf("bob"), Map.of("labels", List.of("agent-task", "needs-triage"))));
    ok(f.call("DELETE", R + "/issues/1/labels/needs-triage", t, null));
    long comment = f.post(R + "/issues/1/comments", t, Map.of("body", "Task queued")).json().get("id").asLong();
    ok(f.get(R + "/issues/1/comments", t));
    ok(f.call("PATCH", R + "/issues/comments/" + comment, t, Map.of("body", "Task started")));
    assertEquals(201, f.post(R + "/issues/comments/" + comment + "/reactions", t, Map.of("content", "eyes")).status());
    assertEquals(200, f.post(R + "/issues/comments/" + comment + "/reactions", t, Map.of("content", "eyes")).status());

    String task = f.post("/agents/repos/octo-demo/webapp/tasks", alice,
        Map.of("prompt", "Fix the login button", "create_pull_request", true)).json().get("id").asText();
    f.sim.clock().advance(Duration.ofMinutes(5));
    f.sim.runDueWork();
    ok(f.get("/agents/repos/octo-demo/webapp/tasks", alice));
    ok(f.get("/agents/repos/octo-demo/webapp/tasks/" + task, alice));
    ok(f.get("/agents/tasks", alice));
    ok(f.get("/agents/tasks/" + task, alice));

    JsonNode pr = f.get(R + "/pulls", t).json().get(0);
    int n = pr.get("number").asInt();
    String head = pr.get("head").get("sha").asText();
    ok(f.get(R + "/pulls/" + n, t));
    ok(f.get(R + "/pulls/" + n + "/files", t));
    ok(f.post(R + "/pulls/" + n + "/requested_reviewers", t,
        Map.of("reviewers", List.of("bob", "alice"), "team_reviewers", List.of("backend"))));
    ok(f.get(R + "/pulls/" + n + "/requested_reviewers", t));
    ok(f.call("DELETE", R + "/pulls/" + n + "/requested_reviewers", t, Map.of("reviewers", List.of("alice"))));
    ok(f.post(R + "/pulls/" + n + "/reviews", f.sim.tokenOf("bob"), Map.of("event", "APPROVE", "body", "LGTM")));
    ok(f.get(R + "/pulls/" + n + "/reviews", t));
    ok(f.call("PATCH", R + "/pulls/" + n, alice, Map.of("title", "Fix the login button")));

    long run = f.post(R + "/check-runs", t, Map.of("name", "agent-dispatch/policy", "head_sha", head,
        "status", "in_progress")).json().get("id").asLong();
    ok(f.get(R + "/check-runs/" + run, t));
    ok(f.call("PATCH", R + "/check-runs/" + run, t, Map.of("conclusion", "success",
        "output", Map.of("title", "Policy ok", "summary", "All rules pass"))));
    ok(f.get(R + "/commits/" + head + "/check-runs", t));

    ok(f.get(R + "/git/ref/heads/main", t));
    String mainSha = f.get(R + "/git/ref/heads/main", t).json().get("object").get("sha").asText();
    ok(f.post(R + "/git/refs", t, Map.of("ref", "refs/heads/scratch/one", "sha", mainSha)));
    ok(f.call("PATCH", R + "/git/refs/heads/scratch/one", t, Map.of("sha", head, "force", true)));
    ok(f.call("DELETE", R + "/git/refs/heads/scratch/one", t, null));

    ok(f.post(R + "/rulesets", alice, Map.of("name", "copilot branches", "target", "branch", "enforcement", "active",
        "conditions", Map.of("ref_name", Map.of("include", List.of("~ALL"), "exclude", List.of("refs/heads/copilot/**"))),
        "rules", List.of(Map.of("type", "creation")))));
    ok(f.get(R + "/rulesets", t));

    f.post("/repos/octo-demo/webapp/pulls", alice, Map.of("title", "Human PR", "head", "main", "base", "main"));
    f.sim.world().readyForReview(DemoWorld.REPO, n, "alice");
    ok(f.call("PUT", R + "/pulls/" + n + "/merge", t, Map.of("merge_method", "squash")));
    ok(f.call("PATCH", R + "/pulls/" + n, alice, Map.of("body", "merged now")));

    f.sim.awaitWebhooksIdle();
    JsonNode deliveries = f.get("/app/hook/deliveries?per_page=50", jwt).json();
    long first = deliveries.get(0).get("id").asLong();
    ok(f.get("/app/hook/deliveries/" + first, jwt));
    ok(f.post("/app/hook/deliveries/" + first + "/attempts", jwt, null));

    // documented error answers
    f.get(R + "/issues/999", t);
    f.post(R + "/issues/1/comments", t, Map.of());
    f.get("/app", t);
    f.sim.awaitWebhooksIdle();
  }

  @Test void every_served_operation_was_exercised_with_a_2xx() {
    Set<String> hit = f.sim.exchanges().stream().filter(e -> e.status() < 300 && e.operation() != null)
        .map(Exchange::operation).collect(Collectors.toSet());
    Set<String> missing = new TreeSet<>(f.sim.operations());
    missing.removeAll(hit);
    assertTrue(missing.isEmpty(), "not exercised: " + missing);
  }

  @Test void every_served_operation_is_in_githubs_openapi_description() {
    List<String> unknown = f.sim.operations().stream()
        .filter(op -> !spec.documents(op, 200) && !spec.documents(op, 201) && !spec.documents(op, 202)
            && !op.startsWith("DELETE "))
        .toList();
    assertTrue(unknown.isEmpty(), "operations without a documented 2xx JSON answer: " + unknown);
  }

  @Test void every_json_answer_validates_against_the_response_schema() {
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (Exchange e : f.sim.exchanges()) {
      if (e.operation() == null || e.body() == null || !spec.documents(e.operation(), e.status())) continue;
      checked++;
      var errors = spec.validate(e.operation(), e.status(), e.body());
      if (!errors.isEmpty()) {
        failures.add(e.operation() + " " + e.status() + ": " + errors.stream().limit(5).map(Object::toString).toList());
      }
    }
    assertTrue(checked > 50, "only " + checked + " answers checked");
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  @Test void the_validator_is_not_vacuous() {
    JsonNode good = f.get(R + "/issues/1", f.installationToken()).json();
    assertTrue(spec.validate("GET /repos/{owner}/{repo}/issues/{issue_number}", 200, good).isEmpty());
    com.fasterxml.jackson.databind.node.ObjectNode broken = good.deepCopy();
    broken.remove("number");
    broken.put("state", 5);
    assertEquals(2, spec.validate("GET /repos/{owner}/{repo}/issues/{issue_number}", 200, broken).size());
  }

  @Test void webhook_payloads_validate_against_the_webhook_schemas() throws Exception {
    List<String> failures = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    for (HookReceiver.Received r : app.received) {
      JsonNode p = SimFixture.JSON.readTree(r.body());
      String name = "webhook-" + r.header("X-GitHub-Event").replace('_', '-') + "-"
          + p.get("action").asText().replace('_', '-');
      seen.add(name);
      var errors = spec.validateComponent(name, p);
      if (!errors.isEmpty()) failures.add(name + ": " + errors.stream().limit(6).map(Object::toString).toList());
    }
    assertTrue(seen.size() >= 8, seen.toString());
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  @Test void webhook_payloads_carry_installation_repository_and_sender() throws Exception {
    assertTrue(app.received.size() > 10);
    for (HookReceiver.Received r : app.received) {
      JsonNode p = SimFixture.JSON.readTree(r.body());
      assertEquals(f.sim.installationId(DemoWorld.ORG), p.get("installation").get("id").asLong());
      assertEquals("octo-demo/webapp", p.get("repository").get("full_name").asText());
      assertTrue(p.get("sender").has("login"));
    }
  }
}
