package dev.agentdispatch.governance;

import dev.agentdispatch.agent.Notifier;
import dev.agentdispatch.agent.StatusComments;
import dev.agentdispatch.audit.AuditEvent;
import dev.agentdispatch.audit.AuditTrail;
import dev.agentdispatch.github.GitHubCallFailed;
import dev.agentdispatch.github.GitHubClient;
import dev.agentdispatch.github.GitHubGateway;
import dev.agentdispatch.github.Permissions;
import dev.agentdispatch.github.RepoRef;
import dev.agentdispatch.store.JudgementStore;
import dev.agentdispatch.task.Change;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskQueue;
import dev.agentdispatch.task.TaskState;
import dev.agentdispatch.trigger.FailureMode;
import dev.agentdispatch.trigger.TaskBoundary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does what a task's failure mode says once its verdict (needs_attention, failed, timed_out) is older than the
 * repository's rollback_grace, counted from GitHub's time of the deciding event. Each rollback is claimed under a
 * lease by one instance, and each step is recorded (task_judgement.rollback_steps and a {@code task.rollback} audit
 * event) as it is done, so a second sweep, another instance or a retry after a crash never repeats a finished step.
 */
final class Rollback {
  private static final Logger log = LoggerFactory.getLogger(Rollback.class);
  static final String AUDIT = "task.rollback";
  /** How long one instance holds a rollback before another may take it over. */
  static final Duration LEASE = Duration.ofMinutes(5);
  /** Verdicts looked at per sweep. */
  static final int BATCH = 100;
  /** The only branches the app ever deletes (PolicyGuard refuses others at the seam as well). */
  static final String COPILOT = "copilot/";

  private final TaskQueue queue;
  private final JudgementStore store;
  private final GitHubClient github;
  private final StatusComments comments;
  private final AuditTrail audit;
  private final Notifier notifier;
  private final Clock clock;
  private final String owner;
  private final Function<String, Duration> graces;

  Rollback(TaskQueue queue, JudgementStore store, GitHubClient github, StatusComments comments, AuditTrail audit,
      Notifier notifier, Clock clock, String owner, Function<String, Duration> graces) {
    this.queue = queue;
    this.store = store;
    this.github = github;
    this.comments = comments;
    this.audit = audit;
    this.notifier = notifier;
    this.clock = clock;
    this.owner = owner;
    this.graces = graces;
  }

  /** Rolls back every verdict whose grace has passed; returns how many rollbacks this call finished. */
  int runDue() {
    int done = 0;
    for (JudgementStore.Row row : store.rollbackCandidates(clock.millis(), BATCH)) {
      try {
        if (run(row)) {
          done++;
        }
      } catch (RuntimeException e) {
        log.warn("Rollback: step failed; the next sweep tries again after the lease; task={} error={}", row.taskId(),
            e.getMessage());
        audit.record(AuditEvent.of(clock.instant(), AUDIT, "error").withTask(row.taskId()).withIo(null, e.getMessage()));
      }
    }
    return done;
  }

  private boolean run(JudgementStore.Row row) {
    Task task = queue.find(row.taskId()).orElse(null);
    TaskBoundary boundary = task == null ? null : Judging.judgedBoundary(task).orElse(null);
    if (task == null || boundary == null) {
      return store.settle(row.taskId(), "nothing_to_do", clock.millis());
    }
    long now = clock.millis();
    long decidedBefore = now - graces.apply(task.repository()).toMillis();
    if (row.decidedAt() > decidedBefore) {
      return false;  // still within the grace
    }
    if (task.state() != TaskState.PR_OPEN) {
      if (store.settle(task.id(), "skipped", now)) {
        record(task, "skipped", "the pull request was already " + task.state().describe() + "; nothing to roll back");
      }
      return false;
    }
    if (!store.claimRollback(task.id(), owner, now, now + LEASE.toMillis(), decidedBefore)) {
      log.debug("Rollback: claim lost (another instance holds it, or it is done); task={}", task.id());
      return false;
    }
    Steps steps = new Steps(task, row.rollbackSteps());
    Outcome outcome = Outcome.fromColumn(row.outcome());
    String why = "task " + task.id() + " was judged **" + outcome.describe() + "**, decided by *" + row.decidedBy()
        + "* (GitHub, " + StatusComments.at(Instant.ofEpochMilli(row.decidedAt())) + "), and the rollback grace of "
        + Judging.human(graces.apply(task.repository())) + " has passed.";
    FailureMode mode = boundary.onFailure();
    switch (mode.action()) {
      case CLOSE, KEEP_BRANCH -> close(task, steps, outcome, why, row, mode);
      case NOTIFY -> notifyOwner(task, steps, outcome, why, row, mode);
      default -> throw new IllegalStateException("failure mode " + mode);
    }
    store.rollbackDone(task.id(), owner, clock.millis());
    return true;
  }

