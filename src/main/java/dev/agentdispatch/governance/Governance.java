package dev.agentdispatch.governance;

import dev.agentdispatch.agent.Notifier;
import dev.agentdispatch.agent.StatusComments;
import dev.agentdispatch.audit.AuditTrail;
import dev.agentdispatch.config.RepoConfig;
import dev.agentdispatch.github.GitHubClient;
import dev.agentdispatch.store.AgentRunStore;
import dev.agentdispatch.store.JudgementStore;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskQueue;
import dev.agentdispatch.webhook.EventHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Judging and rollback (issue 6), the governance package's one way in, built once in App: the handlers for pull
 * request news, and the sweep that SWEEP_INTERVAL paces (pending judgements and their timeout, then rollbacks).
 */
public final class Governance {
  private static final Logger log = LoggerFactory.getLogger(Governance.class);
  /** Open pull requests judged per sweep. */
  static final int BATCH = 100;

  private final TaskQueue queue;
  private final JudgementStore judgements;
  private final Judging judging;
  private final Rollback rollback;
  private final PullClosed closed;

  /**
   * @param configs a repository's config (cached); its rollback_grace is read at each judgement and rollback
   * @param owner this instance's name on rollback claims
   */
  public Governance(TaskQueue queue, JudgementStore judgements, AgentRunStore runs, GitHubClient github,
      AuditTrail audit, Notifier notifier, Clock clock, String owner, Function<String, RepoConfig> configs) {
    this.queue = queue;
    this.judgements = judgements;
    StatusComments comments = new StatusComments(runs, github, clock);
    Function<String, Duration> graces = r -> configs.apply(r).rollbackGrace();
    this.judging = new Judging(judgements, github, comments, audit, notifier, clock, graces);
    this.rollback = new Rollback(queue, judgements, github, comments, audit, notifier, clock, owner, graces);
    this.closed = new PullClosed(queue, judgements, comments, audit, clock);
  }

  /** For check_suite.completed, check_run.completed, pull_request.synchronize, pull_request_review.submitted. */
  public EventHandler judgeOnEvent() {
    return new JudgeOnEvent(queue, judging);
  }

  /** For pull_request.closed. */
  public EventHandler pullClosed() {
    return closed;
  }

  /** Judges a task whose pull request just opened (the agent worker calls this); a failure waits for the sweep. */
  public void judgeNow(Task task) {
    try {
      judging.judge(task, null, false);
    } catch (RuntimeException e) {
      log.warn("Governance: judging failed; tried again next sweep; task={} repo={} error={}", task.id(), task.ref(),
          e.getMessage());
    }
  }

  /** What one sweep did. */
  public record Swept(int judged, int rolledBack) {}

  /**
   * One pass: judge every open agent pull request whose verdict is still pending (catching missed webhooks, and
   * timing out those past their boundary's timeout), then roll back verdicts whose grace has passed.
   */
  public Swept sweep() {
    int judged = 0;
    for (Task t : queue.prOpenWithBoundary(BATCH)) {
      if (Judging.judgedBoundary(t).isEmpty()
          || judgements.find(t.id()).map(r -> r.outcome() != null).orElse(false)) {
        continue;
      }
      MDC.put("task", String.valueOf(t.id()));
      try {
        if (judging.judge(t, null, true).isPresent()) {
          judged++;
        }
      } catch (RuntimeException e) {
        log.warn("Governance: judging failed; tried again next sweep; task={} repo={} error={}", t.id(), t.ref(),
            e.getMessage());
      } finally {
        MDC.remove("task");
      }
    }
    return new Swept(judged, rollback.runDue());
  }
}
