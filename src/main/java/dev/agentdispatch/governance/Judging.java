package dev.agentdispatch.governance;

import dev.agentdispatch.agent.Notifier;
import dev.agentdispatch.agent.StatusComments;
import dev.agentdispatch.audit.AuditEvent;
import dev.agentdispatch.audit.AuditTrail;
import dev.agentdispatch.github.GitHubClient;
import dev.agentdispatch.github.GitHubGateway;
import dev.agentdispatch.github.RepoRef;
import dev.agentdispatch.store.JudgementStore;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskState;
import dev.agentdispatch.trigger.BoundaryJson;
import dev.agentdispatch.trigger.TaskBoundary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges a task's open pull request against its stored boundary and records the verdict: the task_judgement row,
 * the status comment and a {@code task.judged} audit event, each only when the verdict changes. A task whose
 * boundary has no success condition is not judged (a person reviews it, as before boundaries).
 */
final class Judging {
  private static final Logger log = LoggerFactory.getLogger(Judging.class);
  static final String AUDIT = "task.judged";

  private final JudgementStore store;
  private final GitHubClient github;
  private final StatusComments comments;
  private final AuditTrail audit;
  private final Notifier notifier;
  private final Clock clock;
  private final Function<String, Duration> graces;

  Judging(JudgementStore store, GitHubClient github, StatusComments comments, AuditTrail audit, Notifier notifier,
      Clock clock, Function<String, Duration> graces) {
    this.store = store;
    this.github = github;
    this.comments = comments;
    this.audit = audit;
    this.notifier = notifier;
    this.clock = clock;
    this.graces = graces;
  }

  /** The boundary a task is judged by, if it has one with a success condition. */
  static Optional<TaskBoundary> judgedBoundary(Task task) {
    if (task.boundary() == null || task.pullNumber() == null) {
      return Optional.empty();
    }
    try {
      TaskBoundary b = BoundaryJson.read(task.boundary());
      return b.hasCondition() ? Optional.of(b) : Optional.empty();
    } catch (IllegalArgumentException e) {
      log.warn("Judging: stored boundary unreadable, task not judged; task={} error={}", task.id(), e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Judges the task now (a webhook about its pull request, or the sweep); with {@code timeOut}, a verdict still
   * pending after the boundary's timeout becomes timed_out. Returns the verdict, or empty when not judged.
   */
  Optional<Verdict> judge(Task task, String deliveryId, boolean timeOut) {
    Optional<TaskBoundary> boundary = judgedBoundary(task);
    if (task.state() != TaskState.PR_OPEN || boundary.isEmpty()) {
      return Optional.empty();
    }
    JudgementStore.Row row = store.start(task.id(), task.updatedAt().toEpochMilli(), clock.millis());
    if (row.rollbackStarted()) {
      return Optional.empty();
    }
    PullFacts facts = PullFacts.read(gateway(task), task.pullNumber());
    if (!facts.open()) {
      return Optional.empty();  // closed or merged: PullClosed ends the task
    }
    Verdict v = Judge.judge(boundary.get(), facts);
    Instant deadline = Instant.ofEpochMilli(row.since()).plus(boundary.get().timeout());
    if (v.isPending() && timeOut && !clock.instant().isBefore(deadline)) {
      v = new Verdict(Outcome.TIMED_OUT, "timeout (" + human(boundary.get().timeout()) + ")",
          "No decision within the task's timeout: " + v.detail(), deadline);
    }
    record(task, boundary.get(), row, v, deliveryId);
    return Optional.of(v);
  }

  private void record(Task task, TaskBoundary boundary, JudgementStore.Row row, Verdict v, String deliveryId) {
    String outcome = v.isPending() ? null : v.outcome().column();
    if (Objects.equals(outcome, row.outcome()) && Objects.equals(v.decidedBy(), row.decidedBy())
        && (outcome != null || Objects.equals(v.detail(), row.detail()))) {
      return;  // nothing new (a pending verdict is news when what it waits for changes, the first time too)
    }
    Long decidedAt = v.decidedAt() == null ? null : v.decidedAt().toEpochMilli();
    if (!store.verdict(task.id(), outcome, v.decidedBy(), v.detail(), decidedAt, clock.millis())) {
      return;  // a rollback was claimed meanwhile: its verdict stands
    }
    log.info("Judging: task judged; task={} repo={} outcome={} condition={}", task.id(), task.ref(),
        outcome == null ? "pending" : outcome, v.decidedBy());
    comments.write(task, v.isPending() ? "pull request #" + task.pullNumber() + " is being judged"
        : v.outcome().describe(), commentText(task, boundary, v));
    audit.record(AuditEvent.of(clock.instant(), AUDIT, outcome == null ? "pending" : outcome).withTask(task.id())
        .withDelivery(deliveryId, task.installationId(), task.repository(), task.triggeredBy())
        .withIo(v.decidedBy(), v.detail() + (v.decidedAt() == null ? "" : " (decided at " + v.decidedAt()
            + " on GitHub; pull request #" + task.pullNumber() + ")")));
    if (!v.isPending()) {
      notifier.send(new Notifier.Notice(AUDIT, task.repository(), task.number(), task.id(), outcome,
          "Copilot agent task " + task.id() + ": pull request #" + task.pullNumber() + " was judged "
              + v.outcome().describe() + ", decided by " + v.decidedBy() + ".",
          StatusComments.pullUrl(task, task.pullNumber())));
    }
  }

  private String commentText(Task task, TaskBoundary boundary, Verdict v) {
    String pr = "[pull request #" + task.pullNumber() + "](" + StatusComments.pullUrl(task, task.pullNumber()) + ")";
    if (v.isPending()) {
      return "Copilot opened " + pr + ". Waiting for its success conditions: " + v.detail() + ". It times out "
          + human(boundary.timeout()) + " after the pull request opened.";
    }
    StringBuilder b = new StringBuilder();
    b.append(pr).append(" was judged **").append(v.outcome().describe()).append("**, decided by: *")
        .append(v.decidedBy()).append("* (GitHub, ").append(StatusComments.at(v.decidedAt())).append(").\n\n")
        .append(v.detail().strip()).append("\n\n");
    if (v.outcome() == Outcome.SUCCEEDED) {
      b.append("Next step: review and merge it; the app never merges.");
    } else {
      b.append("Next step: fix it, or merge or close it yourself. Unless the verdict changes, ")
          .append(human(graces.apply(task.repository()))).append(" after that time the failure mode applies (`")
          .append(boundary.onFailure()).append("`: ").append(boundary.onFailure().explain()).append(").");
    }
    return b.toString();
  }

  private GitHubGateway gateway(Task task) {
    return github.gateway(RepoRef.of(task.repository(), null, task.installationId()),
        GitHubGateway.PULLS_READ.and(GitHubGateway.CHECKS_READ));
  }

  static String human(Duration d) {
    long m = d.toMinutes();
    if (m >= 60 && m % 60 == 0) {
      return m / 60 + "h";
    }
    return m >= 60 ? m / 60 + "h" + m % 60 + "m" : Math.max(m, 0) + "m";
  }
}
