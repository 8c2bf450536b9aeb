package dev.agentdispatch.task;

/** A move the state table does not allow; never applied, never silently overwritten. */
public final class IllegalTransition extends RuntimeException {
  private final TaskState from;
  private final TaskState to;

  public IllegalTransition(long taskId, TaskState from, TaskState to) {
    super("task " + taskId + " cannot move from " + from + " to " + to + " (allowed: " + from.next() + ")");
    this.from = from;
    this.to = to;
  }

  public TaskState from() {
    return from;
  }

  public TaskState to() {
    return to;
  }
}
