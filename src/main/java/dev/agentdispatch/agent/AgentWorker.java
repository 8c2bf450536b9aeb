package dev.agentdispatch.agent;

import dev.agentdispatch.audit.AuditTrail;
import dev.agentdispatch.github.CallCounter;
import dev.agentdispatch.github.GitHubClient;
import dev.agentdispatch.store.AgentRunStore;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(60);

  private final TaskQueue queue;
  private final AgentRunStore runs;
  private final AgentBackend backend;
  private final Clock clock;
  private final String owner;
  private final TaskOutcomes outcomes;
  private final AgentStarter starter;
  private final AgentWatcher watcher;
  private ScheduledExecutorService loop;

  /**
   * @param owner this instance's name on leases
   * @param timeouts a repository's task_timeout (from .github/agent-dispatch.yml); {@link #DEFAULT_TIMEOUT} if null
   */
  public AgentWorker(TaskQueue queue, AgentRunStore runs, AgentBackend backend, AgentTokens tokens,
      GitHubClient github, AuditTrail audit, Clock clock, String owner, Function<String, Duration> timeouts) {
    this(queue, runs, backend, tokens, github, audit, clock, owner, timeouts, Notifier.none());
  }

  /** As above, telling {@code notifier} of every task the worker ends (task.finished). */
  public AgentWorker(TaskQueue queue, AgentRunStore runs, AgentBackend backend, AgentTokens tokens,
      GitHubClient github, AuditTrail audit, Clock clock, String owner, Function<String, Duration> timeouts,
      Notifier notifier) {
    this.queue = Objects.requireNonNull(queue);
    this.runs = Objects.requireNonNull(runs);
    this.backend = Objects.requireNonNull(backend);
    this.clock = Objects.requireNonNull(clock);
    this.owner = Objects.requireNonNull(owner);
    this.outcomes = new TaskOutcomes(queue, runs, Objects.requireNonNull(github),
        Objects.requireNonNull(audit), clock, owner, Objects.requireNonNull(notifier));
    this.starter = new AgentStarter(queue, runs, backend, Objects.requireNonNull(tokens), clock, owner, outcomes);
    this.watcher = new AgentWatcher(queue, runs, backend, tokens, clock, owner,
        timeouts == null ? r -> DEFAULT_TIMEOUT : timeouts, outcomes, starter);
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
      inScope(claimed.get(), starter::begin);
      handled++;
    }
    for (AgentRunStore.Row due : runs.due(clock.millis(), BATCH)) {
      Optional<Task> task = queue.find(due.taskId());
      if (task.isEmpty()) {
        runs.schedule(due.taskId(), null, 0, clock.millis());
        continue;
      }
      inScope(task.get(), watcher::check);
      handled++;
    }
    return handled;
  }

  /**
   * Called with the task once its pull request is open (PR_OPEN), after the status comment: governance judges it
   * right away instead of waiting for the next webhook or sweep. Failures are logged, never the worker's.
   */
  public AgentWorker whenPullRequestOpens(java.util.function.Consumer<Task> listener) {
    outcomes.whenPullRequestOpens(listener);
    return this;
  }

  /**
   * Called with a task that was cancelled or timed out after its agent began: the agent may already have opened
   * its pull request, which the listener closes or keeps (late_pull_request). Failures are logged.
   */
  public AgentWorker whenAgentAbandoned(java.util.function.Consumer<Task> listener) {
    outcomes.whenAgentAbandoned(listener);
    return this;
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

}
