package dev.agentdispatch.agent;

import dev.agentdispatch.task.Task;
import java.util.Optional;

/**
 * Which user token starts and watches a task's agent. The agent tasks API refuses installation tokens
 * (FACTS.md 1.2), so every call runs as a user: today the service account behind {@code AGENT_TOKEN}; the
 * requesting user's own token (OAuth web flow) is a later strategy. The mode that ran is stored on the task's
 * run and in its audit event.
 */
public interface AgentTokens {
  /** The token mode of the service-account strategy. */
  String SERVICE_ACCOUNT = "service_account";

  /** The token for {@code task}, or empty when this strategy has none (the task then fails with {@link #missing}). */
  Optional<AgentToken> forTask(Task task);

  /** Why there is no token, and how to fix it; a sentence for the issue. */
  String missing();

  /** A user token and the mode it came from; {@link #toString()} never shows the secret. */
  record AgentToken(String value, String mode) {
    @Override
    public String toString() {
      return "AgentToken[" + mode + "]";
    }
  }

  /** One token for every task: the service account's (AGENT_TOKEN); empty when unset. */
  static AgentTokens serviceAccount(String token) {
    return new AgentTokens() {
      @Override
      public Optional<AgentToken> forTask(Task task) {
        return token == null || token.isBlank() ? Optional.empty() : Optional.of(new AgentToken(token, SERVICE_ACCOUNT));
      }

      @Override
      public String missing() {
        return "AGENT_TOKEN is not set: the app needs the token of a Copilot-licensed service account with write "
            + "access to start the agent";
      }
    };
  }
}
