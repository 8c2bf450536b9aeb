package dev.agentdispatch.agent;

import dev.agentdispatch.agent.AgentBackend.Identity;
import dev.agentdispatch.agent.AgentBackend.Started;
import dev.agentdispatch.agent.AgentTokens.AgentToken;
import dev.agentdispatch.github.GitHubGateway;
import dev.agentdispatch.store.AgentRunStore;
import dev.agentdispatch.task.Change;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskQueue;
import dev.agentdispatch.task.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the agent on a claimed task, crash-safely: the intent is stored before the create call, and a task with
 * an intent but no agent task id is reconciled against the agent tasks created since (docs/agent-worker.md).
 */
final class AgentStarter {
  private static final Logger log = LoggerFactory.getLogger(AgentStarter.class);

  private final TaskQueue queue;
  private final AgentRunStore runs;
  private final AgentBackend backend;
  private final AgentTokens tokens;
  private final Clock clock;
  private final String owner;
  private final TaskOutcomes outcomes;

  AgentStarter(TaskQueue queue, AgentRunStore runs, AgentBackend backend, AgentTokens tokens, Clock clock,
      String owner, TaskOutcomes outcomes) {
    this.queue = queue;
    this.runs = runs;
    this.backend = backend;
    this.tokens = tokens;
    this.clock = clock;
    this.owner = owner;
    this.outcomes = outcomes;
  }


  /** A task this instance just claimed (STARTING, leased to us). */
  void begin(Task task) {
    Optional<AgentRunStore.Row> run = runs.find(task.id()).filter(AgentRunStore.Row::hasIntent);
    Optional<AgentToken> token;
    try {
      token = tokens.forTask(task);
    } catch (RuntimeException e) {
      startFailed(task, run.orElse(null), null, e);  // a refresh that could not reach GitHub
      return;
    }
    if (token.isEmpty()) {
      outcomes.fail(task, TaskState.STARTING, tokens.missing(task), null);
      return;
    }
    if (task.kind() == Task.Kind.PR_FOLLOWUP) {
      followUp(task, token.get(), run.orElse(null));
      return;
    }
    if (run.isPresent() && task.agentTaskId() == null) {
      recover(task, run.get(), token.get());
    } else {
      startAgent(task, token.get(), run.orElse(null));
    }
  }

  /**
   * A follow-up on the agent's pull request: relayed as an {@code @copilot} comment with the agent token, then done
   * (the agent pushes to the same pull request; watching that is the pull request's business). Like a start, the
   * intent is recorded before the comment: a task found with an intent ({@code run}) may have been relayed before a
   * crash or a lost answer, so it looks for its comment first and relays only if the comment is not there.
   */
  void followUp(Task task, AgentToken token, AgentRunStore.Row run) {
    boolean mayBeRelayed = run != null;
    if (run == null) {
      Identity who;
      try {
        who = backend.identity(token);
      } catch (RuntimeException e) {
        startFailed(task, null, token, e);
        return;
      }
      runs.recordIntent(task.id(), clock.millis(), who.login(), who.id(), token.mode());
      run = runs.find(task.id()).orElseThrow();
    }
    try {
      Instant since = Instant.ofEpochMilli(run.firstRequestedAt()).minus(GitHubGateway.CLOCK_SKEW);
      if (mayBeRelayed && backend.followedUp(task, token, since)) {
        log.info("AgentWorker: follow-up was relayed before; finishing it; task={} repo={}", task.id(), task.ref());
      } else {
        backend.followUp(task, token);
        log.info("AgentWorker: follow-up relayed; task={} repo={} as={} mode={}", task.id(), task.ref(),
            run.requestedBy(), token.mode());
      }
    } catch (RuntimeException e) {
      startFailed(task, run, token, e);
      return;
    }
    TaskState from = task.state();
    if (from == TaskState.STARTING) {
      if (!queue.transition(task.id(), TaskState.STARTING, TaskState.RUNNING, Change.by(owner))) {
        log.debug("AgentWorker: follow-up moved while relaying (cancelled or taken over); task={}", task.id());
        return;
      }
    }
    Task running = queue.find(task.id()).orElse(task);
    outcomes.finish(running, TaskState.DONE, Change.by(owner).withPullRequest(null, task.number()),
        "relayed to " + backend.name(), "Passed on to " + backend.name() + " as an `@copilot` comment on this pull "
            + "request; the agent pushes its answer to the same branch.");
  }

