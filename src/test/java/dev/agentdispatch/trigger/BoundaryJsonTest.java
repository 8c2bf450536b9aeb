package dev.agentdispatch.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.agentdispatch.config.RepoConfig;
import org.junit.jupiter.api.Test;

/** A parsed boundary survives the trip through agent_task.boundary unchanged. */
class BoundaryJsonTest {
  @Test
  void a_parsed_boundary_reads_back_equal() {
    TaskBoundary b = new BoundaryParser(RepoConfig.DEFAULTS).parse("Scope: src/http/**, docs/http.md\n"
        + "Done when: checks named \"build\", \"unit tests\" pass and mergeable and approved and it feels fast\n"
        + "Timeout: 45m\nOn failure: notify @octo-org/backend\n").boundary();

    assertEquals(b, BoundaryJson.read(BoundaryJson.write(b)));
  }

  @Test
  void defaults_are_remembered_as_defaults() {
    TaskBoundary b = new BoundaryParser(RepoConfig.DEFAULTS).parse("Scope: src/**\nDone when: checks pass\n")
        .boundary();

    TaskBoundary back = BoundaryJson.read(BoundaryJson.write(b));
    assertEquals(b.fromDefaults(), back.fromDefaults());
    assertEquals("keep-branch", back.onFailure().toString());
  }

  @Test
  void text_that_is_not_a_stored_boundary_is_refused() {
    assertThrows(IllegalArgumentException.class, () -> BoundaryJson.read("not json"));
    assertThrows(IllegalArgumentException.class, () -> BoundaryJson.read("[1]"));
  }
}
