package dev.agentdispatch.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET .../issues/{n}/comments?since= lists only comments updated at or after that time, as GitHub does. */
class IssueCommentsSinceTest {
  private static final String R = "/repos/octo-demo/webapp";
  private final SimFixture f = new SimFixture();

  @AfterEach
  void close() {
    f.close();
  }

  private List<String> bodies(String since) {
    SimFixture.Resp r = f.get(R + "/issues/1/comments?since=" + since, f.installationToken());
    assertEquals(200, r.status(), String.valueOf(r.json()));
    return StreamSupport.stream(r.json().spliterator(), false).map(c -> c.path("body").asText()).toList();
  }

  @Test
  void since_keeps_the_comments_updated_at_or_after_it() {
    String t = f.installationToken();
    java.time.Instant first = f.sim.clock().now();
    f.post(R + "/issues/1/comments", t, Map.of("body", "early"));
    f.sim.clock().advance(Duration.ofMinutes(10));
    java.time.Instant second = f.sim.clock().now();
    f.post(R + "/issues/1/comments", t, Map.of("body", "late"));

    assertEquals(List.of("early", "late"), bodies(first.toString()).stream()
        .filter(b -> b.equals("early") || b.equals("late")).toList());
    assertEquals(List.of("late"), bodies(second.toString()));
    assertEquals(List.of(), bodies(second.plusSeconds(1).toString()));
  }
}
