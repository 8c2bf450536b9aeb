package dev.agentdispatch.task;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The life of an agent task. Each state says who moves a task out of it; {@link #canMoveTo} is the only
 * table of legal moves, and the schema (V2__tasks.sql) guards the same invariants with CHECK constraints.
 */
public enum TaskState {
  /** Waiting for a claim. Out: the dispatcher's claim (to STARTING), a person cancelling, a policy rejecting. */
  QUEUED,
  /** Claimed and leased; the worker is creating the agent task. Out: the worker (RUNNING, FAILED, QUEUED to
   *  retry), the sweeper when the lease expires (QUEUED), a person cancelling. */
  STARTING,
  /** The agent is working; the leasing worker watches it. Out: the worker on agent events, the sweeper on
   *  timeout, a person cancelling. */
  RUNNING,
  /** The agent asked a question. Out: the user answering (RUNNING), the sweeper on timeout, a person. */
  WAITING_FOR_USER,
  /** A pull request is open for review. Out: the webhook handler on merge/close, the sweeper, a person. */
  PR_OPEN,
  /** Final: the work is merged or otherwise complete. */
  DONE,
  /** Final: the agent or the app failed; {@code error} says why. */
  FAILED,
  /** Final: the sweeper found no progress within the time allowed. */
  TIMED_OUT,
  /** Final: a person cancelled it (label removed, command, admin API). */
  CANCELLED,
  /** Final: policy refused it before it started. */
  REJECTED;

  private static final Map<TaskState, Set<TaskState>> NEXT = Map.of(
      QUEUED, EnumSet.of(STARTING, CANCELLED, REJECTED),
      STARTING, EnumSet.of(RUNNING, FAILED, QUEUED, CANCELLED),
      RUNNING, EnumSet.of(WAITING_FOR_USER, PR_OPEN, DONE, FAILED, TIMED_OUT, CANCELLED),
      WAITING_FOR_USER, EnumSet.of(RUNNING, FAILED, TIMED_OUT, CANCELLED),
      PR_OPEN, EnumSet.of(DONE, FAILED, TIMED_OUT, CANCELLED),
      DONE, EnumSet.noneOf(TaskState.class),
      FAILED, EnumSet.noneOf(TaskState.class),
      TIMED_OUT, EnumSet.noneOf(TaskState.class),
      CANCELLED, EnumSet.noneOf(TaskState.class),
      REJECTED, EnumSet.noneOf(TaskState.class));

  /** States in which a task is active: at most one per (repository, number). */
  public static final Set<TaskState> ACTIVE = EnumSet.of(QUEUED, STARTING, RUNNING, WAITING_FOR_USER, PR_OPEN);
  /** States that take a slot of the concurrency limits (the agent session is alive). */
  public static final Set<TaskState> OCCUPYING = EnumSet.of(STARTING, RUNNING, WAITING_FOR_USER);

  public boolean canMoveTo(TaskState to) {
    return NEXT.get(this).contains(to);
  }

  public Set<TaskState> next() {
    return NEXT.get(this).isEmpty() ? Set.of() : EnumSet.copyOf(NEXT.get(this));
  }

  public boolean isFinal() {
    return NEXT.get(this).isEmpty();
  }

  /** STARTING and RUNNING are held under a lease by one instance. */
  public boolean isLeased() {
    return this == STARTING || this == RUNNING;
  }

  /** How the state reads in a sentence: "task 12 is waiting for a user's answer". */
  public String describe() {
    return switch (this) {
      case QUEUED -> "queued";
      case STARTING -> "starting";
      case RUNNING -> "running";
      case WAITING_FOR_USER -> "waiting for a user's answer";
      case PR_OPEN -> "done with a pull request open for review";
      case DONE -> "done";
      case FAILED -> "failed";
      case TIMED_OUT -> "timed out";
      case CANCELLED -> "cancelled";
      case REJECTED -> "rejected";
    };
  }

  /** The value stored in agent_task.state. */
  public String column() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TaskState fromColumn(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  /** Throws {@link IllegalTransition} unless {@code from -> to} is in the table. */
  static void check(long taskId, TaskState from, TaskState to) {
    if (!from.canMoveTo(to)) {
      throw new IllegalTransition(taskId, from, to);
    }
  }
}
