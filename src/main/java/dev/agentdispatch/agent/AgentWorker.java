package dev.agentdispatch.agent;

import dev.agentdispatch.agent.AgentBackend.Identity;
import dev.agentdispatch.agent.AgentBackend.Started;
import dev.agentdispatch.agent.AgentTokens.AgentToken;
import dev.agentdispatch.audit.AuditEvent;
import dev.agentdispatch.audit.AuditTrail;
import dev.agentdispatch.github.CallCounter;
import dev.agentdispatch.github.GitHubClient;
import dev.agentdispatch.github.Permissions;
import dev.agentdispatch.github.RepoRef;
import dev.agentdispatch.store.AgentRunStore;
import dev.agentdispatch.task.Change;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskQueue;
import dev.agentdispatch.task.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The agent worker (issue 5): claims queued tasks, starts the agent on each, watches it until it opens a pull
 * request or ends, and keeps one status comment per task on the issue. Crash-safe starts: the intent is stored
 * before the create call, and a task found with an intent but no agent task id is reconciled against the
 * agent tasks created since, so the agent is never started twice for one task. Everything runs in
 * {@link #runDueWork()} on the injected clock; {@link #start(Duration)} runs it in the background.
 */
public final class AgentWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentWorker.class);
  /** Tasks claimed, and due tasks looked at, per {@link #runDueWork()} pass: bounds one pass's API calls. */
  static final int BATCH = 20;
  /** GitHub's created_at and our clock may disagree; recovery looks this far before the first intent. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(60);

  private final TaskQueue queue;
  private final AgentRunStore runs;
  private final AgentBackend backend;
  private final AgentTokens tokens;
  private final GitHubClient github;
  private final AuditTrail audit;
  private final Clock clock;
  private final String owner;
  private final Function<String, Duration> timeouts;
  private ScheduledExecutorService loop;

  /**
   * @param owner this instance's name on leases
   * @param timeouts a repository's task_timeout (from .github/agent-dispatch.yml); {@link #DEFAULT_TIMEOUT} if null
   */
  public AgentWorker(TaskQueue queue, AgentRunStore runs, AgentBackend backend, AgentTokens tokens,
      GitHubClient github, AuditTrail audit, Clock clock, String owner, Function<String, Duration> timeouts) {
    this.queue = Objects.requireNonNull(queue);
    this.runs = Objects.requireNonNull(runs);
    this.backend = Objects.requireNonNull(backend);
    this.tokens = Objects.requireNonNull(tokens);
    this.github = Objects.requireNonNull(github);
    this.audit = Objects.requireNonNull(audit);
    this.clock = Objects.requireNonNull(clock);
    this.owner = Objects.requireNonNull(owner);
    this.timeouts = timeouts == null ? r -> DEFAULT_TIMEOUT : timeouts;
  }

  /**
   * One pass: rescue expired leases, start what the queue allows, and look at every task whose check is due.
   * Returns the number of tasks handled (0 = nothing was due).
   */
  public int runDueWork() {
    int handled = 0;
    queue.rescueExpired(owner);
    for (int i = 0; i < BATCH; i++) {
      Optional<Task> claimed = queue.claimNext(owner);
      if (claimed.isEmpty()) {
        break;
      }
      inScope(claimed.get(), this::begin);
      handled++;
    }
    for (AgentRunStore.Row due : runs.due(clock.millis(), BATCH)) {
      Optional<Task> task = queue.find(due.taskId());
      if (task.isEmpty()) {
        runs.schedule(due.taskId(), null, 0, clock.millis());
        continue;
      }
      inScope(task.get(), this::check);
      handled++;
    }
    return handled;
  }

  /** Runs {@link #runDueWork()} every {@code period} on a daemon thread until {@link #close()}. */
  public synchronized AgentWorker start(Duration period) {
    if (loop != null) {
      return this;
    }
    loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "agent-worker");
      t.setDaemon(true);
      return t;
    });
    loop.scheduleWithFixedDelay(() -> {
      try {
        runDueWork();
      } catch (RuntimeException e) {
        log.warn("AgentWorker: pass failed; trying again next period", e);
      }
    }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  @Override
  public synchronized void close() {
    if (loop != null) {
      loop.shutdownNow();
      try {
        loop.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      loop = null;
    }
  }

  public String owner() {
    return owner;
  }

  public AgentBackend backend() {
    return backend;
  }

  // --- starting ---

  /** A task this instance just claimed (STARTING, leased to us). */
  private void begin(Task task) {
    Optional<AgentToken> token = tokens.forTask(task);
    if (token.isEmpty()) {
      fail(task, TaskState.STARTING, tokens.missing(), null);
      return;
    }
    Optional<AgentRunStore.Row> run = runs.find(task.id());
    if (run.isPresent() && task.agentTaskId() == null) {
      recover(task, run.get(), token.get());
    } else {
      startAgent(task, token.get(), run.orElse(null));
    }
  }

  /** Records the intent, then sends the start. */
  private void startAgent(Task task, AgentToken token, AgentRunStore.Row run) {
    Identity who;
    try {
      who = backend.identity(token);
    } catch (RuntimeException e) {
      startFailed(task, run, e);
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
      startFailed(task, runs.find(task.id()).orElse(null), e);
      return;
    }
    adopt(task, started, "started");
  }

  /**
   * An earlier start may have reached the backend before we could record its id (a crash, or an answer that
   * never came). Look before starting: one match is adopted, none starts again, several go to a person.
   */
  private void recover(Task task, AgentRunStore.Row run, AgentToken token) {
    Instant since = Instant.ofEpochMilli(run.firstRequestedAt()).minus(CLOCK_SKEW);
    Identity who = run.requesterId() != null ? new Identity(run.requestedBy(), run.requesterId())
        : backend.identity(token);
    List<Started> found;
    try {
      found = backend.startedSince(task, token, who, since);
    } catch (RuntimeException e) {
      startFailed(task, run, e);
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
      fail(task, TaskState.STARTING, "needs a person: " + found.size() + " " + backend.name() + " agent tasks were "
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
    comment(running, "working", backend.name() + " is working on this issue (" + how + "). Its pull request will "
        + "show up here when it is ready.", started.agentTaskId());
  }

  private void startFailed(Task task, AgentRunStore.Row run, RuntimeException e) {
    if (!Failures.isTransient(e)) {
      fail(task, TaskState.STARTING, "GitHub refused to start the agent: " + e.getMessage() + ". Next step: "
          + Failures.nextStep(e) + ".", null);
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
      fail(task, TaskState.STARTING, "could not start the agent after " + failures + " tries: " + e.getMessage()
          + ". Next step: check GitHub's status and the app log, then label the issue again.", null);
      return;
    }
    long now = clock.millis();
    Duration wait = PollSchedule.retry(failures);
    runs.schedule(task.id(), now + wait.toMillis(), failures, now);
    queue.renewLease(task.id(), owner);
    log.info("AgentWorker: start failed, will look again; task={} try={} wait={} error={}", task.id(), failures, wait,
        e.getMessage());
    comment(task, "starting", "GitHub did not answer the start (" + e.getMessage() + "); the app checks again at "
        + StatusComment.at(Instant.ofEpochMilli(now + wait.toMillis())) + " (try " + failures + " of "
        + PollSchedule.MAX_TRANSIENT_FAILURES + ").", null);
  }

  // --- watching ---

  /** A task whose check is due. */
  private void check(Task task) {
    AgentRunStore.Row run = runs.find(task.id()).orElseThrow();
    long now = clock.millis();
    if (!TaskState.OCCUPYING.contains(task.state())) {
      runs.schedule(task.id(), null, 0, now);  // the worker's part is over (PR_OPEN, final) or back in the queue
      return;
    }
    if (task.state().isLeased() && !owner.equals(task.leaseOwner())) {
      // Another instance holds it and watches it; look again later in case its lease expires.
      runs.schedule(task.id(), now + PollSchedule.CAP.toMillis(), run.failures(), now);
      return;
    }
    Duration timeout = Objects.requireNonNullElse(timeouts.apply(task.repository()), DEFAULT_TIMEOUT);
    if (now >= run.firstRequestedAt() + timeout.toMillis()) {
      timeOut(task, timeout);
      return;
    }
    Optional<AgentToken> token = tokens.forTask(task);
    if (token.isEmpty()) {
      fail(task, task.state(), tokens.missing(), task.agentTaskId());
      return;
    }
    if (task.state() == TaskState.STARTING) {
      recover(task, run, token.get());  // a start whose answer never came
      return;
    }
    AgentStatus status;
    try {
      status = backend.poll(task, task.agentTaskId(), token.get());
    } catch (RuntimeException e) {
      pollFailed(task, run, e);
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
        if (task.state() == TaskState.WAITING_FOR_USER && move(task, TaskState.RUNNING, Change.by(owner))) {
          comment(task, "working", backend.name() + " is working again after the answer.", agentId);
        }
        scheduleNext(task, run, now);
      }
      case WAITING_FOR_USER -> {
        if (task.state() == TaskState.RUNNING && move(task, TaskState.WAITING_FOR_USER, Change.by(owner))) {
          comment(task, "waiting for you", backend.name() + " stopped and is waiting for an answer. Reply in the "
              + "[agent session](" + StatusComment.sessionUrl(task, agentId) + ") or mention @copilot on its pull "
              + "request; the task times out " + timeouts(task) + " after it started.", agentId);
        }
        scheduleNext(task, run, now);
      }
      case PR_OPEN, DONE -> finishWithWork(task, s);
      case FAILED -> {
        String reason = backend.name() + " failed: " + (s.error() == null ? "no reason given" : s.error());
        finish(task, TaskState.FAILED, Change.by(owner).withError(reason), "failed", reason
            + ". Next step: read the agent session log, adjust the issue, then label it again.");
      }
      case TIMED_OUT -> finish(task, TaskState.TIMED_OUT,
          Change.by(owner).withError(backend.name() + " timed out (its own session limit)"), "timed out",
          "The agent session timed out before finishing. Next step: split the issue into smaller pieces, then "
              + "label it again.");
      case CANCELLED -> finish(task, TaskState.CANCELLED, Change.by(owner).withError("cancelled in "
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
      finish(task, TaskState.FAILED, c.withError(reason), "work on an unexpected branch",
          "The agent pushed to " + where + ", which is not under `copilot/`. The app does not treat it as the "
              + "agent's pull request. Next step: review it by hand, or close it and delete the branch.");
      return;
    }
    if (s.pullNumber() == null) {
      String detail = head == null ? "The agent finished without a branch or pull request."
          : "The agent finished on branch `" + head + "` without opening a pull request.";
      finish(task, TaskState.DONE, new Change(owner, null, null, head, null), "finished without a pull request",
          detail);
      return;
    }
    int n = s.pullNumber();
    String link = StatusComment.pullUrl(task, n);
    if (Boolean.FALSE.equals(s.mergeable())) {
      String reason = "conflict: pull request #" + n + " cannot be merged into " + baseOf(task) + " as it is";
      finish(task, TaskState.PR_OPEN, Change.by(owner).withPullRequest(head, n).withError(reason),
          "pull request #" + n + " has merge conflicts",
          "Copilot opened " + link + " from `" + head + "`, but it conflicts with " + baseOf(task) + ". Next step: "
              + "resolve the conflicts, or comment `@copilot please resolve the merge conflicts` on the pull request.");
      return;
    }
    finish(task, TaskState.PR_OPEN, Change.by(owner).withPullRequest(head, n), "pull request #" + n + " is open",
        "Copilot opened " + link + " from `" + head + "`. It is a draft: review it, mark it ready and merge it "
            + "(the agent cannot).");
  }

  private void timeOut(Task task, Duration timeout) {
    String base = "no result within " + human(timeout) + " (task_timeout)";
    if (task.state() == TaskState.STARTING) {
      finish(task, TaskState.FAILED, Change.by(owner).withError("timed out while starting: " + base),
          "timed out while starting", "The agent could not be started: " + base + ". Next step: label the issue "
              + "again later.");
      return;
    }
    finish(task, TaskState.TIMED_OUT, Change.by(owner).withError(base), "timed out", "The app stopped watching: "
        + base + ". The agent tasks API has no cancel endpoint, so the session may still be running: stop it in "
        + "the [agent session](" + StatusComment.sessionUrl(task, task.agentTaskId()) + ") if it is, and close "
        + "any pull request it opens later. Next step: split the issue or raise task_timeout, then label it again.");
  }

  private void pollFailed(Task task, AgentRunStore.Row run, RuntimeException e) {
    long now = clock.millis();
    if (!Failures.isTransient(e)) {
      String reason = "GitHub refused to report on the agent: " + e.getMessage();
      finish(task, TaskState.FAILED, Change.by(owner).withError(reason), "failed",
          reason + ". Next step: " + Failures.nextStep(e) + ".");
      return;
    }
    int failures = run.failures() + 1;
    if (failures >= PollSchedule.MAX_TRANSIENT_FAILURES) {
      String reason = "lost contact with the agent after " + failures + " failed checks: " + e.getMessage();
      finish(task, TaskState.FAILED, Change.by(owner).withError(reason), "failed",
          reason + ". The session may still be running: see the agent session. Next step: check GitHub's status.");
      return;
    }
    Duration wait = PollSchedule.retry(failures);
    runs.schedule(task.id(), now + wait.toMillis(), failures, now);
    log.info("AgentWorker: check failed, will try again; task={} try={} wait={} error={}", task.id(), failures, wait,
        e.getMessage());
  }

  private void scheduleNext(Task task, AgentRunStore.Row run, long now) {
    Duration age = Duration.ofMillis(Math.max(0, now - run.requestedAt()));
    runs.schedule(task.id(), now + PollSchedule.interval(age).toMillis(), 0, now);
  }

  // --- ending ---

  /** Ends the worker's part: moves the task, edits the comment, writes the audit event, stops watching. */
  private void finish(Task task, TaskState to, Change change, String headline, String detail) {
    if (!move(task, to, change)) {
      runs.schedule(task.id(), null, 0, clock.millis());
      return;
    }
    runs.schedule(task.id(), null, 0, clock.millis());
    Task done = queue.find(task.id()).orElse(task);
    comment(done, headline, detail, done.agentTaskId());
    audit(done, to);
  }

  private void fail(Task task, TaskState from, String reason, String agentTaskId) {
    if (!queue.transition(task.id(), from, TaskState.FAILED, Change.by(owner).withError(reason))) {
      return;
    }
    runs.find(task.id()).ifPresent(r -> runs.schedule(task.id(), null, 0, clock.millis()));
    Task done = queue.find(task.id()).orElse(task);
    log.info("AgentWorker: task failed; task={} repo={} reason={}", task.id(), task.ref(), reason);
    comment(done, "failed", reason, agentTaskId);
    audit(done, TaskState.FAILED);
  }

  /** Moves from the task's current state; WAITING_FOR_USER passes through RUNNING where the table asks for it. */
  private boolean move(Task task, TaskState to, Change change) {
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
    long calls = github.calls().forTask(callScope(task));
    audit.record(AuditEvent.of(now, "task.finished", outcome.column()).withTask(task.id())
        .withDelivery(task.deliveryId(), task.installationId(), task.repository(), task.triggeredBy())
        .withIo(CopilotBackend.prompt(task), output)
        .withCost(took, (int) Math.min(Integer.MAX_VALUE, calls),
            run.map(AgentRunStore.Row::tokenMode).orElse(null)));
  }

  /** Creates the task's status comment once, then edits it; a failed comment never fails the task. */
  private void comment(Task task, String headline, String detail, String agentTaskId) {
    String body = StatusComment.render(task, headline, detail, agentTaskId, clock.instant());
    try {
      var gh = github.gateway(RepoRef.of(task.repository(), null, task.installationId()), Permissions.ISSUES_WRITE);
      Optional<AgentRunStore.Row> run = runs.find(task.id());
      Long id = run.map(AgentRunStore.Row::statusCommentId).orElse(null);
      if (id != null) {
        gh.updateIssueComment(id, body);
        return;
      }
      long created = gh.createIssueComment(task.number(), body).path("id").asLong();
      if (run.isPresent()) {
        runs.statusComment(task.id(), created, clock.millis());
      }
    } catch (RuntimeException e) {
      log.warn("AgentWorker: status comment failed; task={} repo={} error={}", task.id(), task.ref(), e.getMessage());
    }
  }

  private void inScope(Task task, java.util.function.Consumer<Task> work) {
    MDC.put("task", String.valueOf(task.id()));
    MDC.put("repo", task.repository());
    try (CallCounter.Scope s = CallCounter.task(callScope(task))) {
      work.accept(task);
    } catch (RuntimeException e) {
      log.warn("AgentWorker: handling the task failed; it is looked at again later; task={} repo={}", task.id(),
          task.ref(), e);
    } finally {
      MDC.remove("task");
      MDC.remove("repo");
    }
  }

  /** The CallCounter scope name of a task's calls. */
  public static String callScope(Task task) {
    return "task:" + task.id();
  }

  private String timeouts(Task task) {
    return human(Objects.requireNonNullElse(timeouts.apply(task.repository()), DEFAULT_TIMEOUT));
  }

  private static String baseOf(Task task) {
    return task.baseRef() == null ? "the default branch" : "`" + task.baseRef() + "`";
  }

  private static String human(Duration d) {
    return d.toMinutes() >= 1 ? d.toMinutes() + " min" : d.toSeconds() + " s";
  }
}
