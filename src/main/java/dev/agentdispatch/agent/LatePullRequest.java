package dev.agentdispatch.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdispatch.audit.AuditEvent;
import dev.agentdispatch.audit.AuditTrail;
import dev.agentdispatch.config.RepoConfig;
import dev.agentdispatch.github.GitHubClient;
import dev.agentdispatch.github.GitHubGateway;
import dev.agentdispatch.github.Permissions;
import dev.agentdispatch.github.RepoRef;
import dev.agentdispatch.store.AuditStore;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskState;
import dev.agentdispatch.task.TaskQueue;
import dev.agentdispatch.webhook.Delivery;
import dev.agentdispatch.webhook.EventHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pull_request.opened} by the Copilot agent on a {@code copilot/} branch for a task that was already cancelled
 * or timed out (the agent tasks API cannot stop a session). The pull request is linked to its task by head branch,
 * agent task id (the agent's pull request body names it) or the issue it closes, then closed with a comment and its
 * {@code copilot/} branch deleted, or kept with a comment, as {@code late_pull_request} says. See docs/handlers.md.
 */
public final class LatePullRequest implements EventHandler {
  private static final Logger log = LoggerFactory.getLogger(LatePullRequest.class);
  static final String ACTION = "task.late_pull_request";
  /** A late pull request is looked for among tasks ended this long ago at most. */
  static final Duration LOOK_BACK = Duration.ofDays(7);
  /** The agent's pull request author (FACTS.md 1.8): a Bot with one of these logins. */
  static final Set<String> AGENT_LOGINS = Set.of("copilot", "copilot-swe-agent[bot]");
  private static final Pattern CLOSES = Pattern.compile("(?i)\\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\\s+#(\\d+)");
  private static final Permissions NEEDS = Permissions.ISSUES_WRITE.and(Permissions.PULL_REQUESTS_WRITE)
      .and(Permissions.CONTENTS_WRITE);

  private final GitHubClient github;
  private final TaskQueue queue;
  private final Function<String, RepoConfig> configs;
  private final AuditTrail audit;
  private final AuditStore auditStore;
  private final Notifier notifier;
  private final Clock clock;

  public LatePullRequest(GitHubClient github, TaskQueue queue, Function<String, RepoConfig> configs,
      AuditTrail audit, AuditStore auditStore, Notifier notifier, Clock clock) {
    this.github = github;
    this.queue = queue;
    this.configs = configs;
    this.audit = audit;
    this.auditStore = auditStore;
    this.notifier = notifier;
    this.clock = clock;
  }

  @Override
  public boolean wants(Delivery d) {
    return d.fromInstallation();
  }

  @Override
  public void handle(Delivery d) {
    JsonNode pr = d.json().path("pull_request");
    String head = pr.path("head").path("ref").asText("");
    if (!isAgent(pr.path("user"))
        || !head.startsWith("copilot/") || !d.repository().equals(pr.path("head").path("repo").path("full_name")
            .asText(d.repository()))) {
      return; // not the agent's pull request on its own branch in this repository
    }
    int number = pr.path("number").asInt();
    Optional<Task> task = link(d.repository(), head, pr.path("body").asText(""));
    if (task.isEmpty() || handled(d)) {
      return;
    }
    apply(task.get(), github.gateway(RepoRef.of(d.repository(), null, d.installationId()), NEEDS), number, head,
        d.id(), "before this pull request arrived");
  }

  /**
   * A task cancelled or timed out while its agent had already opened its pull request (the agent opens a draft
   * as it begins): that open pull request is closed or kept as {@code late_pull_request} says, as if it had
   * arrived late. Found by the task's {@code copilot/} head branch; nothing happens when none is known.
   */
  public void settleOpenPull(Task t) {
    if ((t.state() != TaskState.CANCELLED && t.state() != TaskState.TIMED_OUT) || t.installationId() == null
        || (t.headRef() == null && t.agentTaskId() == null)) {
      return;
    }
    GitHubGateway gh = github.gateway(RepoRef.of(t.repository(), null, t.installationId()), NEEDS);
    JsonNode candidates = t.headRef() != null ? gh.listPullsByHead(t.headRef()) : gh.listOpenPulls();
    for (JsonNode pr : candidates) {
      String head = pr.path("head").path("ref").asText("");
      boolean ours = t.headRef() != null ? t.headRef().equals(head)
          : pr.path("body").asText("").contains(t.agentTaskId()); // the agent names its task in the body
      if (ours && "open".equals(pr.path("state").asText()) && isAgent(pr.path("user")) && head.startsWith("copilot/")
          && t.repository().equals(pr.path("head").path("repo").path("full_name").asText(t.repository()))) {
        apply(t, gh, pr.path("number").asInt(), head, t.deliveryId(), "while this pull request was open");
      }
    }
  }

  private void apply(Task t, GitHubGateway gh, int number, String head, String deliveryId, String when) {
    String repository = t.repository();
    RepoConfig.LatePullRequest mode = configs.apply(repository).latePullRequest();
    String why = "task " + t.id() + " for #" + t.number() + " was " + t.state().describe()
        + (t.error() == null ? "" : " (" + t.error() + ")") + " " + when;
    if (mode == RepoConfig.LatePullRequest.KEEP) {
      gh.createIssueComment(number, "agent-dispatch: " + why + ". It is kept open (`late_pull_request: keep` in "
          + RepoConfig.PATH + "): review it like any pull request, or close it.");
    } else {
      gh.createIssueComment(number, "agent-dispatch: " + why + ", so it is closed and its branch `" + head
          + "` deleted (`late_pull_request: close`, the default in " + RepoConfig.PATH + "). Label the issue again"
          + " to start a new task.");
      gh.closePull(number);
      gh.deleteRef("heads/" + head); // head starts with copilot/ (checked above); the policy guard checks it too
    }
    String outcome = mode == RepoConfig.LatePullRequest.KEEP ? "kept" : "closed";
    String url = "https://github.com/" + repository + "/pull/" + number;
    log.info("LatePullRequest: agent pull request of an ended task; {}; task={} repo={} pull={}", outcome, t.id(),
        repository, number);
    audit.record(AuditEvent.of(clock.instant(), ACTION, outcome).withTask(t.id())
        .withDelivery(deliveryId, t.installationId(), repository, t.triggeredBy()).withIo(head, url));
    notifier.send(new Notifier.Notice(ACTION, repository, t.number(), t.id(), outcome,
        "Copilot's pull request #" + number + ": " + why + "; " + outcome + ".", url));
  }

  /** {@code user.type == "Bot"} and a Copilot login. */
  static boolean isAgent(JsonNode user) {
    return "Bot".equals(user.path("type").asText())
        && AGENT_LOGINS.contains(user.path("login").asText().toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * The ended task this pull request belongs to: the one whose recorded head branch it is, else whose agent task id
   * its body names, else the latest for the issue its body closes if that issue has no active task (an active task
   * would be the pull request's owner).
   */
  Optional<Task> link(String repository, String head, String body) {
    List<Task> ended = queue.endedWithAgent(repository, LOOK_BACK);
    Optional<Task> byHead = ended.stream().filter(t -> head.equals(t.headRef())).findFirst();
    if (byHead.isPresent()) {
      return byHead;
    }
    Optional<Task> byAgentId = ended.stream()
        .filter(t -> t.agentTaskId() != null && body.contains(t.agentTaskId())).findFirst();
    if (byAgentId.isPresent()) {
      return byAgentId;
    }
    Matcher m = CLOSES.matcher(body);
    while (m.find()) {
      int issue = Integer.parseInt(m.group(1));
      if (queue.findActive(repository, issue).isEmpty()) {
        Optional<Task> byIssue = ended.stream().filter(t -> t.number() == issue && t.headRef() == null).findFirst();
        if (byIssue.isPresent()) {
          return byIssue;
        }
      }
    }
    return Optional.empty();
  }

  /** A redelivery of a pull request already acted on stays quiet. */
  private boolean handled(Delivery d) {
    return auditStore.find(new AuditStore.Query(d.repository(), null, null, null, null, null, 500)).stream()
        .anyMatch(r -> ACTION.equals(r.action()) && d.id().equals(r.deliveryId()));
  }
}
