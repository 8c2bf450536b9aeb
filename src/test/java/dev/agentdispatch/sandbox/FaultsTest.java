package dev.agentdispatch.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultsTest {
  private static final String REPO = "/repos/octo-demo/webapp";
  private SimFixture f;
  private String token;

  @BeforeEach void start() {
    f = new SimFixture();
    token = f.installationToken();
  }

  @AfterEach void stop() { f.close(); }

  @Test void every_answer_carries_rate_limit_headers() {
    SimFixture.Resp r = f.get(REPO, token);
    assertEquals("5000", r.header("x-ratelimit-limit"));
    assertNotNull(r.header("x-ratelimit-remaining"));
    assertNotNull(r.header("x-ratelimit-used"));
    assertNotNull(r.header("x-ratelimit-reset"));
    assertEquals("core", r.header("x-ratelimit-resource"));
  }

  @Test void too_many_requests_with_retry_after_then_normal() {
    f.sim.faults().tooManyRequests("POST", ".*/issues/\\d+/labels", 1, 30);
    SimFixture.Resp first = f.post(REPO + "/issues/1/labels", token, Map.of("labels", List.of("bug")));
    assertEquals(429, first.status());
    assertEquals("30", first.header("Retry-After"));
    assertEquals(200, f.post(REPO + "/issues/1/labels", token, Map.of("labels", List.of("bug"))).status());
  }

  @Test void secondary_limit_is_a_403_with_retry_after_and_githubs_message() {
    f.sim.faults().secondaryLimit("*", ".*/comments", 1, 60);
    SimFixture.Resp r = f.post(REPO + "/issues/1/comments", token, Map.of("body", "hi"));
    assertEquals(403, r.status());
    assertEquals("60", r.header("Retry-After"));
    assertTrue(r.json().get("message").asText().startsWith("You have exceeded a secondary rate limit"));
  }

  @Test void bad_gateway_twice_then_ok() {
    f.sim.faults().serverError("GET", "/repos/octo-demo/webapp", 2, 502);
    assertEquals(502, f.get(REPO, token).status());
    assertEquals(502, f.get(REPO, token).status());
    assertEquals(200, f.get(REPO, token).status());
  }

  @Test void remaining_zero_gives_the_primary_rate_limit_403() {
    f.sim.faults().rateLimitRemaining(1);
    SimFixture.Resp last = f.get(REPO, token);
    assertEquals(200, last.status());
    assertEquals("0", last.header("x-ratelimit-remaining"));
    SimFixture.Resp limited = f.get(REPO, token);
    assertEquals(403, limited.status());
    assertTrue(limited.json().get("message").asText().startsWith("API rate limit exceeded"));
  }

  @Test void slow_answers_are_delayed() {
    f.sim.faults().delay("GET", "/rate_limit", 1, java.time.Duration.ofMillis(300));
    long start = System.nanoTime();
    assertEquals(200, f.get("/rate_limit", token).status());
    assertTrue(System.nanoTime() - start >= 300_000_000L);
  }
}
