package dev.agentdispatch.agent;

import dev.agentdispatch.github.GitHubClient;
import dev.agentdispatch.github.Permissions;
import dev.agentdispatch.github.RepoRef;
import dev.agentdispatch.store.AgentRunStore;
import dev.agentdispatch.task.Task;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task's one status comment on its issue, for the agent worker and for what comes after it (judging and
 * rollback in governance): created once, then edited. Writing it never fails the caller.
 */
public final class StatusComments {
  private static final Logger log = LoggerFactory.getLogger(StatusComments.class);

  private final AgentRunStore runs;
  private final GitHubClient github;
  private final Clock clock;

  public StatusComments(AgentRunStore runs, GitHubClient github, Clock clock) {
    this.runs = runs;
    this.github = github;
    this.clock = clock;
  }

  /** Rewrites the comment with {@code headline} and {@code detail}; false when GitHub refused or failed. */
  public boolean write(Task task, String headline, String detail) {
    return write(task, headline, detail, task.agentTaskId());
  }

  boolean write(Task task, String headline, String detail, String agentTaskId) {
    String body = StatusComment.render(task, headline, detail, agentTaskId, clock.instant());
    try {
      var gh = github.gateway(RepoRef.of(task.repository(), null, task.installationId()), Permissions.ISSUES_WRITE);
      Optional<AgentRunStore.Row> run = runs.find(task.id());
      Long id = run.map(AgentRunStore.Row::statusCommentId).orElse(null);
      if (id != null) {
        gh.updateIssueComment(id, body);
        return true;
      }
      long created = gh.createIssueComment(task.number(), body).path("id").asLong();
      if (run.isPresent()) {
        runs.statusComment(task.id(), created, clock.millis());
      }
      return true;
    } catch (RuntimeException e) {
      log.warn("AgentWorker: status comment failed; task={} repo={} error={}", task.id(), task.ref(), e.getMessage());
      return false;
    }
  }

  /** The pull request's address on github.com. */
  public static String pullUrl(Task task, int number) {
    return StatusComment.pullUrl(task, number);
  }

  /** A time as the status comment writes it: {@code 2026-11-02 09:00:00 UTC}. */
  public static String at(java.time.Instant t) {
    return StatusComment.at(t);
  }
}
