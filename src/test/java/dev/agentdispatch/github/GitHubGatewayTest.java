package dev.agentdispatch.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdispatch.sandbox.DemoWorld;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The seam's calls against the simulator, asserted on the writes it recorded. */
class GitHubGatewayTest {
  private final GitHubKit kit = new GitHubKit();

  @AfterEach
  void stop() {
    kit.close();
  }

  @Test
  void repository_and_installation_are_looked_up_when_the_webhook_did_not_carry_them() {
    GitHubGateway g = kit.webapp(Permissions.METADATA_READ);
    GitHubGateway.Repository r = g.getRepository();
    assertEquals(DemoWorld.REPO, r.fullName());
    assertEquals("main", r.defaultBranch());
    assertTrue(r.isPrivate());
    assertEquals(kit.sim.state().repo(DemoWorld.REPO).id, r.id());
    assertEquals(kit.sim.installationId(DemoWorld.ORG), g.installationId());
    assertEquals(1, kit.count("GET /repos/{owner}/{repo}/installation"), "looked up once, then cached");
  }

  @Test
  void comments_labels_and_reactions_are_written() {
    GitHubGateway g = kit.webapp(Permissions.ISSUES_WRITE);
    JsonNode comment = g.createIssueComment(1, "On it");
    long id = comment.path("id").asLong();
    g.updateIssueComment(id, "Done");
    g.addLabels(1, List.of("agent-task"));
    g.removeLabel(1, "agent-task");
    assertEquals("eyes", g.createReactionForIssueComment(id, "eyes").path("content").asText());
    List<String> log = kit.sim.writeLog();
    assertTrue(log.contains("octo-demo/webapp#1:comment:On it"), log.toString());
    assertTrue(log.stream().anyMatch(l -> l.startsWith("octo-demo/webapp#1:label:agent-task")), log.toString());
    assertTrue(log.stream().anyMatch(l -> l.startsWith("octo-demo/webapp#1:unlabel:agent-task")), log.toString());
  }

  @Test
  void content_and_collaborator_permission_are_read() {
    GitHubGateway g = kit.webapp(Permissions.CONTENTS_READ);
    String yml = new String(g.getContent(".github/agent-dispatch.yml", null), StandardCharsets.UTF_8);
    assertTrue(yml.contains("label: agent-task"), yml);
    assertEquals("admin", g.getCollaboratorPermission("alice"));
    assertEquals("read", g.getCollaboratorPermission("carol"));
  }

  @Test
  void agent_tasks_are_started_and_read_as_the_user_whose_token_is_passed_in() {
    GitHubGateway g = kit.webapp(Permissions.METADATA_READ);
    String bob = kit.sim.tokenOf("bob");
    JsonNode task = g.createAgentTask(bob, "Fix the login button", "main", true);
    String id = task.path("id").asText();
    assertEquals(id, g.getAgentTask(bob, id).path("id").asText());
    assertTrue(g.listAgentTasks(bob).toString().contains(id));
    assertEquals(0, kit.count("POST /app/installations/{installation_id}/access_tokens"),
        "no installation token is involved");
  }

  @Test
  void agent_tasks_api_refuses_an_installation_token() {
    Credential installation = kit.client.tokens().credential(new InstallationTokens.Key(
        kit.sim.installationId(DemoWorld.ORG), kit.sim.state().repo(DemoWorld.REPO).id, Permissions.ISSUES_WRITE));
    GitHubCallFailed e = assertThrows(GitHubCallFailed.class, () -> Json.read(kit.client.transport().send(
        ApiRequest.json("GET", "/agents/repos/octo-demo/webapp/tasks", null, () -> installation)), "list tasks"));
    assertEquals(403, e.status());
  }
}
