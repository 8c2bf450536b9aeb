package dev.agentdispatch.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdispatch.sandbox.Outcome;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's pull request arriving after its task was cancelled or timed out: closed (default) or kept
 * (late_pull_request: keep), through the simulator's agent and pull_request.opened webhook.
 */
class LatePullRequestTest {
  @TempDir Path dir;
  private TriggerWorld w;

  @BeforeEach
  void start() {
    w = new TriggerWorld(dir);
    // the agent opens its pull request 10 minutes after the start, long after the cancel or timeout
    w.world.github.agent().timings(Duration.ofMinutes(10), Duration.ofMinutes(2));
  }

  @AfterEach
  void stop() {
    w.close();
  }

  @Test
  void a_pull_request_after_a_cancel_is_closed_with_a_comment_and_its_copilot_branch_deleted() throws Exception {
    Task t = startAgentOn(1);
    w.comment("bob", 1, "/copilot cancel");
    w.world.settle();
    assertEquals(TaskState.CANCELLED, state(t));

    JsonNode pull = agentOpensItsPullRequest();
    String head = pull.path("head").path("ref").asText();
    assertTrue(head.startsWith("copilot/"), head);
    assertEquals("closed", pull(pull.path("number").asInt()).path("state").asText());
    List<String> said = botComments(pull.path("number").asInt());
    assertEquals(1, said.size(), said.toString());
    assertTrue(said.get(0).contains("task " + t.id() + " for #1 was cancelled"), said.get(0));
    assertTrue(said.get(0).contains("`late_pull_request: close`"), said.get(0));
    assertTrue(w.world.github.writeLog().contains(TriggerWorld.REPO + ":delete-ref:heads/" + head),
        w.world.github.writeLog().toString());
    assertEquals(1, w.audit("task.late_pull_request").size());
    assertEquals("closed", w.audit("task.late_pull_request").get(0).outcome());
    assertEquals(t.id(), w.audit("task.late_pull_request").get(0).taskId());
  }

  @Test
  void with_late_pull_request_keep_a_pull_request_after_a_timeout_stays_open_with_a_comment() throws Exception {
    w.config("task_timeout: 1m\nlate_pull_request: keep\n");
    Task t = startAgentOn(2);
    w.world.clock.advance(Duration.ofMinutes(2));
    w.world.app.agentWorker().runDueWork();
    assertEquals(TaskState.TIMED_OUT, state(t));

    JsonNode pull = agentOpensItsPullRequest();
    int number = pull.path("number").asInt();
    assertEquals("open", pull(number).path("state").asText());
    List<String> said = botComments(number);
    assertEquals(1, said.size(), said.toString());
    assertTrue(said.get(0).contains("timed out") && said.get(0).contains("kept open"), said.get(0));
    assertFalse(w.world.github.writeLog().stream().anyMatch(l -> l.contains(":delete-ref:")),
        w.world.github.writeLog().toString());
    assertEquals("kept", w.audit("task.late_pull_request").get(0).outcome());
  }

  @Test
  void a_late_pull_request_on_a_branch_outside_copilot_is_never_closed_or_deleted() throws Exception {
    w.world.github.agent().scriptNext(Outcome.ROGUE);
    Task t = startAgentOn(1);
    w.comment("bob", 1, "/copilot cancel");
    w.world.settle();
    assertEquals(TaskState.CANCELLED, state(t));

    JsonNode pull = agentOpensItsPullRequest();
    assertFalse(pull.path("head").path("ref").asText().startsWith("copilot/"));
    assertEquals("open", pull(pull.path("number").asInt()).path("state").asText());
    assertTrue(botComments(pull.path("number").asInt()).isEmpty());
    assertFalse(w.world.github.writeLog().stream().anyMatch(l -> l.contains(":delete-ref:")));
    assertTrue(w.audit("task.late_pull_request").isEmpty());
  }

  @Test
  void the_pull_request_of_a_running_task_is_left_alone() throws Exception {
    Task t = startAgentOn(1);
    JsonNode pull = agentOpensItsPullRequest();
    assertEquals(TaskState.RUNNING, state(t));
    assertEquals("open", pull(pull.path("number").asInt()).path("state").asText());
    assertTrue(w.audit("task.late_pull_request").isEmpty());
  }

  @Test
  void a_task_cancelled_while_its_agent_pull_request_is_already_open_has_it_closed_too() throws Exception {
    Task t = startAgentOn(1);
    JsonNode pull = agentOpensItsPullRequest(); // the agent opens its draft as it begins
    int number = pull.path("number").asInt();
    String head = pull.path("head").path("ref").asText();
    assertEquals(TaskState.RUNNING, state(t));

    w.comment("bob", 1, "/copilot cancel");
    w.world.settle();
    assertEquals(TaskState.CANCELLED, state(t));
    w.world.clock.advance(Duration.ofMinutes(5));
    w.world.app.agentWorker().runDueWork(); // its next look finds the task cancelled

    assertEquals("closed", pull(number).path("state").asText());
    List<String> said = botComments(number);
    assertEquals(1, said.size(), said.toString());
    assertTrue(said.get(0).contains("was cancelled") && said.get(0).contains("while this pull request was open"),
        said.get(0));
    assertTrue(w.world.github.writeLog().contains(TriggerWorld.REPO + ":delete-ref:heads/" + head));
    assertEquals("closed", w.audit("task.late_pull_request").get(0).outcome());
  }

  private Task startAgentOn(int issue) throws Exception {
    w.label("bob", issue, "agent-task");
    w.world.settle();
    w.world.app.agentWorker().runDueWork();
    Task t = w.world.app.taskQueue().findActive(TriggerWorld.REPO, issue).orElseThrow();
    assertEquals(TaskState.RUNNING, t.state());
    return t;
  }

  /** Moves the clock past the agent's start delay; the agent opens its pull request and the app handles the hook. */
  private JsonNode agentOpensItsPullRequest() throws Exception {
    w.world.clock.advance(Duration.ofMinutes(11));
    w.world.github.agent().runDueWork();
    w.world.settle();
    JsonNode pulls = w.asUser("alice", "GET", "/repos/" + TriggerWorld.REPO + "/pulls?state=all", null);
    assertEquals(1, pulls.size(), pulls.toString());
    return pulls.get(0);
  }

  private JsonNode pull(int number) throws Exception {
    return w.asUser("alice", "GET", "/repos/" + TriggerWorld.REPO + "/pulls/" + number, null);
  }

  private List<String> botComments(int number) throws Exception {
    return w.appComments(number);
  }

  private TaskState state(Task t) {
    return w.world.app.taskQueue().find(t.id()).orElseThrow().state();
  }
}
