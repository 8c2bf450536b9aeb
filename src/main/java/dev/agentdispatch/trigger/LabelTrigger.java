package dev.agentdispatch.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdispatch.config.RepoConfig;
import dev.agentdispatch.github.GitHubCallFailed;
import dev.agentdispatch.github.GitHubGateway;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.webhook.Delivery;
import dev.agentdispatch.webhook.EventHandler;
import dev.agentdispatch.webhook.Events;

/**
 * The agent label (issue 5): {@code issues.labeled} with the repository's {@code label} queues an agent task for the
 * issue; {@code issues.edited} on a labelled issue whose boundary was held checks it again. See docs/handlers.md.
 */
public final class LabelTrigger implements EventHandler {
  static final String REFUSED = "trigger.refused";

  private final TriggerKit kit;

  public LabelTrigger(TriggerKit kit) {
    this.kit = kit;
  }

  @Override
  public boolean wants(Delivery d) {
    return d.fromInstallation();
  }

  @Override
  public void handle(Delivery d) {
    JsonNode p = d.json();
    JsonNode issue = p.path("issue");
    if (Access.isBot(p) || issue.has("pull_request")) {
      return; // not an issue, or a bot (the loop guard)
    }
    int number = issue.path("number").asInt();
    GitHubGateway gh = kit.gateway(d);
    RepoConfig config = kit.configs.forIssue(d.repository(), gh, number);
    boolean edited = Events.ISSUES_EDITED.equals(d.name());
    if (edited ? !heldAndStillLabelled(d, issue, config, number)
        : !config.label().equalsIgnoreCase(p.path("label").path("name").asText())) {
      return;
    }
    String refusal = kit.access.refusal(gh, d.repository(), d.sender(), config);
    if (refusal != null) {
      if (!edited) {
        refuse(d, gh, config, number, refusal);
      }
      return; // an edit by someone without access changes nothing
    }
    kit.intake.start(d, gh, config, issue, Task.Trigger.LABEL, null);
  }

  private boolean heldAndStillLabelled(Delivery d, JsonNode issue, RepoConfig config, int number) {
    boolean labelled = false;
    for (JsonNode l : issue.path("labels")) {
      labelled |= config.label().equalsIgnoreCase(l.path("name").asText());
    }
    return labelled && kit.queue.findActive(d.repository(), number).isEmpty()
        && kit.replies.heldLast(d.repository(), number);
  }

  private void refuse(Delivery d, GitHubGateway gh, RepoConfig config, int number, String why) {
    if (kit.replies.done(d, REFUSED)) {
      return;
    }
    try {
      gh.removeLabel(number, config.label());
    } catch (GitHubCallFailed e) {
      if (e.status() != 404) {
        throw e;
      }
    }
    kit.replies.once(d, gh, number, REFUSED, "refused", d.name(),
        why + " The `" + config.label() + "` label was removed; someone with write access can add it again.");
  }
}
