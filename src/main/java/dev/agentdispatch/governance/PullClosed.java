package dev.agentdispatch.governance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdispatch.agent.StatusComments;
import dev.agentdispatch.audit.AuditEvent;
import dev.agentdispatch.audit.AuditTrail;
import dev.agentdispatch.store.JudgementStore;
import dev.agentdispatch.task.Change;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskQueue;
import dev.agentdispatch.task.TaskState;
import dev.agentdispatch.webhook.Delivery;
import dev.agentdispatch.webhook.EventHandler;
import java.time.Clock;

/**
 * pull_request.closed for a task's open pull request ends the task: merged is DONE; closed without merging is
 * TIMED_OUT or FAILED when it was judged so (timed_out; failed or needs_attention), CANCELLED otherwise (a person
 * closed it). Either way nothing is left to roll back. The app never merges; a person did.
 */
record PullClosed(TaskQueue queue, JudgementStore judgements, StatusComments comments, AuditTrail audit, Clock clock)
    implements EventHandler {
  /** Only deliveries about a repository. */
  @Override
  public boolean wants(Delivery d) {
    return d.repository() != null;
  }

  @Override
  public void handle(Delivery d) {
    JsonNode pr = d.json().path("pull_request");
    int number = pr.path("number").asInt(-1);
    for (Task t : queue.prOpen(d.repository())) {
      if (t.pullNumber() != null && t.pullNumber() == number) {
        end(t, pr.path("merged").asBoolean(false), d);
      }
    }
  }

  private void end(Task t, boolean merged, Delivery d) {
    Outcome judged = judgements.find(t.id()).map(r -> Outcome.fromColumn(r.outcome())).orElse(null);
    TaskState to = merged ? TaskState.DONE
        : judged == Outcome.TIMED_OUT ? TaskState.TIMED_OUT
        : judged == Outcome.FAILED || judged == Outcome.NEEDS_ATTENTION ? TaskState.FAILED
        : TaskState.CANCELLED;
    String what = "pull request #" + t.pullNumber() + (merged ? " merged" : " closed without merging") + " by @"
        + d.sender();
    if (!queue.transition(t.id(), TaskState.PR_OPEN, to, merged ? Change.NONE : Change.error(what))) {
      return;  // another delivery or the rollback ended it first
    }
    judgements.settle(t.id(), "pull_request_closed", clock.millis());
    Task done = queue.find(t.id()).orElse(t);
    String link = "[pull request #" + t.pullNumber() + "](" + StatusComments.pullUrl(t, t.pullNumber()) + ")";
    comments.write(done, merged ? "done" : to.describe(), merged ? "The " + link + " was merged by @" + d.sender() + "."
        : "The " + link + " was closed without merging by @" + d.sender() + (judged == null ? "."
        : " (judged " + judged.describe() + ")."));
    audit.record(AuditEvent.of(clock.instant(), "task.finished", to.column()).withTask(t.id())
        .withDelivery(d.id(), d.installationId(), d.repository(), d.sender()).withIo(null, what));
  }
}
