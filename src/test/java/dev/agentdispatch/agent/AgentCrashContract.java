package dev.agentdispatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.agent.AgentBackend.Identity;
import dev.agentdispatch.agent.AgentTokens.AgentToken;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskState;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Crash safety of the start, on each database: an instance records the intent, sends the start, and dies
 * before it records the agent task id. Another instance rescues the task and must adopt, not start twice.
 */
abstract class AgentCrashContract {
  AgentKit kit;

  abstract String databaseUrl();

  @BeforeEach
  void setUp() {
    kit = new AgentKit(databaseUrl());
  }

  @AfterEach
  void tearDown() {
    kit.close();
  }

  /** A dead instance claims the task, records its intent, starts {@code started} agent tasks and dies. */
  private Task crashAfterStarting(int started) {
    kit.enqueue("Add a health endpoint");
    Task claimed = kit.queue.claimNext("dead-instance").orElseThrow();
    AgentToken token = new AgentToken(kit.sim.tokenOf("alice"), AgentTokens.SERVICE_ACCOUNT);
    Identity who = kit.backend.identity(token);
    kit.runs.recordIntent(claimed.id(), kit.clock.millis(), who.login(), who.id(), token.mode());
    for (int i = 0; i < started; i++) {
      kit.backend.start(claimed, token);
    }
    kit.clock.advance(Duration.ofMinutes(6));  // past the dead instance's 5 min lease
    return claimed;
  }

  /** The agent's pull request for issue 2, opened by a first task run to the end. */
  private int agentPullRequest() {
    Task t = kit.enqueue("Add a health endpoint");
    AgentWorker worker = kit.worker("alice", "first");
    Task open = kit.runUntil(worker, t.id(), x -> x.state() == TaskState.PR_OPEN, Duration.ofSeconds(5),
        Duration.ofMinutes(30));
    return open.pullNumber();
  }

  /** A dead instance claims a follow-up on {@code pull}, records its intent, relays it if {@code relayed}, and dies. */
  private Task crashDuringFollowUp(int pull, boolean relayed) {
    kit.enqueueFollowUp(pull, "please add a test for the empty case");
    Task claimed = kit.queue.claimNext("dead-instance").orElseThrow();
    AgentToken token = new AgentToken(kit.sim.tokenOf("alice"), AgentTokens.SERVICE_ACCOUNT);
    Identity who = kit.backend.identity(token);
    kit.runs.recordIntent(claimed.id(), kit.clock.millis(), who.login(), who.id(), token.mode());
    if (relayed) {
      kit.backend.followUp(claimed, token);
    }
    kit.clock.advance(Duration.ofMinutes(6));  // past the dead instance's 5 min lease
    return claimed;
  }

  private long relayed(Task t) {
    return kit.comments(t.number()).stream()
        .filter(c -> c.body.startsWith("@copilot please add a test for the empty case")
            && c.body.contains("agent-dispatch task " + t.id() + " ")).count();
  }

  @Test
  void a_rescued_follow_up_that_was_relayed_before_the_crash_is_finished_without_relaying_it_again() {
    Task t = crashDuringFollowUp(agentPullRequest(), true);

    kit.worker("alice", "survivor").runDueWork();

    assertEquals(TaskState.DONE, kit.task(t.id()).state());
    assertEquals(1, relayed(t), "relayed once, by the dead instance");
  }

  @Test
  void a_rescued_follow_up_whose_intent_was_recorded_but_not_relayed_is_relayed_once() {
    int pull = agentPullRequest();
    Task earlier = kit.enqueueFollowUp(pull, "please add a test for the empty case");  // the same words, relayed
    AgentWorker first = kit.worker("alice", "first");
    first.runDueWork();
    assertEquals(TaskState.DONE, kit.task(earlier.id()).state());
    kit.clock.advance(Duration.ofMinutes(1));  // past the repository's start gap
    Task t = crashDuringFollowUp(pull, false);
    assertNotEquals(earlier.id(), t.id());

    kit.worker("alice", "survivor").runDueWork();

    assertEquals(TaskState.DONE, kit.task(t.id()).state());
    assertEquals(1, relayed(t), "the earlier task's comment with the same words is not this task's");
    assertEquals(1, relayed(earlier));
  }

  @Test
  void rescued_start_adopts_the_agent_task_instead_of_starting_twice() {
    Task t = crashAfterStarting(1);
    String agentTaskId = kit.agentTasks().get(0).id;
    AgentWorker worker = kit.worker("alice", "survivor");

    worker.runDueWork();

    Task after = kit.task(t.id());
    assertEquals(TaskState.RUNNING, after.state());
    assertEquals(agentTaskId, after.agentTaskId());
    assertEquals("survivor", after.leaseOwner());
    assertEquals(1, kit.agentTasks().size());
    assertEquals(1, kit.requests(AgentKit.CREATE), "only the dead instance's start");
    Task done = kit.runUntil(worker, t.id(), x -> x.state() != TaskState.RUNNING, Duration.ofSeconds(5),
        Duration.ofMinutes(30));
    assertEquals(TaskState.PR_OPEN, done.state());
  }

  @Test
  void rescued_intent_with_no_agent_task_starts_it_once() {
    Task t = crashAfterStarting(0);
    AgentWorker worker = kit.worker("alice", "survivor");

    worker.runDueWork();

    assertEquals(TaskState.RUNNING, kit.task(t.id()).state());
    assertEquals(1, kit.agentTasks().size());
    assertEquals(1, kit.requests(AgentKit.CREATE));
  }

  @Test
  void several_matching_agent_tasks_flag_the_task_for_a_person_and_start_none() {
    Task t = crashAfterStarting(2);
    AgentWorker worker = kit.worker("alice", "survivor");

    worker.runDueWork();

    Task after = kit.task(t.id());
    assertEquals(TaskState.FAILED, after.state());
    assertTrue(after.error().startsWith("needs a person: 2 Copilot agent tasks"), after.error());
    assertEquals(2, kit.agentTasks().size());
    assertEquals(2, kit.requests(AgentKit.CREATE));
    assertTrue(kit.comments().get(0).body.contains("needs a person"));
  }

  @Test
  void an_agent_task_started_for_another_issue_is_not_adopted() {
    Task t = crashAfterStarting(0);
    String other = kit.webapp().createAgentTask(kit.sim.tokenOf("alice"), "Something else entirely", null, null, true)
        .path("id").asText();
    AgentWorker worker = kit.worker("alice", "survivor");

    worker.runDueWork();

    Task after = kit.task(t.id());
    assertEquals(TaskState.RUNNING, after.state());
    assertNotEquals(other, after.agentTaskId());
    assertEquals(2, kit.agentTasks().size());
  }

  @Test
  void a_running_task_whose_instance_died_is_watched_by_another_to_the_end() {
    Task t = kit.enqueue("Add a health endpoint");
    kit.worker("alice", "dies").runDueWork();
    assertEquals(TaskState.RUNNING, kit.task(t.id()).state());
    kit.clock.advance(Duration.ofMinutes(6));
    AgentWorker survivor = kit.worker("alice", "survivor");

    Task done = kit.runUntil(survivor, t.id(), x -> x.state() != TaskState.RUNNING, Duration.ofSeconds(5),
        Duration.ofMinutes(30));

    assertEquals(TaskState.PR_OPEN, done.state());
    assertEquals(1, kit.agentTasks().size());
    assertEquals(1, kit.comments().size(), "the survivor edits the same status comment");
  }
}
