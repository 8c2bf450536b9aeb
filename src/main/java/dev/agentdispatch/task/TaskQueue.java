package dev.agentdispatch.task;

import dev.agentdispatch.store.TaskStore;
import dev.agentdispatch.store.TaskStore.RepoStat;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable agent-task queue (issue 5), the task package's one way in. Triggers {@link #enqueue}; a dispatcher
 * on each instance calls {@link #claimNext}, {@link #renewLease} and {@link #transition} as the agent progresses;
 * a sweeper calls {@link #rescueExpired}; people {@link #cancel} and {@link #resume}. Every change is a guarded
 * update: a lost race returns false, an illegal move throws {@link IllegalTransition}. Time comes from the clock.
 */
public final class TaskQueue {
  private static final Logger log = LoggerFactory.getLogger(TaskQueue.class);

  private final TaskStore store;
  private final Clock clock;
  private final Limits limits;
  private final Function<String, RepoLimits> repoLimits;
  private final Gate gate;
  private final CircuitBreaker breaker;

  /**
   * @param repoLimits the settings of a repository (from its .github/agent-dispatch.yml), {@link
   *     RepoLimits#DEFAULTS} when it sets none; called at enqueue and claim time, so keep it cheap (cached)
   */
  public TaskQueue(TaskStore store, Clock clock, Limits limits, Function<String, RepoLimits> repoLimits) {
    this.store = Objects.requireNonNull(store);
    this.clock = Objects.requireNonNull(clock);
    this.limits = Objects.requireNonNull(limits);
    this.repoLimits = Objects.requireNonNull(repoLimits);
    this.gate = new Gate(limits, repoLimits);
    this.breaker = new CircuitBreaker(store, repoLimits);
  }

  /**
   * Queues a task unless the issue already has an active one, the delivery was already handled, or the
   * repository's queue is full. The result says which, with the task concerned.
   */
  public Enqueued enqueue(TaskRequest r) {
    RepoLimits rl = repoLimits.apply(r.repository());
    TaskStore.Inserted in = store.insert(new TaskStore.NewTask(r.repository(), r.organisation(), r.installationId(),
        r.number(), r.kind().column(), r.trigger().column(), r.triggeredBy(), r.deliveryId(), r.prompt(), r.scope(),
        r.baseRef(), r.model(), clock.millis(), r.boundary()), rl.maxQueued());
    return switch (in.outcome()) {
      case INSERTED -> {
        Task t = Task.of(in.row());
        log.info("TaskQueue: task queued; task={} repo={} delivery={}", t.id(), t.ref(), r.deliveryId());
        yield new Enqueued(Enqueued.Outcome.QUEUED, t, Decision.allow(),
            "queued as task " + t.id() + " (" + in.queued() + " queued in " + r.repository() + ")");
      }
      case ACTIVE_EXISTS -> {
        Task t = Task.of(in.row());
        yield new Enqueued(Enqueued.Outcome.ALREADY_ACTIVE, t, Decision.allow(),
            "already " + t.state().describe() + " as task " + t.id());
      }
      case DELIVERY_SEEN -> {
        Task t = Task.of(in.row());
        yield new Enqueued(Enqueued.Outcome.ALREADY_HANDLED, t, Decision.allow(),
            "delivery " + r.deliveryId() + " already handled as task " + t.id() + " (" + t.state().describe() + ")");
      }
      case QUEUE_FULL -> {
        Decision d = Decision.hold("max_queued_tasks", "queue depth limit", in.queued() + " of " + rl.maxQueued()
            + " queued in " + r.repository(), "raise max_queued_tasks in " + Gate.REPO_CONFIG);
        log.info("TaskQueue: task refused; repo={}#{} reason={}", r.repository(), r.number(), d.reason());
        yield new Enqueued(Enqueued.Outcome.REJECTED, null, d, d.reason());
      }
    };
  }

  /** Claims the next startable task for {@code owner} at the clock's time. */
  public Optional<Task> claimNext(String owner) {
    return claimNext(owner, clock.instant());
  }

  /**
   * Claims the next task that the limits allow, rotating across repositories, and moves it to STARTING under a
   * lease held by {@code owner}. Empty when nothing is queued or every repository with work is held.
   */
  public Optional<Task> claimNext(String owner, Instant now) {
    long t = now.toEpochMilli();
    Optional<Task> claimed = store.claim(owner, t, t + limits.lease().toMillis(), budgetSince(t), recentSince(t),
        snapshot -> gate.order(snapshot, t)).map(Task::of);
    claimed.ifPresent(c -> log.info("TaskQueue: task claimed; task={} repo={} owner={} attempt={}",
        c.id(), c.ref(), owner, c.attempt()));
    return claimed;
  }

  /** Moves a task; see {@link #transition(long, TaskState, TaskState, Change)}. */
  public boolean transition(long id, TaskState from, TaskState to) {
    return transition(id, from, to, Change.NONE);
  }

  /**
   * Moves a task from {@code from} to {@code to} if it is still in {@code from} (and, when leased, still held by
   * {@code change.owner()} if given). Returns false when another actor moved it first.
   *
   * @throws IllegalTransition when the state table does not allow the move
   */
  public boolean transition(long id, TaskState from, TaskState to, Change change) {
    TaskState.check(id, from, to);
    long now = clock.millis();
    String newOwner = null;
    if (to.isLeased() && !from.isLeased()) {
      newOwner = change.owner();
      if (newOwner == null) {
        throw new IllegalArgumentException("task " + id + " entering " + to + " needs an owner for its lease");
      }
    }
    boolean moved = store.move(new TaskStore.Move(id, from.column(), to.column(), now, to.isLeased(), to.isFinal(),
        from.isLeased() ? change.owner() : null, newOwner, to.isLeased() ? now + limits.lease().toMillis() : null,
        change.error(), change.agentTaskId(), change.headRef(), change.pullNumber()));
    if (!moved) {
      log.debug("TaskQueue: transition lost a race (another instance or person moved the task first);"
          + " task={} from={} to={}", id, from, to);
      return false;
    }
    log.info("TaskQueue: task moved; task={} from={} to={}", id, from, to);
    if (to == TaskState.FAILED || to == TaskState.TIMED_OUT) {
      store.find(id).ifPresent(row -> breaker.afterFailure(row.repository(), now));
    }
    return true;
  }

  /** Extends the lease; false when {@code owner} lost the task (then it must stop working on it). */
  public boolean renewLease(long id, String owner) {
    long now = clock.millis();
    return store.renew(id, owner, now, now + limits.lease().toMillis());
  }

  /** What a sweep did with expired leases. */
  public record Rescued(List<Long> requeued, List<Long> failed, List<Task> adopted) {}

  /**
   * Sweeps leases a dead instance left behind: STARTING tasks go back to the queue (or fail after
   * {@link Limits#maxAttempts()} claims), RUNNING tasks are taken over by {@code owner}, which resumes watching
   * the agent.
   */
  public Rescued rescueExpired(String owner) {
    long now = clock.millis();
    TaskStore.Expired expired = store.requeueExpired(now, limits.maxAttempts());
    List<Task> adopted = store.adoptExpired(owner, now, now + limits.lease().toMillis()).stream()
        .map(Task::of).toList();
    if (!expired.requeued().isEmpty() || !expired.failed().isEmpty() || !adopted.isEmpty()) {
      log.info("TaskQueue: expired leases rescued; requeued={} failed={} adopted={} owner={}",
          expired.requeued(), expired.failed(), adopted.stream().map(Task::id).toList(), owner);
    }
    return new Rescued(expired.requeued(), expired.failed(), adopted);
  }

  /** Cancels an unfinished task; false when it had already finished (or does not exist). */
  public boolean cancel(long id, String reason) {
    for (int attempt = 0; attempt < 5; attempt++) {
      Optional<TaskStore.Row> row = store.find(id);
      if (row.isEmpty()) {
        return false;
      }
      TaskState state = TaskState.fromColumn(row.get().state());
      if (state.isFinal()) {
        return false;
      }
      if (transition(id, state, TaskState.CANCELLED, Change.error(reason))) {
        return true;
      }
    }
    throw new IllegalStateException("task " + id + " kept changing state while being cancelled");
  }

  /** Closes the circuit breaker of a repository now, and starts its failure count afresh. */
  public void resume(String repository) {
    breaker.resume(repository, clock.millis());
  }

  /** When the repository's circuit breaker holds its queue until, if it does now. */
  public Optional<Instant> pausedUntil(String repository) {
    return breaker.pausedUntil(repository, clock.millis());
  }

  public Optional<Task> find(long id) {
    return store.find(id).map(Task::of);
  }

  /** The active task, if it has one. */
  public Optional<Task> findActive(String repository, int number) {
    return store.findActive(repository, number).map(Task::of);
  }

  /** The repository's tasks whose pull request is open, oldest first (judging, closing). */
  public List<Task> prOpen(String repository) {
    return store.prOpen(repository).stream().map(Task::of).toList();
  }

  /** Up to {@code limit} tasks with an open pull request and a stored boundary, oldest first (the judging sweep). */
  public List<Task> prOpenWithBoundary(int limit) {
    return store.prOpenWithBoundary(limit).stream().map(Task::of).toList();
  }

  /**
   * The repository's tasks cancelled or timed out within {@code within} after their agent was asked to start,
   * latest first (at most 100): the ones whose pull request may still arrive late.
   */
  public java.util.List<Task> endedWithAgent(String repository, java.time.Duration within) {
    return store.endedWithAgent(repository, clock.millis() - within.toMillis(), 100).stream().map(Task::of).toList();
  }

  /** Where a task stands and, if queued, what holds it back. */
  public TaskStatus status(long id) {
    TaskStore.Row row = store.find(id).orElseThrow(() -> new IllegalArgumentException("no task " + id));
    Task task = Task.of(row);
    if (task.state() != TaskState.QUEUED) {
      return new TaskStatus(task, 0, 0, Decision.allow(), "task " + id + " is " + task.state().describe());
    }
    long now = clock.millis();
    long[] pos = store.position(row);
    TaskStore.Snapshot snapshot = store.snapshot(now, budgetSince(now), recentSince(now));
    RepoStat mine = snapshot.repositories().stream().filter(s -> s.repository().equals(task.repository()))
        .findFirst().orElseThrow(() -> new IllegalStateException("no queue stats for " + task.repository()));
    Decision held = gate.check(mine, Gate.Totals.of(snapshot), now);
    String where = "task " + id + " is queued, position " + pos[0] + " in " + task.repository() + ", about "
        + pos[1] + " overall";
    String why = held.allowed()
        ? (pos[0] == 1 ? "; it starts at the next claim" : "; " + (pos[0] - 1) + " earlier tasks of "
            + task.repository() + " start first")
        : "; held by " + held.reason();
    return new TaskStatus(task, pos[0], pos[1], held, where + why);
  }

  /** {@link #status}'s sentence: position and the limit holding the task back. */
  public String explain(long id) {
    return status(id).explanation();
  }

  private static long budgetSince(long now) {
    return now - Gate.BUDGET_PERIOD.toMillis();
  }

  /** Starts at or after this are within the organisation start gap. */
  private long recentSince(long now) {
    return now - limits.organisationStartGap().toMillis();
  }

}
