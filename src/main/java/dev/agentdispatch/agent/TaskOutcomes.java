package dev.agentdispatch.agent;

import dev.agentdispatch.audit.AuditEvent;
import dev.agentdispatch.audit.AuditTrail;
import dev.agentdispatch.github.GitHubClient;
import dev.agentdispatch.store.AgentRunStore;
import dev.agentdispatch.task.Change;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskQueue;
import dev.agentdispatch.task.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a task's watch ends and how it is told: the guarded move, the one status comment on the issue (created once,
 * then edited), and the task.finished audit event.
 */
final class TaskOutcomes {
  private static final Logger log = LoggerFactory.getLogger(TaskOutcomes.class);

  private final TaskQueue queue;
  private final AgentRunStore runs;
  private final GitHubClient github;
  private final AuditTrail audit;
  private final Clock clock;
  private final String owner;
  private final StatusComments comments;
  private final Notifier notifier;
  private volatile java.util.function.Consumer<Task> pullRequestOpened = t -> { };
  private volatile java.util.function.Consumer<Task> agentAbandoned = t -> { };

  TaskOutcomes(TaskQueue queue, AgentRunStore runs, GitHubClient github, AuditTrail audit, Clock clock,
      String owner, Notifier notifier) {
    this.queue = queue;
    this.runs = runs;
    this.github = github;
    this.audit = audit;
    this.clock = clock;
    this.owner = owner;
    this.comments = new StatusComments(runs, github, clock);
    this.notifier = notifier;
  }


  /** Ends the worker's part: moves the task, edits the comment, writes the audit event, stops watching. */
  void finish(Task task, TaskState to, Change change, String headline, String detail) {
    if (!move(task, to, change)) {
      runs.schedule(task.id(), null, 0, clock.millis());
      return;
    }
    runs.schedule(task.id(), null, 0, clock.millis());
    Task done = queue.find(task.id()).orElse(task);
    comment(done, headline, detail, done.agentTaskId());
    audit(done, to);
    notify(done, to, headline);
    if (to == TaskState.PR_OPEN) {
      try {
        pullRequestOpened.accept(done);
      } catch (RuntimeException e) {
        log.warn("AgentWorker: pull request listener failed; task={} repo={} error={}", done.id(), done.ref(),
            e.getMessage());
      }
    }
  }

  void whenPullRequestOpens(java.util.function.Consumer<Task> listener) {
    this.pullRequestOpened = listener;
  }

  void whenAgentAbandoned(java.util.function.Consumer<Task> listener) {
    this.agentAbandoned = listener;
  }

  /** The task ended (cancelled, timed out) while its agent may still hold an open pull request. */
  void abandoned(Task task) {
    Task now = queue.find(task.id()).orElse(task);
    try {
      agentAbandoned.accept(now);
    } catch (RuntimeException e) {
      log.warn("AgentWorker: settling the pull request of an ended task failed; task={} repo={} error={}", now.id(),
          now.ref(), e.getMessage());
    }
  }

  void fail(Task task, TaskState from, String reason, String agentTaskId) {
    if (!queue.transition(task.id(), from, TaskState.FAILED, Change.by(owner).withError(reason))) {
      return;
    }
    runs.find(task.id()).ifPresent(r -> runs.schedule(task.id(), null, 0, clock.millis()));
    Task done = queue.find(task.id()).orElse(task);
    log.info("AgentWorker: task failed; task={} repo={} reason={}", task.id(), task.ref(), reason);
    comment(done, "failed", reason, agentTaskId);
    audit(done, TaskState.FAILED);
    notify(done, TaskState.FAILED, "failed: " + reason);
  }

  /** The outgoing webhook's line for a task the worker ended; the link is its pull request, else its issue. */
  private void notify(Task task, TaskState outcome, String headline) {
    String url = task.pullNumber() != null ? StatusComment.pullUrl(task, task.pullNumber())
        : "https://github.com/" + task.repository() + "/issues/" + task.number();
    notifier.send(new Notifier.Notice("task.finished", task.repository(), task.number(), task.id(),
        outcome.column(), "Copilot agent task " + task.id() + " by @" + task.triggeredBy() + ": " + headline, url));
  }

  /** Moves from the task's current state; WAITING_FOR_USER passes through RUNNING where the table asks for it. */
  boolean move(Task task, TaskState to, Change change) {
    TaskState from = task.state();
    if (from == TaskState.WAITING_FOR_USER && (to == TaskState.PR_OPEN || to == TaskState.DONE)) {
      if (!queue.transition(task.id(), from, TaskState.RUNNING, Change.by(owner))) {
        return false;
      }
      from = TaskState.RUNNING;
    }
    return queue.transition(task.id(), from, to, change);
  }

  private void audit(Task task, TaskState outcome) {
    Instant now = clock.instant();
    Optional<AgentRunStore.Row> run = runs.find(task.id());
    Duration took = Duration.ofMillis(now.toEpochMilli()
        - run.map(AgentRunStore.Row::firstRequestedAt).orElse(task.createdAt().toEpochMilli()));
    String output = task.pullNumber() != null && outcome != TaskState.FAILED
        ? StatusComment.pullUrl(task, task.pullNumber()) + (task.error() == null ? "" : " (" + task.error() + ")")
        : task.error() != null ? task.error() : task.headRef() != null ? "branch " + task.headRef() : null;
    long calls = github.calls().forTask(AgentWorker.callScope(task));
    audit.record(AuditEvent.of(now, "task.finished", outcome.column()).withTask(task.id())
        .withDelivery(task.deliveryId(), task.installationId(), task.repository(), task.triggeredBy())
        .withIo(CopilotBackend.prompt(task), output)
        .withCost(took, (int) Math.min(Integer.MAX_VALUE, calls),
            run.map(AgentRunStore.Row::tokenMode).orElse(null)));
  }

  /** Creates the task's status comment once, then edits it; a failed comment never fails the task. */
  void comment(Task task, String headline, String detail, String agentTaskId) {
    comments.write(task, headline, detail, agentTaskId);
  }

}
