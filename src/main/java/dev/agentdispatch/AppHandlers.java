package dev.agentdispatch;

import dev.agentdispatch.governance.Governance;
import dev.agentdispatch.agent.LatePullRequest;
import dev.agentdispatch.trigger.CommandTrigger;
import dev.agentdispatch.trigger.LabelTrigger;
import dev.agentdispatch.trigger.TriggerKit;
import dev.agentdispatch.webhook.EventHandler;
import dev.agentdispatch.webhook.Events;
import dev.agentdispatch.webhook.Handlers;

/**
 * The one list of event handlers the app runs, read top to bottom (no scanning). Each handler is a small
 * class in the package that owns its job; docs/handlers.md has a section for each.
 */
final class AppHandlers {
  private AppHandlers() {}

  /** @param revoked the user-token handler; null when user-token mode is not configured */
  static void register(Handlers handlers, TriggerKit triggers, Governance governance, EventHandler revoked,
      LatePullRequest latePulls) {
    // Triggers (issue 5): the agent label, a labelled issue edited after its boundary was held, and commands.
    LabelTrigger label = new LabelTrigger(triggers);
    handlers.on(Events.ISSUES_LABELED, label);
    handlers.on(Events.ISSUES_EDITED, label);
    handlers.on(Events.ISSUE_COMMENT_CREATED, new CommandTrigger(triggers));
    // Agent worker (issue 5): a person revoked the app's authorisation; their stored user tokens go.
    if (revoked != null) {
      handlers.on(Events.GITHUB_APP_AUTHORIZATION_REVOKED, revoked);
    }
    // Judging (issue 6): a task's pull request is judged again when its checks, head or reviews change,
    // and its task ends when it is closed or merged.
    EventHandler judge = governance.judgeOnEvent();
    handlers.on(Events.CHECK_SUITE_COMPLETED, judge);
    handlers.on(Events.CHECK_RUN_COMPLETED, judge);
    handlers.on(Events.PULL_REQUEST_SYNCHRONIZE, judge);
    handlers.on(Events.PULL_REQUEST_REVIEW_SUBMITTED, judge);
    handlers.on(Events.PULL_REQUEST_CLOSED, governance.pullClosed());
    // The agent's pull request arriving after its task was cancelled or timed out: closed or kept (late_pull_request).
    handlers.on(Events.PULL_REQUEST_OPENED, latePulls);
    // Routing registers here as it lands.
  }
}
