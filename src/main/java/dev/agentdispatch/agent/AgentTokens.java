package dev.agentdispatch.agent;

import dev.agentdispatch.task.Task;
import java.util.Optional;

/**
 * Which user token starts and watches a task's agent. The agent tasks API refuses installation tokens
 * (FACTS.md 1.2), so every call runs as a user: the service account behind {@code AGENT_TOKEN}, or the
 * triggering person's own GitHub App user access token ({@link UserTokens}); {@link TokenModes} picks one per
 * task from the repository's {@code agent_token}. The mode that ran is stored on the task's run and in its audit.
 */
public interface AgentTokens {
  /** The token mode of the service-account strategy. */
  String SERVICE_ACCOUNT = "service_account";
  /** The token mode of the triggering person's own user access token. */
  String USER = "user";

  /**
   * The token for {@code task}, or empty when this strategy has none (the task then fails with {@link #missing}).
   * Throws {@link dev.agentdispatch.github.GitHubCallFailed} when a needed refresh could not reach GitHub.
   */
  Optional<AgentToken> forTask(Task task);

  /** Why there is no token for {@code task}, and how to fix it; a sentence for the issue. */
  String missing(Task task);

  /**
   * GitHub answered 401 to {@code token}: it expired or was revoked. Forgets it where it is stored, and says what
   * a person should do next (a sentence for the issue).
   */
  String rejected(Task task, AgentToken token);

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
      public String missing(Task task) {
        return "AGENT_TOKEN is not set: the app needs the token of a Copilot-licensed service account with write "
            + "access to start the agent";
      }

      @Override
      public String rejected(Task task, AgentToken t) {
        return "the agent token was revoked or has expired: replace AGENT_TOKEN, then label the issue again";
      }
    };
  }

  /** User mode when the app has no OAuth settings: every task fails with a sentence naming them. */
  static AgentTokens userModeOff() {
    return new AgentTokens() {
      @Override
      public Optional<AgentToken> forTask(Task task) {
        return Optional.empty();
      }

      @Override
      public String missing(Task task) {
        return "this repository asks for `agent_token: user`, but the app has no OAuth settings: set "
            + "GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET, TOKEN_ENCRYPTION_KEY and PUBLIC_URL, or use "
            + "`agent_token: service_account` in .github/agent-dispatch.yml, then label the issue again";
      }

      @Override
      public String rejected(Task task, AgentToken t) {
        return missing(task);
      }
    };
  }
}
