package dev.agentdispatch.agent;

import dev.agentdispatch.agent.AgentTokens.AgentToken;
import dev.agentdispatch.store.AgentRunStore;
import dev.agentdispatch.task.Task;
import java.util.Optional;
import java.util.function.Function;

/**
 * Picks the token strategy of each task: a task already started keeps the mode its start recorded (the agent task
 * belongs to that user); a new start takes the repository's {@code agent_token} (service_account by default).
 */
public final class TokenModes implements AgentTokens {
  private final AgentTokens serviceAccount;
  private final AgentTokens user;
  private final Function<String, String> configured;
  private final AgentRunStore runs;

  /** @param configured a repository's agent_token from its .github/agent-dispatch.yml */
  public TokenModes(AgentTokens serviceAccount, AgentTokens user, Function<String, String> configured,
      AgentRunStore runs) {
    this.serviceAccount = serviceAccount;
    this.user = user;
    this.configured = configured;
    this.runs = runs;
  }

  @Override
  public Optional<AgentToken> forTask(Task task) {
    return pick(task).forTask(task);
  }

  @Override
  public String missing(Task task) {
    return pick(task).missing(task);
  }

  @Override
  public String rejected(Task task, AgentToken token) {
    return (USER.equals(token.mode()) ? user : serviceAccount).rejected(task, token);
  }

  private AgentTokens pick(Task task) {
    String mode = runs.find(task.id()).filter(AgentRunStore.Row::hasIntent).map(AgentRunStore.Row::tokenMode)
        .orElseGet(() -> configured.apply(task.repository()));
    return USER.equals(mode) ? user : serviceAccount;
  }
}
