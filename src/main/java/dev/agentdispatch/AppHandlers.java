package dev.agentdispatch;

import dev.agentdispatch.agent.LatePullRequest;
import dev.agentdispatch.trigger.CommandTrigger;
import dev.agentdispatch.trigger.LabelTrigger;
import dev.agentdispatch.trigger.TriggerKit;
import dev.agentdispatch.webhook.Events;
import dev.agentdispatch.webhook.Handlers;

/**
 * The one list of event handlers the app runs, read top to bottom (no scanning). Each handler is a small
 * class in the package that owns its job; docs/handlers.md has a section for each.
 */
final class AppHandlers {
  private AppHandlers() {}

  static void register(Handlers handlers, TriggerKit triggers, LatePullRequest latePulls) {
    // Triggers (issue 5): the agent label, a labelled issue edited after its boundary was held, and commands.
    LabelTrigger label = new LabelTrigger(triggers);
    handlers.on(Events.ISSUES_LABELED, label);
    handlers.on(Events.ISSUES_EDITED, label);
    handlers.on(Events.ISSUE_COMMENT_CREATED, new CommandTrigger(triggers));
    // The agent's pull request arriving after its task was cancelled or timed out: closed or kept (late_pull_request).
    handlers.on(Events.PULL_REQUEST_OPENED, latePulls);
    // Routing and governance register here as they land.
  }
}
