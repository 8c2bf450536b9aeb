package dev.agentdispatch.governance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskQueue;
import dev.agentdispatch.webhook.Delivery;
import dev.agentdispatch.webhook.EventHandler;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Judges a task's pull request again when GitHub says something changed: check_suite.completed,
 * check_run.completed, pull_request.synchronize, pull_request_review.submitted. The task is found by repository and
 * pull request number, or by head branch when a check event names no pull request.
 */
record JudgeOnEvent(TaskQueue queue, Judging judging) implements EventHandler {
  /** Only deliveries about a repository. */
  @Override
  public boolean wants(Delivery d) {
    return d.repository() != null;
  }

  @Override
  public void handle(Delivery d) {
    List<Task> open = queue.prOpen(d.repository());
    if (open.isEmpty()) {
      return;  // no agent pull request open here: quiet no-op
    }
    Set<Integer> numbers = new HashSet<>();
    Set<String> branches = new HashSet<>();
    JsonNode p = d.json();
    addNumber(numbers, p.path("pull_request").path("number"));
    for (JsonNode check : List.of(p.path("check_run"), p.path("check_suite"))) {
      check.path("pull_requests").forEach(pr -> addNumber(numbers, pr.path("number")));
      addBranch(branches, check.path("head_branch"));
      addBranch(branches, check.path("check_suite").path("head_branch"));
    }
    boolean any = numbers.isEmpty() && branches.isEmpty();
    for (Task t : open) {
      if (any || numbers.contains(t.pullNumber()) || t.headRef() != null && branches.contains(t.headRef())) {
        judging.judge(t, d.id(), false);
      }
    }
  }

  private static void addNumber(Set<Integer> numbers, JsonNode n) {
    if (n.isInt()) {
      numbers.add(n.asInt());
    }
  }

  private static void addBranch(Set<String> branches, JsonNode n) {
    if (n.isTextual()) {
      branches.add(n.asText());
    }
  }
}
