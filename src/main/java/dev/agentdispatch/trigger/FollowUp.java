package dev.agentdispatch.trigger;

import dev.agentdispatch.github.GitHubGateway;
import dev.agentdispatch.webhook.Delivery;

/**
 * {@code /copilot <instructions>} on a pull request: on an agent pull request (head {@code copilot/...}) the
 * instructions are relayed as an {@code @copilot} comment made with the agent account's token, since the agent
 * answers people; on other pull requests the command is declined.
 */
final class FollowUp {
  static final String RELAYED = "command.relayed";

  private final TriggerKit kit;

  FollowUp(TriggerKit kit) {
    this.kit = kit;
  }

  void relay(Delivery d, GitHubGateway gh, int number, String instructions) {
    if (kit.replies.done(d, RELAYED) || kit.replies.done(d, "command.declined")) {
      return;
    }
    String head = gh.getPull(number).path("head").path("ref").asText("");
    if (!head.startsWith("copilot/")) {
      kit.replies.once(d, gh, number, "command.declined", "declined", instructions, "`/copilot <instructions>`"
          + " on a pull request passes them to the agent, which works only on its own `copilot/` branches.");
      return;
    }
    if (kit.agentToken == null) {
      kit.replies.once(d, gh, number, "command.declined", "declined", instructions, "The follow-up cannot be"
          + " passed on: this app has no AGENT_TOKEN to comment as the agent's user.");
      return;
    }
    gh.createIssueCommentAsUser(kit.agentToken, number, "@copilot " + instructions);
    kit.replies.record(d, RELAYED, "relayed", instructions, "#" + number + ": relayed to the agent", null);
  }
}
