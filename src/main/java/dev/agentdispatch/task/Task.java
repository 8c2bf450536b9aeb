package dev.agentdispatch.task;

import dev.agentdispatch.store.TaskStore;
import java.time.Instant;
import java.util.Locale;

/**
 * A stored agent task, as the queue hands it out. Times are instants; absent ones are null. {@code boundary} is
 * the task's parsed boundary as JSON (read it with trigger.BoundaryJson), null when none was stored.
 */
public record Task(long id, String repository, String organisation, Long installationId, int number, Kind kind,
    Trigger trigger, String triggeredBy, String deliveryId, String prompt, String scope, String baseRef,
    String model, TaskState state, int attempt, String leaseOwner, Instant leaseUntil, String agentTaskId,
    String headRef, Integer pullNumber, String error, Instant createdAt, Instant updatedAt, Instant startedAt,
    Instant finishedAt, int version, String boundary) {

  /** What the task works on: an issue, or follow-up work on the agent's own pull request. */
  public enum Kind {
    ISSUE, PR_FOLLOWUP;

    String column() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How a person asked for it: the agent label, or a command in a comment. */
  public enum Trigger {
    LABEL, COMMAND;

    String column() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** "owner/repo#12". */
  public String ref() {
    return repository + "#" + number;
  }

  static Task of(TaskStore.Row r) {
    return new Task(r.id(), r.repository(), r.organisation(), r.installationId(), r.number(),
        Kind.valueOf(r.kind().toUpperCase(Locale.ROOT)), Trigger.valueOf(r.trigger().toUpperCase(Locale.ROOT)),
        r.triggeredBy(), r.deliveryId(), r.prompt(), r.scope(), r.baseRef(), r.model(),
        TaskState.fromColumn(r.state()), r.attempt(), r.leaseOwner(), instant(r.leaseUntil()), r.agentTaskId(),
        r.headRef(), r.pullNumber(), r.error(), Instant.ofEpochMilli(r.createdAt()),
        Instant.ofEpochMilli(r.updatedAt()), instant(r.startedAt()), instant(r.finishedAt()), r.version(),
        r.boundary());
  }

  private static Instant instant(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }
}
