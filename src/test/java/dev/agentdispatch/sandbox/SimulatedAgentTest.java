package dev.agentdispatch.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatedAgentTest {
  private static final String TASKS = "/agents/repos/octo-demo/webapp/tasks";
  private SimFixture f;
  private HookReceiver app;

  @BeforeEach void start() throws Exception {
    f = new SimFixture();
    app = new HookReceiver();
    f.sim.webhook(app.url(), "s");
  }

  @AfterEach void stop() {
    f.close();
    app.close();
  }

  private String createTask(String prompt) {
    SimFixture.Resp r = f.post(TASKS, f.sim.tokenOf("alice"),
        Map.of("prompt", prompt, "create_pull_request", true, "base_ref", "main"));
    assertEquals(201, r.status(), String.valueOf(r.json()));
    assertEquals("queued", r.json().get("state").asText());
    assertEquals(0, r.json().get("artifacts").size());
    return r.json().get("id").asText();
  }

  private JsonNode runAndGet(String id) {
    f.sim.clock().advance(Duration.ofMinutes(5));
    f.sim.runDueWork();
    return f.get("/agents/tasks/" + id, f.sim.tokenOf("alice")).json();
  }

  @Test void the_caller_cannot_choose_the_branch() {
    SimFixture.Resp r = f.post(TASKS, f.sim.tokenOf("alice"),
        Map.of("prompt", "Fix it", "head_ref", "copilot/mine", "create_pull_request", true));
    assertEquals(422, r.status(), String.valueOf(r.json()));
    assertEquals("head_ref", r.json().get("errors").get(0).get("field").asText());
  }

  @Test void nothing_happens_before_the_sim_clock_moves() {
    String id = createTask("Fix the login button");
    assertEquals(0, f.sim.agent().runDueWork());
    assertEquals("queued", f.get(TASKS + "/" + id, f.sim.tokenOf("alice")).json().get("state").asText());
  }

  @Test void success_ends_in_a_draft_pull_request_by_copilot_on_a_copilot_branch() throws Exception {
    String id = createTask("Fix the login button");
    JsonNode t = runAndGet(id);
    assertEquals("completed", t.get("state").asText());
    String branch = t.get("sessions").get(0).get("head_ref").asText();
    assertTrue(branch.startsWith("copilot/"), branch);
    JsonNode pullArtifact = null;
    for (JsonNode a : t.get("artifacts")) if (a.get("type").asText().equals("pull")) pullArtifact = a;
    assertEquals("github", pullArtifact.get("provider").asText());

    JsonNode pr = f.get("/repos/octo-demo/webapp/pulls?state=open", f.installationToken()).json().get(0);
    assertEquals(pullArtifact.get("data").get("id").asLong(), pr.get("id").asLong());
    assertEquals(pr.get("node_id").asText(), pullArtifact.get("data").get("global_id").asText());
    assertEquals("Copilot", pr.get("user").get("login").asText());
    assertEquals("Bot", pr.get("user").get("type").asText());
    assertEquals(SimulatedAgent.COPILOT_ID, pr.get("user").get("id").asLong());
    assertTrue(pr.get("draft").asBoolean());
    assertEquals(branch, pr.get("head").get("ref").asText());

    f.sim.awaitWebhooksIdle();
    JsonNode opened = SimFixture.JSON.readTree(app.events("pull_request").get(0).body());
    assertEquals("opened", opened.get("action").asText());
    assertEquals("Copilot", opened.get("pull_request").get("user").get("login").asText());
    JsonNode list = f.get(TASKS, f.sim.tokenOf("alice")).json();
    assertEquals(1, list.get("tasks").size());
    assertEquals(1, list.get("total_active_count").asInt());
  }

  @Test void failure_shows_failed_state_and_session_error_message() {
    f.sim.agent().scriptNext(Outcome.failure("Could not build the project"));
    JsonNode t = runAndGet(createTask("Fix the login button"));
    assertEquals("failed", t.get("state").asText());
    assertEquals("Could not build the project", t.get("sessions").get(0).get("error").get("message").asText());
  }

  @Test void timed_out_and_waiting_for_user_are_visible_states() {
    f.sim.agent().scriptNext(Outcome.TIMED_OUT).scriptNext(Outcome.WAITING_FOR_USER);
    String a = createTask("First");
    String b = createTask("Second");
    assertEquals("timed_out", runAndGet(a).get("state").asText());
    assertEquals("waiting_for_user", runAndGet(b).get("state").asText());
  }

  @Test void conflict_opens_a_pull_request_that_is_not_mergeable() {
    f.sim.agent().scriptNext(Outcome.CONFLICT);
    runAndGet(createTask("Touch the same file"));
    JsonNode pr = f.get("/repos/octo-demo/webapp/pulls/3", f.installationToken()).json();
    assertFalse(pr.get("mergeable").asBoolean());
    assertEquals("dirty", pr.get("mergeable_state").asText());
  }

  @Test void rogue_agent_uses_a_branch_outside_copilot_prefix_by_prompt_marker() {
    JsonNode t = runAndGet(createTask("Hotfix prod [sim:rogue]"));
    assertEquals("main-hotfix", t.get("sessions").get(0).get("head_ref").asText());
    assertEquals(200, f.get("/repos/octo-demo/webapp/git/ref/heads/main-hotfix", f.installationToken()).status());
  }

  @Test void copilot_mention_on_its_pull_request_pushes_a_commit_and_synchronizes() throws Exception {
    String id = createTask("Fix the login button");
    runAndGet(id);
    JsonNode pr = f.get("/repos/octo-demo/webapp/pulls/3", f.installationToken()).json();
    String before = pr.get("head").get("sha").asText();
    SimFixture.Resp c = f.post("/repos/octo-demo/webapp/issues/3/comments", f.sim.tokenOf("bob"),
        Map.of("body", "@copilot please add a test"));
    assertEquals(201, c.status());
    JsonNode t = runAndGet(id);
    assertEquals(2, t.get("session_count").asInt());
    assertEquals("completed", t.get("state").asText());
    String after = f.get("/repos/octo-demo/webapp/pulls/3", f.installationToken()).json().get("head").get("sha").asText();
    assertNotEquals(before, after);
    f.sim.awaitWebhooksIdle();
    List<String> actions = app.events("pull_request").stream()
        .map(r -> readAction(r.body())).toList();
    assertTrue(actions.contains("synchronize"), actions.toString());
    assertTrue(f.sim.writeLog().stream().anyMatch(l -> l.contains(":react:eyes:")));
  }

  @Test void ready_for_review_requests_code_owners_but_the_draft_did_not() throws Exception {
    runAndGet(createTask("Fix the login button"));
    String t = f.installationToken();
    assertEquals(0, f.get("/repos/octo-demo/webapp/pulls/3/requested_reviewers", t).json().get("teams").size());
    f.sim.world().readyForReview(DemoWorld.REPO, 3, "alice");
    JsonNode req = f.get("/repos/octo-demo/webapp/pulls/3/requested_reviewers", t).json();
    assertEquals("backend", req.get("teams").get(0).get("slug").asText());
    f.sim.awaitWebhooksIdle();
    List<String> actions = app.events("pull_request").stream().map(r -> readAction(r.body())).toList();
    assertTrue(actions.contains("review_requested"), actions.toString());
  }

  @Test void missing_or_mistyped_prompt_is_refused_with_422() {
    assertEquals(422, f.post(TASKS, f.sim.tokenOf("alice"), Map.of("base_ref", "main")).status());
    assertEquals(422, f.post(TASKS, f.sim.tokenOf("alice"), Map.of("prompt", 5)).status());
  }

  private static String readAction(byte[] body) {
    try {
      return SimFixture.JSON.readTree(body).get("action").asText();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