  /** Records the intent, then sends the start. */
  private void startAgent(Task task, AgentToken token, AgentRunStore.Row run) {
    Identity who;
    try {
      who = backend.identity(token);
    } catch (RuntimeException e) {
      startFailed(task, run, token, e);
      return;
    }
    // The intent comes first: if we crash after sending the start, the next claim finds it and looks for
    // the agent task instead of starting another.
    runs.recordIntent(task.id(), clock.millis(), who.login(), who.id(), token.mode());
    log.info("AgentWorker: start requested; task={} repo={} as={} mode={}", task.id(), task.ref(), who.login(),
        token.mode());
    Started started;
    try {
      started = backend.start(task, token);
    } catch (RuntimeException e) {
      startFailed(task, runs.find(task.id()).orElse(null), token, e);
      return;
    }
    adopt(task, started, "started");
  }

  /**
   * An earlier start may have reached the backend before we could record its id (a crash, or an answer that
   * never came). Look before starting: one match is adopted, none starts again, several go to a person.
   */
  void recover(Task task, AgentRunStore.Row run, AgentToken token) {
    Instant since = Instant.ofEpochMilli(run.firstRequestedAt()).minus(GitHubGateway.CLOCK_SKEW);
    Identity who = run.requesterId() != null ? new Identity(run.requestedBy(), run.requesterId())
        : backend.identity(token);
    List<Started> found;
    try {
      found = backend.startedSince(task, token, who, since);
    } catch (RuntimeException e) {
      startFailed(task, run, token, e);
      return;
    }
    log.info("AgentWorker: recovering an unrecorded start; task={} repo={} found={}", task.id(), task.ref(),
        found.size());
    if (found.size() == 1) {
      adopt(task, found.get(0), "adopted after a restart");
    } else if (found.isEmpty()) {
      startAgent(task, token, run);
    } else {
      String ids = found.stream().map(Started::agentTaskId).collect(Collectors.joining(", "));
      outcomes.fail(task, TaskState.STARTING, "needs a person: " + found.size() + " " + backend.name() + " agent tasks were "
          + "started for this task (" + ids + ") and the app cannot tell which one is its own; it did not start "
          + "another. Keep one, stop the others in the GitHub UI, then label the issue again if needed.", null);
    }
  }

  private void adopt(Task task, Started started, String how) {
    if (!queue.transition(task.id(), TaskState.STARTING, TaskState.RUNNING,
        Change.by(owner).withAgentTask(started.agentTaskId()))) {
      log.debug("AgentWorker: task moved while starting (cancelled or taken over); task={}", task.id());
      runs.schedule(task.id(), null, 0, clock.millis());
      return;
    }
    long now = clock.millis();
    runs.schedule(task.id(), now + PollSchedule.FIRST.toMillis(), 0, now);
    log.info("AgentWorker: agent {}; task={} repo={} agentTask={}", how, task.id(), task.ref(),
        started.agentTaskId());
    Task running = queue.find(task.id()).orElse(task);
    outcomes.comment(running, "working", backend.name() + " is working on this issue (" + how + "). Its pull request will "
        + "show up here when it is ready.", started.agentTaskId());
  }

  /** @param token the token the failed call used; null when getting the token failed */
  void startFailed(Task task, AgentRunStore.Row run, AgentToken token, RuntimeException e) {
    if (!Failures.isTransient(e)) {
      String next = token != null && Failures.isUnauthorized(e) ? tokens.rejected(task, token) : Failures.nextStep(e);
      outcomes.fail(task, TaskState.STARTING, "GitHub refused to start the agent: " + e.getMessage() + ". Next step: "
          + next + ".", null);
      return;
    }
    if (run == null) {
      // Nothing was sent yet: hand the task back to the queue, which claims it again later.
      log.info("AgentWorker: start failed before the intent; requeued; task={} error={}", task.id(), e.getMessage());
      queue.transition(task.id(), TaskState.STARTING, TaskState.QUEUED, Change.by(owner).withError(e.getMessage()));
      return;
    }
    int failures = run.failures() + 1;
    if (failures >= PollSchedule.MAX_TRANSIENT_FAILURES) {
      outcomes.fail(task, TaskState.STARTING, "could not start the agent after " + failures + " tries: " + e.getMessage()
          + ". Next step: check GitHub's status and the app log, then label the issue again.", null);
      return;
    }
    long now = clock.millis();
    Duration wait = PollSchedule.retry(failures);
    runs.schedule(task.id(), now + wait.toMillis(), failures, now);
    queue.renewLease(task.id(), owner);
    log.info("AgentWorker: start failed, will look again; task={} try={} wait={} error={}", task.id(), failures, wait,
        e.getMessage());
    outcomes.comment(task, "starting", "GitHub did not answer the start (" + e.getMessage() + "); the app checks again at "
        + StatusComment.at(Instant.ofEpochMilli(now + wait.toMillis())) + " (try " + failures + " of "
        + PollSchedule.MAX_TRANSIENT_FAILURES + ").", null);
  }

}
