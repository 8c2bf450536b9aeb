package dev.agentdispatch.audit;

import java.time.Duration;
import java.time.Instant;

/**
 * One line of the audit trail. {@code action} says what was decided ({@code trigger.refused},
 * {@code task.queued}, {@code task.finished}, {@code policy.refused}, ...), {@code outcome} how it went.
 */
public record AuditEvent(Instant at, String action, String outcome, String deliveryId, Long taskId,
    Long installationId, String repository, String actor, String input, String output, Duration duration,
    Integer apiCalls, String tokenMode) {

  /** A new event with only what every event has; add the rest with the {@code with...} methods. */
  public static AuditEvent of(Instant at, String action, String outcome) {
    return new AuditEvent(at, action, outcome, null, null, null, null, null, null, null, null, null, null);
  }

  public AuditEvent withDelivery(String deliveryId, Long installationId, String repository, String actor) {
    return new AuditEvent(at, action, outcome, deliveryId, taskId, installationId, repository, actor, input,
        output, duration, apiCalls, tokenMode);
  }

  public AuditEvent withTask(Long taskId) {
    return new AuditEvent(at, action, outcome, deliveryId, taskId, installationId, repository, actor, input,
        output, duration, apiCalls, tokenMode);
  }

  public AuditEvent withIo(String input, String output) {
    return new AuditEvent(at, action, outcome, deliveryId, taskId, installationId, repository, actor, input,
        output, duration, apiCalls, tokenMode);
  }

  public AuditEvent withCost(Duration duration, Integer apiCalls, String tokenMode) {
    return new AuditEvent(at, action, outcome, deliveryId, taskId, installationId, repository, actor, input,
        output, duration, apiCalls, tokenMode);
  }
}
