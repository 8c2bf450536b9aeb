package dev.agentdispatch.task;

import java.util.Objects;

/**
 * What a trigger asks the queue to run. {@code repository} is "owner/repo"; the organisation is its owner part.
 * {@code deliveryId} (X-GitHub-Delivery) makes a redelivered webhook find the task it already created.
 * {@code boundary} is the parsed task boundary as JSON (trigger.BoundaryJson), stored with the task; may be null.
 */
public record TaskRequest(String repository, Long installationId, int number, Task.Kind kind,
    Task.Trigger trigger, String triggeredBy, String deliveryId, String prompt, String scope, String baseRef,
    String model, String boundary) {
  public TaskRequest {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(trigger, "trigger");
    if (repository.indexOf('/') <= 0 || repository.indexOf('/') == repository.length() - 1) {
      throw new IllegalArgumentException("repository must be owner/repo, got " + repository);
    }
  }

  /** A request without a stored boundary. */
  public TaskRequest(String repository, Long installationId, int number, Task.Kind kind, Task.Trigger trigger,
      String triggeredBy, String deliveryId, String prompt, String scope, String baseRef, String model) {
    this(repository, installationId, number, kind, trigger, triggeredBy, deliveryId, prompt, scope, baseRef, model,
        null);
  }

  /** The shortest request: an issue labeled for the agent. */
  public static TaskRequest issueLabel(String repository, int number, String triggeredBy, String deliveryId) {
    return new TaskRequest(repository, null, number, Task.Kind.ISSUE, Task.Trigger.LABEL, triggeredBy, deliveryId,
        null, null, null, null);
  }

  public String organisation() {
    return repository.substring(0, repository.indexOf('/'));
  }
}
