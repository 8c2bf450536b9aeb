package dev.agentdispatch.agent;

import dev.agentdispatch.agent.AgentTokens.AgentToken;
import dev.agentdispatch.store.AgentRunStore;
import dev.agentdispatch.task.Change;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskQueue;
import dev.agentdispatch.task.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a started task: polls the agent on the {@link PollSchedule}, maps what it says onto the task, times it
 * out after task_timeout, and backs off on transient failures.
 */
final class AgentWatcher {
  private static final Logger log = LoggerFactory.getLogger(AgentWatcher.class);

  private final TaskQueue queue;
  private final AgentRunStore runs;
  private final AgentBackend backend;
  private final AgentTokens tokens;
  private final Clock clock;
  private final String owner;
  private final Function<String, Duration> timeouts;
  private final TaskOutcomes outcomes;
  private final AgentStarter starter;

  AgentWatcher(TaskQueue queue, AgentRunStore runs, AgentBackend backend, AgentTokens tokens, Clock clock,
      String owner, Function<String, Duration> timeouts, TaskOutcomes outcomes, AgentStarter starter) {
    this.queue = queue;
    this.runs = runs;
    this.backend = backend;
    this.tokens = tokens;
    this.clock = clock;
    this.owner = owner;
    this.timeouts = timeouts;
    this.outcomes = outcomes;
    this.starter = starter;
  }


  /** A task whose check is due. */
  void check(Task task) {
    AgentRunStore.Row run = runs.find(task.id()).orElseThrow();
    long now = clock.millis();
    if (!TaskState.OCCUPYING.contains(task.state())) {
      runs.schedule(task.id(), null, 0, now);  // the worker's part is over (PR_OPEN, final) or back in the queue
      if (task.state().isFinal()) {
        endedElsewhere(task);
      }
      return;
    }
    if (task.state().isLeased() && !owner.equals(task.leaseOwner())) {
      // Another instance holds it and watches it; look again later in case its lease expires.
      runs.schedule(task.id(), now + PollSchedule.CAP.toMillis(), run.failures(), now);
      return;
    }
    Duration timeout = Objects.requireNonNullElse(timeouts.apply(task.repository()), AgentWorker.DEFAULT_TIMEOUT);
    if (now >= run.firstRequestedAt() + timeout.toMillis()) {
      timeOut(task, timeout);
      return;
    }
    Optional<AgentToken> token;
    try {
      token = tokens.forTask(task);
    } catch (RuntimeException e) {
      if (task.state() == TaskState.STARTING) {
        starter.startFailed(task, run, null, e);
      } else {
        pollFailed(task, run, null, e);  // a refresh that could not reach GitHub
      }
      return;
    }
    if (token.isEmpty()) {
      outcomes.fail(task, task.state(), tokens.missing(task), task.agentTaskId());
      return;
    }
    if (task.kind() == Task.Kind.PR_FOLLOWUP) {
      starter.followUp(task, token.get(), run.hasIntent() ? run : null); // a retry, or taken over after a crash
      return;
    }
    if (task.state() == TaskState.STARTING) {
      starter.recover(task, run, token.get());  // a start whose answer never came
      return;
    }
    AgentStatus status;
    try {
      status = backend.poll(task, task.agentTaskId(), token.get());
    } catch (RuntimeException e) {
      pollFailed(task, run, token.get(), e);
      return;
    }
    if (task.state() == TaskState.RUNNING && !queue.renewLease(task.id(), owner)) {
      log.debug("AgentWorker: lease lost while polling (another instance took the task over); task={}", task.id());
      return;
    }
    apply(task, run, status);
  }

  private void apply(Task task, AgentRunStore.Row run, AgentStatus s) {
    long now = clock.millis();
    String agentId = task.agentTaskId();
    switch (s.state()) {
      case RUNNING -> {
        if (task.state() == TaskState.WAITING_FOR_USER && outcomes.move(task, TaskState.RUNNING, Change.by(owner))) {
          outcomes.comment(task, "working", backend.name() + " is working again after the answer.", agentId);
        }
        scheduleNext(task, run, now);
      }
      case WAITING_FOR_USER -> {
        if (task.state() == TaskState.RUNNING && outcomes.move(task, TaskState.WAITING_FOR_USER, Change.by(owner))) {
          outcomes.comment(task, "waiting for you", backend.name() + " stopped and is waiting for an answer. Reply in the "
              + "[agent session](" + StatusComment.sessionUrl(task, agentId) + ") or mention @copilot on its pull "
              + "request; the task times out " + timeouts(task) + " after it started.", agentId);
        }
        scheduleNext(task, run, now);
      }
      case PR_OPEN, DONE -> finishWithWork(task, s);
      case FAILED -> {
        String reason = backend.name() + " failed: " + (s.error() == null ? "no reason given" : s.error());
        outcomes.finish(task, TaskState.FAILED, Change.by(owner).withError(reason), "failed", reason
            + ". Next step: read the agent session log, adjust the issue, then label it again.");
      }
      case TIMED_OUT -> outcomes.finish(task, TaskState.TIMED_OUT,
          Change.by(owner).withError(backend.name() + " timed out (its own session limit)"), "timed out",
          "The agent session timed out before finishing. Next step: split the issue into smaller pieces, then "
              + "label it again.");
      case CANCELLED -> outcomes.finish(task, TaskState.CANCELLED, Change.by(owner).withError("cancelled in "
          + backend.name()), "cancelled", "The agent session was cancelled on GitHub.");
      default -> throw new IllegalStateException("backend reported " + s.state());
    }
  }

