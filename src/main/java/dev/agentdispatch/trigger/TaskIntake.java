package dev.agentdispatch.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdispatch.config.RepoConfig;
import dev.agentdispatch.github.GitHubGateway;
import dev.agentdispatch.store.AgentRunStore;
import dev.agentdispatch.task.Enqueued;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskQueue;
import dev.agentdispatch.task.TaskRequest;
import dev.agentdispatch.task.TaskStatus;
import dev.agentdispatch.webhook.Delivery;
import java.time.Clock;

/**
 * The path every trigger of an issue task shares: boundary admission, the prompt, the enqueue, and what the issue is
 * told. A queued task gets its one status comment here; the agent worker edits that same comment later (its id is
 * kept in agent_run).
 */
final class TaskIntake {
  static final String HELD = "trigger.held";
  static final String QUEUED = "task.queued";
  static final String ALREADY = "trigger.already_active";
  static final String REJECTED = "trigger.rejected";
  static final String UNAUTHORISED = "trigger.unauthorised";

  private final TaskQueue queue;
  private final AgentRunStore runs;
  private final Replies replies;
  private final Clock clock;
  private final PromptBuilder prompts = new PromptBuilder();
  private final java.util.function.Predicate<String> authorised;
  private final String loginUrl;

  TaskIntake(TaskQueue queue, AgentRunStore runs, Replies replies, Clock clock,
      java.util.function.Predicate<String> authorised, String loginUrl) {
    this.queue = queue;
    this.runs = runs;
    this.replies = replies;
    this.clock = clock;
    this.authorised = authorised;
    this.loginUrl = loginUrl;
  }

  /**
   * Starts a task for {@code issue} (the payload's issue object). {@code instructions} is null for the label, the
   * command's text for {@code /copilot <instructions>}.
   */
  void start(Delivery d, GitHubGateway gh, RepoConfig config, JsonNode issue, Task.Trigger trigger,
      String instructions) {
    int number = issue.path("number").asInt();
    String body = issue.path("body").asText("");
    if (unauthorised(d, gh, config, number, trigger)) {
      return;
    }
    BoundaryParser.Admission admission = new BoundaryParser(config).admit(
        instructions == null ? body : instructions + "\n" + body);
    if (!admission.admitted()) {
      replies.once(d, gh, number, HELD, "held", body, admission.reply());
      return;
    }
    String title = issue.path("title").asText("");
    String url = issue.path("html_url").asText("");
    String prompt = instructions == null ? prompts.forIssue(title, body, url, admission.boundary())
        : prompts.forCommand(instructions, title, body, url, admission.boundary());
    String scope = admission.boundary().hasScope() ? String.join(", ", admission.boundary().scope()) : null;
    Enqueued e = queue.enqueue(new TaskRequest(d.repository(), d.installationId(), number, Task.Kind.ISSUE, trigger,
        d.sender(), d.id(), prompt, scope, config.baseBranch(), config.model(), BoundaryJson.write(admission.boundary())));
    boolean mine = e.task() != null && d.id().equals(e.task().deliveryId());
    if (mine && e.outcome() != Enqueued.Outcome.QUEUED) {
      // A redelivery or retry of the delivery that queued this task: finish what its first handling began.
      if (!replies.done(d, QUEUED)
          && runs.find(e.task().id()).map(AgentRunStore.Row::statusCommentId).isEmpty()) {
        queued(d, gh, e.task(), admission);
      }
      return;
    }
    switch (e.outcome()) {
      case QUEUED -> queued(d, gh, e.task(), admission);
      case ALREADY_ACTIVE -> replies.once(d, gh, number, ALREADY, "already_active", null,
          "@" + d.sender() + " this issue already has a Copilot agent task: " + e.message() + ".");
      case REJECTED -> replies.once(d, gh, number, REJECTED, "rejected", null,
          "agent-dispatch did not queue this task: " + e.decision().reason() + ".");
      case ALREADY_HANDLED -> { } // handled above
    }
  }

  /**
   * User-token mode: a person who has not authorised the app gets the sign-in link instead of a task that could not
   * start (the agent would run as them). The label is taken off so adding it again after signing in triggers again.
   */
  private boolean unauthorised(Delivery d, GitHubGateway gh, RepoConfig config, int number, Task.Trigger trigger) {
    if (!RepoConfig.USER.equals(config.agentToken()) || loginUrl == null || authorised.test(d.sender())
        || queue.findActive(d.repository(), number).isPresent()) {
      return false;  // an active task answers "already queued" as usual
    }
    if (trigger == Task.Trigger.LABEL && !replies.done(d, UNAUTHORISED)) {
      try {
        gh.removeLabel(number, config.label());
      } catch (dev.agentdispatch.github.GitHubCallFailed e) {
        if (e.status() != 404) {
          throw e;
        }
      }
    }
    replies.once(d, gh, number, UNAUTHORISED, "refused", d.name(), "@" + d.sender() + " this repository starts "
        + "Copilot as the person who asks (`agent_token: user`), and you have not authorised agent-dispatch yet. "
        + "Sign in at " + loginUrl + ", then " + (trigger == Task.Trigger.LABEL ? "add the `" + config.label()
        + "` label again." : "repeat the command."));
    return true;
  }

