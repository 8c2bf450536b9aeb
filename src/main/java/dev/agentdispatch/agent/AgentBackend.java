package dev.agentdispatch.agent;

import dev.agentdispatch.agent.AgentTokens.AgentToken;
import dev.agentdispatch.task.Task;
import java.time.Instant;
import java.util.List;

/**
 * A coding agent the worker hands tasks to. Every call runs as the user of {@code token}. Calls throw
 * {@link dev.agentdispatch.github.GitHubCallFailed} when the backend refuses or cannot be reached; the worker
 * decides from its status whether to retry.
 */
public interface AgentBackend {
  /** A started agent task: its id on the backend, and where a person can watch it. */
  record Started(String agentTaskId, String htmlUrl) {}

  /** The user a token belongs to: the creator the backend will record on tasks it starts with it. */
  record Identity(String login, long id) {}

  /** The backend's name in logs and comments ("Copilot"). */
  String name();

  Identity identity(AgentToken token);

  /** Starts the agent on {@code task}; the prompt carries {@link #marker(Task)} so the start can be found again. */
  Started start(Task task, AgentToken token);

  /** Where the agent task stands now. */
  AgentStatus poll(Task task, String agentTaskId, AgentToken token);

  /**
   * The agent tasks this backend started for {@code task} at or after {@code since} as {@code who}: used after a
   * crash between sending the start and recording its id, so the worker adopts rather than starts twice.
   */
  List<Started> startedSince(Task task, AgentToken token, Identity who, Instant since);

  /** Whether {@link #cancel} can stop a running agent. The Copilot agent tasks API has no cancel endpoint. */
  boolean canCancel();

  /** Stops the agent; throws {@link UnsupportedOperationException} when {@link #canCancel()} is false. */
  void cancel(Task task, String agentTaskId, AgentToken token);

  /** The line every prompt ends with, naming our task: how a started agent task is recognised. */
  static String marker(Task task) {
    return "(agent-dispatch task " + task.id() + " for " + task.ref() + ")";
  }

  /**
   * Passes a follow-up ({@code task.prompt()}) to the agent working on pull request {@code task.number()}, as the
   * agent's user. Copilot answers {@code @copilot} comments on its pull request by pushing to the same branch.
   */
  default void followUp(Task task, AgentToken token) {
    throw new UnsupportedOperationException(name() + " takes no follow-ups");
  }

  /**
   * Whether {@link #followUp} already passed this task on (a comment posted at or after {@code since} carries its
   * marker): a follow-up whose relay may have happened before a crash or a lost answer looks before relaying again.
   */
  default boolean followedUp(Task task, AgentToken token, Instant since) {
    throw new UnsupportedOperationException(name() + " takes no follow-ups");
  }
}
