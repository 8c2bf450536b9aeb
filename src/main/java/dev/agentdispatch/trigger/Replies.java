package dev.agentdispatch.trigger;

import dev.agentdispatch.agent.Notifier;
import dev.agentdispatch.audit.AuditEvent;
import dev.agentdispatch.audit.AuditTrail;
import dev.agentdispatch.github.GitHubGateway;
import dev.agentdispatch.store.AuditStore;
import dev.agentdispatch.webhook.Delivery;
import java.time.Clock;
import java.util.List;

/**
 * A trigger's answers, each posted once per delivery: the audit row written after the comment is the memory, so a
 * redelivered or retried webhook finds it and stays quiet (docs/handlers.md, idempotency).
 */
final class Replies {
  /** Trigger outcomes worth telling the notification webhook: a person asked and was turned away. */
  private static final java.util.Set<String> NOTIFIED = java.util.Set.of("refused", "rejected");

  private final AuditTrail audit;
  private final AuditStore store;
  private final Clock clock;
  private final Notifier notifier;

  Replies(AuditTrail audit, AuditStore store, Clock clock, Notifier notifier) {
    this.audit = audit;
    this.store = store;
    this.clock = clock;
    this.notifier = notifier;
  }

  /** Whether this delivery already wrote an audit row with {@code action}. */
  boolean done(Delivery d, String action) {
    return store.exists(d.id(), action);
  }

  /** Comments {@code body} on the issue and audits {@code action}, unless this delivery already did. */
  void once(Delivery d, GitHubGateway gh, int issue, String action, String outcome, String input, String body) {
    if (done(d, action)) {
      return;
    }
    if (body != null) {
      gh.createIssueComment(issue, body);
    }
    record(d, action, outcome, input, "#" + issue + ": " + body, null);
    if (NOTIFIED.contains(outcome)) {
      notifier.send(new Notifier.Notice("trigger." + outcome, d.repository(), issue, null, outcome,
          "@" + d.sender() + "'s request was " + outcome + ": " + firstLine(body),
          "https://github.com/" + d.repository() + "/issues/" + issue));
    }
  }

  private static String firstLine(String body) {
    String s = body == null ? "" : body.strip();
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /**
   * Whether the issue's latest trigger outcome in the audit is a hold for a missing boundary (rows of both kinds name
   * the issue as {@code #n:} at the start of their output).
   */
  boolean heldLast(String repository, int number) {
    return store.latest(repository, List.of(TaskIntake.HELD, TaskIntake.QUEUED), "#" + number + ":")
        .map(r -> TaskIntake.HELD.equals(r.action())).orElse(false);
  }

  /** The issue's latest queued task in the audit, if any. */
  java.util.Optional<Long> lastTask(String repository, int number) {
    return store.latest(repository, List.of(TaskIntake.QUEUED), "#" + number + ":").map(AuditStore.Row::taskId);
  }

  void record(Delivery d, String action, String outcome, String input, String output, Long taskId) {
    audit.record(AuditEvent.of(clock.instant(), action, outcome).withTask(taskId)
        .withDelivery(d.id(), d.installationId(), d.repository(), d.sender()).withIo(input, output));
  }
}