  private void close(Task task, Steps steps, Outcome outcome, String why, JudgementStore.Row row, FailureMode mode) {
    String head = task.headRef();
    boolean delete = mode.action() == FailureMode.Action.CLOSE && head != null && head.startsWith(COPILOT);
    String branch = head == null ? "The branch is unknown and left as it is."
        : delete ? "Its branch `" + head + "` is deleted."
        : mode.action() == FailureMode.Action.CLOSE ? "Its branch `" + head + "` is not under `copilot/`, so the app "
            + "leaves it (it only ever deletes `copilot/` branches)."
        : "Its branch `" + head + "` is kept for a person to pick up.";
    steps.comment("explained", "comment on pull request #" + task.pullNumber(), task.pullNumber(), row,
        "agent-dispatch is closing this pull request: " + why + "\n\n" + row.detail().strip() + "\n\nFailure mode `"
            + mode + "`. " + branch);
    steps.run("closed", "pull request #" + task.pullNumber() + " closed",
        () -> gh(task, Permissions.PULL_REQUESTS_WRITE).updatePullState(task.pullNumber(), "closed"));
    if (delete) {
      steps.run("branch_deleted", "branch " + head + " deleted", () -> deleteBranch(task, head));
    } else {
      steps.run("branch_kept", head == null ? "no branch known" : "branch " + head + " kept", () -> { });
    }
    TaskState end = outcome == Outcome.TIMED_OUT ? TaskState.TIMED_OUT : TaskState.FAILED;
    steps.run("task_ended", "task " + end.describe(), () -> queue.transition(task.id(), TaskState.PR_OPEN, end,
        Change.error("rolled back (" + mode + "): " + outcome.describe() + ", decided by " + row.decidedBy())));
    comments.write(queue.find(task.id()).orElse(task), "rolled back: " + outcome.describe(),
        "The " + link(task) + " was closed: " + why + "\n\n" + row.detail().strip() + "\n\n" + branch
            + "\n\nNext step: adjust the issue (scope, conditions), then label it again.");
  }

  private void notifyOwner(Task task, Steps steps, Outcome outcome, String why, JudgementStore.Row row,
      FailureMode mode) {
    String text = mode.recipient() + " please take a look: " + why + " " + row.detail().strip()
        + "\n\nFailure mode `" + mode + "`: the " + link(task) + " stays open.";
    steps.comment("owner_mentioned", "mentioned " + mode.recipient() + " on #" + task.number(), task.number(), row,
        text);
    steps.run("owner_notified", "notice sent for " + mode.recipient(), () -> notifier.send(new Notifier.Notice(AUDIT,
        task.repository(), task.number(), task.id(), outcome.column(), mode.recipient() + " is asked to look at "
        + task.ref() + ": judged " + outcome.describe() + " by " + row.decidedBy() + ".",
        StatusComments.pullUrl(task, task.pullNumber()))));
    comments.write(task, outcome.describe() + "; " + mode.recipient() + " notified",
        "The " + link(task) + " stays open: " + why + "\n\n" + row.detail().strip() + "\n\n" + mode.recipient()
            + " was asked to take a look.");
  }

  private void deleteBranch(Task task, String head) {
    try {
      gh(task, Permissions.CONTENTS_WRITE).deleteRef("heads/" + head);
    } catch (GitHubCallFailed e) {
      if (e.status() != 422 && e.status() != 404) {
        throw e;
      }
      log.info("Rollback: branch already gone; task={} branch={}", task.id(), head);  // deleted by a person
    }
  }

  private String link(Task task) {
    return "[pull request #" + task.pullNumber() + "](" + StatusComments.pullUrl(task, task.pullNumber()) + ")";
  }

  private GitHubGateway gh(Task task, Permissions needs) {
    return github.gateway(RepoRef.of(task.repository(), null, task.installationId()), needs);
  }

  private void record(Task task, String step, String output) {
    audit.record(AuditEvent.of(clock.instant(), AUDIT, step).withTask(task.id())
        .withDelivery(null, task.installationId(), task.repository(), null).withIo(task.pullNumber() == null ? null
            : "pull request #" + task.pullNumber(), output));
  }

  /** Ends the comment a rollback step posts (hidden when shown): how a repeated step finds it was posted. */
  static String marker(long taskId, String step) {
    return "<!-- agent-dispatch rollback: " + step + " of task " + taskId + " -->";
  }

  /** The steps of one rollback: each runs once, then is stored and audited. */
  private final class Steps {
    private final Task task;
    private final List<String> done;

    Steps(Task task, List<String> done) {
      this.task = task;
      this.done = new ArrayList<>(done);
    }

    /**
     * A step that comments on issue or pull request {@code number}. An instance that died after posting and before
     * recording the step left the comment with its marker: it is then recorded, not posted again.
     */
    void comment(String step, String what, int number, JudgementStore.Row row, String body) {
      String marker = marker(task.id(), step);
      run(step, what, () -> {
        GitHubGateway gh = gh(task, Permissions.ISSUES_WRITE);
        Instant since = Instant.ofEpochMilli(row.decidedAt()).minus(GitHubGateway.CLOCK_SKEW);
        if (gh.listIssueComments(number, since).stream().anyMatch(c -> c.path("body").asText().contains(marker))) {
          log.info("Rollback: comment already posted; task={} step={}", task.id(), step);
        } else {
          gh.createIssueComment(number, body + "\n\n" + marker);
        }
      });
    }

    void run(String step, String what, Runnable action) {
      if (done.contains(step)) {
        return;
      }
      action.run();
      done.add(step);
      if (!store.stepDone(task.id(), owner, done, clock.millis())) {
        throw new IllegalStateException("rollback of task " + task.id() + " was taken over during step " + step);
      }
      record(task, step, what);
      log.info("Rollback: step done; task={} repo={} step={}", task.id(), task.ref(), step);
    }
  }
}