  /**
   * {@code /copilot <instructions>} on an agent pull request: a {@code pr_followup} task on that pull request, queued
   * and limited like any other; the agent worker relays it as an {@code @copilot} comment when the limits allow.
   */
  void followUp(Delivery d, GitHubGateway gh, RepoConfig config, int pull, String instructions) {
    Enqueued e = queue.enqueue(new TaskRequest(d.repository(), d.installationId(), pull, Task.Kind.PR_FOLLOWUP,
        Task.Trigger.COMMAND, d.sender(), d.id(), instructions, null, null, config.model()));
    boolean mine = e.task() != null && d.id().equals(e.task().deliveryId());
    if (mine && e.outcome() != Enqueued.Outcome.QUEUED) {
      if (!replies.done(d, QUEUED) && runs.find(e.task().id()).map(AgentRunStore.Row::statusCommentId).isEmpty()) {
        followUpQueued(d, gh, e.task());
      }
      return;
    }
    switch (e.outcome()) {
      case QUEUED -> followUpQueued(d, gh, e.task());
      case ALREADY_ACTIVE -> replies.once(d, gh, pull, ALREADY, "already_active", instructions,
          "@" + d.sender() + " this pull request already has a follow-up for Copilot: " + e.message()
              + ". Ask again when it has been passed on.");
      case REJECTED -> replies.once(d, gh, pull, REJECTED, "rejected", instructions,
          "agent-dispatch did not queue this follow-up: " + e.decision().reason() + ".");
      case ALREADY_HANDLED -> { }
    }
  }

  private void followUpQueued(Delivery d, GitHubGateway gh, Task task) {
    String text = "**Copilot follow-up: queued**\n\nRequested by @" + task.triggeredBy() + ". "
        + capitalised(queue.status(task.id()).explanation()) + ". It is passed on to Copilot as an `@copilot`"
        + " comment when it starts.\n\n<sub>agent-dispatch task " + task.id() + "</sub>\n"
        + "<!-- agent-dispatch:status task=" + task.id() + " -->";
    long commentId = gh.createIssueComment(task.number(), text).path("id").asLong();
    runs.queuedStatusComment(task.id(), commentId, clock.millis());
    replies.record(d, QUEUED, "queued", task.prompt(), "#" + task.number() + ": task " + task.id(), task.id());
  }

  /** A queued task a person cancelled: its status comment says so (the worker never sees it, so it edits nothing). */
  void cancelledWhileQueued(GitHubGateway gh, Task task, String by) {
    runs.find(task.id()).map(AgentRunStore.Row::statusCommentId).ifPresent(id -> gh.updateIssueComment(id,
        "**Copilot " + (task.kind() == Task.Kind.PR_FOLLOWUP ? "follow-up" : "agent") + ": cancelled**\n\n"
            + "Cancelled by @" + by + " while it was queued; the agent was not started.\n\n"
            + "<sub>agent-dispatch task " + task.id() + "</sub>\n<!-- agent-dispatch:status task=" + task.id()
            + " -->"));
  }

  private void queued(Delivery d, GitHubGateway gh, Task task, BoundaryParser.Admission admission) {
    String text = statusText(task, admission);
    long commentId = gh.createIssueComment(task.number(), text).path("id").asLong();
    runs.queuedStatusComment(task.id(), commentId, clock.millis());
    replies.record(d, QUEUED, "queued", task.prompt(), "#" + task.number() + ": task " + task.id()
        + (task.boundary() == null ? "" : "; boundary " + task.boundary()), task.id());
  }

  private String statusText(Task task, BoundaryParser.Admission admission) {
    TaskStatus status = queue.status(task.id());
    StringBuilder b = new StringBuilder("**Copilot agent: queued**\n\n");
    b.append("Requested by @").append(task.triggeredBy()).append(". ").append(capitalised(status.explanation()))
        .append(".\n\n");
    b.append(admission.boundary().describe()).append('\n');
    if (!admission.reply().isBlank()) {
      b.append(admission.reply()).append('\n');
    }
    b.append("<sub>agent-dispatch task ").append(task.id()).append("</sub>\n");
    b.append("<!-- agent-dispatch:status task=").append(task.id()).append(" -->");
    return b.toString();
  }

  private static String capitalised(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
