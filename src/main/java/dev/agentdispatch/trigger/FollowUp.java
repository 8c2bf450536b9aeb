package dev.agentdispatch.trigger;

import dev.agentdispatch.github.GitHubGateway;
import dev.agentdispatch.webhook.Delivery;

/**
 * {@code /copilot <instructions>} on a pull request: on an agent pull request (head {@code copilot/...}) the
 * instructions become a {@code pr_followup} task, queued, limited and audited like any task; the agent worker relays
 * them as an {@code @copilot} comment made with the agent token, since the agent answers people. On other pull
 * requests the command is declined.
 */
final class FollowUp {
  private final TriggerKit kit;

  FollowUp(TriggerKit kit) {
    this.kit = kit;
  }

  void relay(Delivery d, GitHubGateway gh, int number, String instructions) {
    if (kit.replies.done(d, "command.declined")) {
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
    kit.intake.followUp(d, gh, kit.configs.config(d.repository()), number, instructions);
  }
}
