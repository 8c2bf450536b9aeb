package dev.agentdispatch.trigger;

import dev.agentdispatch.agent.Notifier;
import dev.agentdispatch.audit.AuditTrail;
import dev.agentdispatch.github.GitHubClient;
import dev.agentdispatch.github.GitHubGateway;
import dev.agentdispatch.github.Permissions;
import dev.agentdispatch.github.RepoRef;
import dev.agentdispatch.store.AgentRunStore;
import dev.agentdispatch.store.AuditStore;
import dev.agentdispatch.task.TaskQueue;
import dev.agentdispatch.webhook.Delivery;
import java.time.Clock;

/**
 * What the trigger handlers share, built once in App: the queue the agent worker claims from, the repository
 * configs, the access check with its cache, and the once-per-delivery replies.
 */
public final class TriggerKit {
  /**
   * The gateway's declared permissions: comments, labels and reactions; the permission API and files; team
   * membership for {@code allowed.teams} (members: read, an organization permission).
   */
  static final Permissions NEEDS = Permissions.ISSUES_WRITE.and(Permissions.CONTENTS_READ)
      .and(Permissions.of("pull_requests", "read")).and(Permissions.of("members", "read"));

  final GitHubClient github;
  final RepoConfigs configs;
  final TaskQueue queue;
  final Access access = new Access();
  final Replies replies;
  final TaskIntake intake;
  final String agentToken;

  public TriggerKit(GitHubClient github, RepoConfigs configs, TaskQueue queue, AgentRunStore runs,
      AuditTrail audit, AuditStore auditStore, Clock clock, String agentToken) {
    this(github, configs, queue, runs, audit, auditStore, clock, agentToken, login -> true, null, Notifier.none());
  }

  /**
   * @param authorised whether a person has authorised the app (user-token mode, agent_token: user)
   * @param loginUrl where a person authorises it; null when user-token mode is not configured
   * @param notifier told of refused and rejected triggers
   */
  public TriggerKit(GitHubClient github, RepoConfigs configs, TaskQueue queue, AgentRunStore runs,
      AuditTrail audit, AuditStore auditStore, Clock clock, String agentToken,
      java.util.function.Predicate<String> authorised, String loginUrl, Notifier notifier) {
    this.github = github;
    this.configs = configs;
    this.queue = queue;
    this.replies = new Replies(audit, auditStore, clock, notifier);
    this.intake = new TaskIntake(queue, runs, replies, clock, authorised, loginUrl);
    this.agentToken = agentToken;
  }

  GitHubGateway gateway(Delivery d) {
    return github.gateway(RepoRef.of(d.repository(), null, d.installationId()), NEEDS);
  }
}
