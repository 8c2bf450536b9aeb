package dev.agentdispatch.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdispatch.config.RepoConfig;
import dev.agentdispatch.github.GitHubGateway;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskState;
import dev.agentdispatch.webhook.Delivery;
import dev.agentdispatch.webhook.EventHandler;
import java.util.Optional;

/**
 * {@code /copilot ...} commands in issue and pull request comments (issue 5): instructions, status, cancel, retry,
 * resume and help. Accepted commands get an {@code eyes} reaction at once; each answer is posted once per delivery.
 * Same access rules and bot guard as the label. See docs/handlers.md.
 */
public final class CommandTrigger implements EventHandler {
  static final String HELP = """
      **agent-dispatch commands** (write access needed)

      - `/copilot <instructions>`: on an issue, start a Copilot agent task with these instructions; on an agent \
      pull request, pass them on to the agent as a follow-up
      - `/copilot status`: where this issue's task stands, its queue position and what holds it
      - `/copilot cancel`: cancel this issue's task (a running agent cannot be stopped through the API)
      - `/copilot retry`: queue the task again after it failed or timed out
      - `/copilot resume`: reopen this repository's paused queue (admins)
      - `/copilot help`: this list
      """;

  private final TriggerKit kit;

  public CommandTrigger(TriggerKit kit) {
    this.kit = kit;
  }

  @Override
  public boolean wants(Delivery d) {
    return d.fromInstallation();
  }

  @Override
  public void handle(Delivery d) {
    JsonNode p = d.json();
    if (Access.isBot(p)) {
      return; // the loop guard: our own and other bots' comments never command
    }
    JsonNode issue = p.path("issue");
    int number = issue.path("number").asInt();
    GitHubGateway gh = kit.gateway(d);
    RepoConfig config = kit.configs.config(d.repository());
    Optional<CommandLine> command = CommandLine.parse(p.path("comment").path("body").asText(""), config.command());
    if (command.isEmpty()) {
      return; // an ordinary comment, or a command quoted or in code
    }
    CommandLine c = command.get();
    config = kit.configs.forIssue(d.repository(), gh, number); // tells of config problems, once per problem set
    String refusal = kit.access.refusal(gh, d.repository(), d.sender(), config);
    if (refusal != null) {
      kit.replies.once(d, gh, number, LabelTrigger.REFUSED, "refused", c.kind().name(), refusal);
      return;
    }
    gh.createReactionForIssueComment(p.path("comment").path("id").asLong(), "eyes");
    boolean onPull = issue.has("pull_request");
    switch (c.kind()) {
      case HELP -> answer(d, gh, number, c, HELP);
      case STATUS -> answer(d, gh, number, c, status(d.repository(), number));
      case CANCEL -> cancel(d, gh, number, c);
      case RETRY -> retry(d, gh, config, issue, c);
      case RESUME -> resume(d, gh, number, c);
      case INSTRUCTIONS -> {
        if (onPull) {
          new FollowUp(kit).relay(d, gh, number, c.instructions());
        } else {
          kit.intake.start(d, gh, config, issue, Task.Trigger.COMMAND, c.instructions());
        }
      }
    }
  }

  private void answer(Delivery d, GitHubGateway gh, int number, CommandLine c, String body) {
    kit.replies.once(d, gh, number, action(c), "answered", c.kind().name(), body);
  }

  private String status(String repository, int number) {
    Optional<Task> active = kit.queue.findActive(repository, number);
    if (active.isEmpty()) {
      return "This issue has no active Copilot agent task. Add the label or comment `/copilot <instructions>` to"
          + " start one.";
    }
    String held = kit.queue.pausedUntil(repository).map(t -> "\n\nThe queue of " + repository
        + " is paused by its circuit breaker until " + t + "; an admin can reopen it with `/copilot resume`.")
        .orElse("");
    return capital(kit.queue.explain(active.get().id())) + "." + held;
  }

  private void cancel(Delivery d, GitHubGateway gh, int number, CommandLine c) {
    Optional<Task> active = kit.queue.findActive(d.repository(), number);
    String body;
    if (active.isEmpty()) {
      body = "There is no active Copilot agent task on this issue to cancel.";
    } else if (!kit.queue.cancel(active.get().id(), "cancelled by @" + d.sender())) {
      body = "Task " + active.get().id() + " had already finished.";
    } else if (active.get().state() == TaskState.QUEUED) {
      kit.intake.cancelledWhileQueued(gh, active.get(), d.sender());
      body = "Cancelled task " + active.get().id() + ": it was still queued and will not start.";
    } else {
      body = "Task " + active.get().id() + " is marked cancelled. The agent run itself cannot be stopped through"
          + " the API; a pull request it opens later is closed or kept as `late_pull_request` in " + RepoConfig.PATH
          + " says (default: closed).";
    }
    answer(d, gh, number, c, body);
  }

  private void retry(Delivery d, GitHubGateway gh, RepoConfig config, JsonNode issue, CommandLine c) {
    int number = issue.path("number").asInt();
    Optional<TaskState> last = kit.replies.lastTask(d.repository(), number).flatMap(kit.queue::find)
        .map(Task::state);
    if (last.isPresent() && (last.get() == TaskState.FAILED || last.get() == TaskState.TIMED_OUT)) {
      kit.intake.start(d, gh, config, issue, Task.Trigger.COMMAND, null);
      return;
    }
    answer(d, gh, number, c, "Nothing to retry: `/copilot retry` queues the task again only after it "
        + "failed or timed out" + last.map(s -> " (the last task is " + s.describe() + ")").orElse("") + ".");
  }

  private void resume(Delivery d, GitHubGateway gh, int number, CommandLine c) {
    if (!kit.access.isAdmin(gh, d.repository(), d.sender())) {
      kit.replies.once(d, gh, number, LabelTrigger.REFUSED, "refused", c.kind().name(), "@" + d.sender()
          + " `/copilot resume` reopens the repository's paused queue and needs admin access.");
      return;
    }
    kit.queue.resume(d.repository());
    answer(d, gh, number, c, "The agent queue of " + d.repository() + " is open again (circuit breaker reset).");
  }

  private static String action(CommandLine c) {
    return "command." + c.kind().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String capital(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
