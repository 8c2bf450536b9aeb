package dev.agentdispatch.task;

/**
 * What {@link TaskQueue#enqueue} did. {@code task} is the new task, or the existing one the request matched;
 * it is null only when the request was refused. {@code message} is a sentence for the issue comment.
 */
public record Enqueued(Outcome outcome, Task task, Decision decision, String message) {
  public enum Outcome {
    /** A new task is queued. */
    QUEUED,
    /** The issue already has an active task (queued, starting, running, waiting or with a pull request open). */
    ALREADY_ACTIVE,
    /** This delivery already created a task (a redelivery); nothing new was queued. */
    ALREADY_HANDLED,
    /** Refused by a limit ({@code decision} names it); nothing was stored. */
    REJECTED
  }

  public boolean isNew() {
    return outcome == Outcome.QUEUED;
  }
}