  private void finishWithWork(Task task, AgentStatus s) {
    String head = s.headRef();
    if (head != null && !head.startsWith("copilot/")) {
      Change c = s.pullNumber() == null ? new Change(owner, null, null, head, null)
          : Change.by(owner).withPullRequest(head, s.pullNumber());
      String where = s.pullNumber() == null ? "branch `" + head + "`"
          : "pull request #" + s.pullNumber() + " from branch `" + head + "`";
      String reason = "rogue branch: the agent worked on " + where + ", outside copilot/";
      outcomes.finish(task, TaskState.FAILED, c.withError(reason), "work on an unexpected branch",
          "The agent pushed to " + where + ", which is not under `copilot/`. The app does not treat it as the "
              + "agent's pull request. Next step: review it by hand, or close it and delete the branch.");
      return;
    }
    if (s.pullNumber() == null) {
      String detail = head == null ? "The agent finished without a branch or pull request."
          : "The agent finished on branch `" + head + "` without opening a pull request.";
      outcomes.finish(task, TaskState.DONE, new Change(owner, null, null, head, null), "finished without a pull request",
          detail);
      return;
    }
    int n = s.pullNumber();
    String link = StatusComment.pullUrl(task, n);
    if (Boolean.FALSE.equals(s.mergeable())) {
      String reason = "conflict: pull request #" + n + " cannot be merged into " + baseOf(task) + " as it is";
      outcomes.finish(task, TaskState.PR_OPEN, Change.by(owner).withPullRequest(head, n).withError(reason),
          "pull request #" + n + " has merge conflicts",
          "Copilot opened " + link + " from `" + head + "`, but it conflicts with " + baseOf(task) + ". Next step: "
              + "resolve the conflicts, or comment `@copilot please resolve the merge conflicts` on the pull request.");
      return;
    }
    outcomes.finish(task, TaskState.PR_OPEN, Change.by(owner).withPullRequest(head, n), "pull request #" + n + " is open",
        "Copilot opened " + link + " from `" + head + "`. It is a draft: review it, mark it ready and merge it "
            + "(the agent cannot).");
  }

  private void timeOut(Task task, Duration timeout) {
    String base = "no result within " + human(timeout) + " (task_timeout)";
    if (task.state() == TaskState.STARTING) {
      outcomes.finish(task, TaskState.FAILED, Change.by(owner).withError("timed out while starting: " + base),
          "timed out while starting", "The agent could not be started: " + base + ". Next step: label the issue "
              + "again later.");
      return;
    }
    outcomes.finish(task, TaskState.TIMED_OUT, Change.by(owner).withError(base), "timed out", "The app stopped watching: "
        + base + ". The agent tasks API has no cancel endpoint, so the session may still be running: stop it in "
        + "the [agent session](" + StatusComment.sessionUrl(task, task.agentTaskId()) + ") if it is, and close "
        + "any pull request it opens later. Next step: split the issue or raise task_timeout, then label it again.");
    outcomes.abandoned(task);
  }

  private void pollFailed(Task task, AgentRunStore.Row run, AgentToken token, RuntimeException e) {
    long now = clock.millis();
    if (!Failures.isTransient(e)) {
      String reason = "GitHub refused to report on the agent: " + e.getMessage();
      String next = token != null && Failures.isUnauthorized(e) ? tokens.rejected(task, token) : Failures.nextStep(e);
      outcomes.finish(task, TaskState.FAILED, Change.by(owner).withError(reason), "failed",
          reason + ". Next step: " + next + ".");
      return;
    }
    int failures = run.failures() + 1;
    if (failures >= PollSchedule.MAX_TRANSIENT_FAILURES) {
      String reason = "lost contact with the agent after " + failures + " failed checks: " + e.getMessage();
      outcomes.finish(task, TaskState.FAILED, Change.by(owner).withError(reason), "failed",
          reason + ". The session may still be running: see the agent session. Next step: check GitHub's status.");
      return;
    }
    Duration wait = PollSchedule.retry(failures);
    runs.schedule(task.id(), now + wait.toMillis(), failures, now);
    log.info("AgentWorker: check failed, will try again; task={} try={} wait={} error={}", task.id(), failures, wait,
        e.getMessage());
  }

  /**
   * Someone else ended a task the worker was still watching (a person cancelled it, the sweeper failed it after
   * its attempts): the status comment says so, and for a started agent that it may still be running.
   */
  private void endedElsewhere(Task task) {
    String detail = task.error() == null ? "" : task.error() + ".";
    if (task.agentTaskId() != null && !backend.canCancel()) {
      detail += " The app cannot stop the " + backend.name() + " session (no cancel endpoint): stop it in the "
          + "[agent session](" + StatusComment.sessionUrl(task, task.agentTaskId()) + ") if it is still running.";
    }
    outcomes.comment(task, task.state().describe(), detail.strip(), task.agentTaskId());
    if (task.state() == TaskState.CANCELLED && task.agentTaskId() != null) {
      outcomes.abandoned(task);
    }
  }

  private void scheduleNext(Task task, AgentRunStore.Row run, long now) {
    Duration age = Duration.ofMillis(Math.max(0, now - run.requestedAt()));
    runs.schedule(task.id(), now + PollSchedule.interval(age).toMillis(), 0, now);
  }


  private String timeouts(Task task) {
    return human(Objects.requireNonNullElse(timeouts.apply(task.repository()), AgentWorker.DEFAULT_TIMEOUT));
  }

  private static String baseOf(Task task) {
    return task.baseRef() == null ? "the default branch" : "`" + task.baseRef() + "`";
  }

  private static String human(Duration d) {
    return d.toMinutes() >= 1 ? d.toMinutes() + " min" : d.toSeconds() + " s";
  }
}
