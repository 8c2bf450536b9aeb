package dev.agentdispatch.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code allowed.teams}: a writer must be an active member of one of the teams (team membership API with an
 * installation token holding members: read). In the demo world team octo-demo/backend is alice and bob.
 */
class AllowedTeamsTest {
  @TempDir Path dir;
  private TriggerWorld w;

  @BeforeEach
  void start() {
    w = new TriggerWorld(dir);
    w.world.github.world().user("dave");
    w.world.github.world().collaborator(TriggerWorld.REPO, "dave", "write");
  }

  @AfterEach
  void stop() {
    w.close();
  }

  @Test
  void a_team_member_with_write_starts_a_task() throws Exception {
    w.config("allowed:\n  teams: [octo-demo/backend]\n");
    w.label("bob", 1, "agent-task");
    w.world.settle();
    assertTrue(w.world.app.taskQueue().findActive(TriggerWorld.REPO, 1).isPresent());
    assertTrue(w.world.github.exchanges().stream().anyMatch(e -> e.path().equals(
        "/orgs/octo-demo/teams/backend/memberships/bob") && e.status() == 200), "asked the membership API");
  }

  @Test
  void a_writer_outside_the_teams_is_refused_with_a_short_comment_and_the_label_removed() throws Exception {
    w.config("allowed:\n  teams: [octo-demo/backend]\n");
    w.label("dave", 1, "agent-task");
    w.world.settle();

    assertTrue(w.world.app.taskQueue().findActive(TriggerWorld.REPO, 1).isEmpty());
    List<String> said = w.appComments(1);
    assertEquals(1, said.size(), said.toString());
    assertTrue(said.get(0).contains("@dave is not in any team of `allowed.teams`"), said.get(0));
    assertTrue(!w.labels(1).contains("agent-task"), w.labels(1).toString());
    assertEquals(1, w.audit("trigger.refused").size());
  }

  @Test
  void users_and_teams_together_let_in_either() throws Exception {
    w.config("allowed:\n  users: [dave]\n  teams: [octo-demo/backend]\n");
    w.comment("dave", 1, "/copilot add a health check");
    w.comment("bob", 2, "/copilot add a readiness check");
    w.world.settle();
    assertTrue(w.world.app.taskQueue().findActive(TriggerWorld.REPO, 1).isPresent());
    assertTrue(w.world.app.taskQueue().findActive(TriggerWorld.REPO, 2).isPresent());
  }

  @Test
  void a_command_from_outside_every_list_is_refused() throws Exception {
    w.config("allowed:\n  users: [alice]\n  teams: [octo-demo/nobody]\n");
    w.comment("bob", 1, "/copilot add a health check");
    w.world.settle();
    assertTrue(w.world.app.taskQueue().findActive(TriggerWorld.REPO, 1).isEmpty());
    assertTrue(w.appComments(1).get(0).contains("is not in `allowed.users` or any team of `allowed.teams`"),
        w.appComments(1).toString());
  }
}
