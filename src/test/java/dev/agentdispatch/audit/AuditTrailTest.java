package dev.agentdispatch.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdispatch.TestApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail through the admin API over HTTP, on the app's real database. */
class AuditTrailTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  /** Shaped like a personal access token; built at run time so no token-shaped string is committed. */
  private static final String FAKE_TOKEN = "ghp" + "_" + "x".repeat(36);
  @TempDir Path dir;
  private TestApp world;

  @BeforeEach
  void start() {
    world = TestApp.start(dir, h -> { });
    AuditTrail audit = world.app.audit();
    audit.record(AuditEvent.of(T0, "task.queued", "queued").withDelivery("d-1", 7L, "octo/app", "bob")
        .withTask(1L).withIo("Fix the login button", null));
    audit.record(AuditEvent.of(T0.plusSeconds(60), "trigger.refused", "refused")
        .withDelivery("d-2", 7L, "octo/app", "carol").withIo("/copilot do it", "carol has read permission"));
    audit.record(AuditEvent.of(T0.plusSeconds(120), "task.finished", "succeeded")
        .withDelivery("d-1", 7L, "octo/app", "bob").withTask(1L)
        .withIo("the key " + FAKE_TOKEN + " leaked", "https://github.com/octo/app/pull/3")
        .withCost(Duration.ofMinutes(12), 14, "service"));
    audit.record(AuditEvent.of(T0.plusSeconds(180), "task.queued", "queued")
        .withDelivery("d-3", 8L, "octo/other", "alice").withTask(2L));
  }

  @AfterEach
  void stop() {
    world.close();
  }

  @Test
  void the_admin_api_lists_events_newest_first_with_every_field() throws Exception {
    JsonNode events = get("/api/audit").get("events");
    assertEquals(4, events.size());
    assertEquals("octo/other", events.get(0).get("repository").asText());
    JsonNode finished = events.get(1);
    assertEquals("task.finished", finished.get("action").asText());
    assertEquals("succeeded", finished.get("outcome").asText());
    assertEquals("bob", finished.get("person").asText());
    assertEquals(1, finished.get("task").asLong());
    assertEquals("d-1", finished.get("delivery").asText());
    assertEquals(7, finished.get("installation").asLong());
    assertEquals("https://github.com/octo/app/pull/3", finished.get("output").asText());
    assertEquals(720_000, finished.get("duration_ms").asLong());
    assertEquals(14, finished.get("api_calls").asInt());
    assertEquals("service", finished.get("token_mode").asText());
    assertEquals(T0.plusSeconds(120).toString(), finished.get("at").asText());
  }

  @Test
  void credentials_never_reach_the_trail() throws Exception {
    String input = get("/api/audit?person=bob&outcome=succeeded").get("events").get(0).get("input").asText();
    assertFalse(input.contains("ghp_"), input);
    assertEquals("the key [redacted] leaked", input);
  }

  @Test
  void filters_by_repository_person_outcome_and_time() throws Exception {
    assertEquals(3, get("/api/audit?repository=octo/app").get("events").size());
    assertEquals(1, get("/api/audit?person=carol").get("events").size());
    assertEquals(1, get("/api/audit?outcome=refused").get("events").size());
    assertEquals(2, get("/api/audit?since=" + T0.plusSeconds(60) + "&until=" + T0.plusSeconds(180))
        .get("events").size());
  }

  @Test
  void pages_follow_the_next_cursor_without_gaps_or_repeats() throws Exception {
    JsonNode first = get("/api/audit?limit=3");
    assertEquals(3, first.get("events").size());
    JsonNode second = get("/api/audit?limit=3&before=" + first.get("next").asLong());
    assertEquals(1, second.get("events").size());
    assertTrue(second.get("next").isNull());
    assertEquals("d-1", second.get("events").get(0).get("delivery").asText());
  }

  @Test
  void the_trail_needs_the_admin_token_and_bad_filters_are_400() throws Exception {
    HttpResponse<String> anonymous = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(world.appUrl() + "/api/audit")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, anonymous.statusCode());
    assertEquals(400, send("/api/audit?since=yesterday").statusCode());
  }

  @Test
  void a_policy_guard_refusal_lands_in_the_trail() throws Exception {
    var gateway = world.app.github().gateway(dev.agentdispatch.github.RepoRef.of("octo-demo/webapp"),
        dev.agentdispatch.github.Permissions.PULL_REQUESTS_WRITE);
    org.junit.jupiter.api.Assertions.assertThrows(dev.agentdispatch.github.PolicyViolation.class,
        () -> gateway.mergePull(1));
    JsonNode refused = get("/api/audit?outcome=refused&repository=octo-demo/webapp").get("events").get(0);
    assertEquals("policy.refused", refused.get("action").asText());
    assertEquals("PUT /repos/octo-demo/webapp/pulls/1/merge", refused.get("input").asText());
    assertTrue(refused.get("output").asText().contains("no-merge"), refused.toString());
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = send(path);
    assertEquals(200, r.statusCode(), r.body());
    return new ObjectMapper().readTree(r.body());
  }

  private HttpResponse<String> send(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(world.appUrl() + path))
        .header("Authorization", "Bearer " + TestApp.ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
  }
}
