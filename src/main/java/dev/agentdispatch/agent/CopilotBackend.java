package dev.agentdispatch.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdispatch.agent.AgentTokens.AgentToken;
import dev.agentdispatch.github.GitHubClient;
import dev.agentdispatch.github.GitHubGateway;
import dev.agentdispatch.github.Permissions;
import dev.agentdispatch.github.RepoRef;
import dev.agentdispatch.task.Task;
import dev.agentdispatch.task.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Copilot cloud agent through the agent tasks API (FACTS.md section 1), called as a user. Starts with the
 * prompt, {@code base_ref}, the model (omitted = automatic) and {@code create_pull_request: true}; never sends
 * a head_ref (the agent names its copilot/ branch). Resolves the pull artifact's id to a number through the
 * pulls list filtered by the head branch, with an installation token (pull_requests: read).
 */
public final class CopilotBackend implements AgentBackend {
  private static final Logger log = LoggerFactory.getLogger(CopilotBackend.class);
  static final Permissions PULLS_READ = Permissions.of("pull_requests", "read");

  private final GitHubClient github;
  private final String defaultModel;
  private final Map<String, Identity> identities = new ConcurrentHashMap<>();

  /** @param defaultModel the model when the task names none; null lets Copilot choose */
  public CopilotBackend(GitHubClient github, String defaultModel) {
    this.github = github;
    this.defaultModel = defaultModel;
  }

  @Override
  public String name() {
    return "Copilot";
  }

  @Override
  public Identity identity(AgentToken token) {
    return identities.computeIfAbsent(token.value(), k -> {
      JsonNode me = gateway(null).getAuthenticatedUser(k);
      return new Identity(me.path("login").asText(), me.path("id").asLong());
    });
  }

  @Override
  public Started start(Task task, AgentToken token) {
    String model = task.model() != null ? task.model() : defaultModel;
    JsonNode t = gateway(task).createAgentTask(token.value(), prompt(task), task.baseRef(), model, true);
    return new Started(t.path("id").asText(), t.path("html_url").asText(null));
  }

  @Override
  public AgentStatus poll(Task task, String agentTaskId, AgentToken token) {
    GitHubGateway gh = gateway(task);
    JsonNode t = gh.getAgentTask(token.value(), agentTaskId);
    String state = t.path("state").asText("");
    JsonNode sessions = t.path("sessions");
    JsonNode latest = sessions.isArray() && sessions.size() > 0 ? sessions.get(sessions.size() - 1) : null;
    String headRef = latest == null ? null : latest.path("head_ref").asText(null);
    Long pullId = null;
    for (JsonNode a : t.path("artifacts")) {
      if ("branch".equals(a.path("type").asText()) && headRef == null) {
        headRef = a.path("data").path("head_ref").asText(null);
      } else if ("pull".equals(a.path("type").asText())) {
        pullId = a.path("data").path("id").asLong();
      }
    }
    String error = latest == null ? null : latest.path("error").path("message").asText(null);
    String url = t.path("html_url").asText(null);
    TaskState ours = switch (state) {
      case "queued", "in_progress" -> TaskState.RUNNING;
      case "waiting_for_user", "idle" -> TaskState.WAITING_FOR_USER;
      case "failed" -> TaskState.FAILED;
      case "timed_out" -> TaskState.TIMED_OUT;
      case "cancelled" -> TaskState.CANCELLED;
      case "completed" -> TaskState.DONE;
      default -> {
        log.warn("CopilotBackend: unknown agent task state, still watching; task={} agentTask={} state={}",
            task.id(), agentTaskId, state);
        yield TaskState.RUNNING;
      }
    };
    Integer pull = null;
    Boolean mergeable = null;
    if (ours == TaskState.DONE && headRef != null) {
      pull = pullNumber(gh, headRef, pullId);
      if (pull != null) {
        ours = TaskState.PR_OPEN;
        JsonNode p = gh.getPull(pull);
        mergeable = p.path("mergeable").isBoolean() ? p.path("mergeable").asBoolean() : null;
      }
    }
    return new AgentStatus(ours, state, headRef, pull, mergeable, error, url);
  }

  @Override
  public List<Started> startedSince(Task task, AgentToken token, Identity who, Instant since) {
    GitHubGateway gh = gateway(task);
    List<Started> found = new ArrayList<>();
    for (JsonNode t : gh.listAgentTasks(token.value(), since, who.id()).path("tasks")) {
      if (t.path("creator").path("id").asLong() != who.id()
          || Instant.parse(t.path("created_at").asText()).isBefore(since)) {
        continue;
      }
      String id = t.path("id").asText();
      JsonNode full = gh.getAgentTask(token.value(), id);
      JsonNode first = full.path("sessions").path(0);
      if (first.path("prompt").asText("").contains(AgentBackend.marker(task))) {
        found.add(new Started(id, full.path("html_url").asText(null)));
      }
    }
    return found;
  }

  /** An {@code @copilot <instructions>} comment on the agent's pull request, made with the agent token. */
  @Override
  public void followUp(Task task, AgentToken token) {
    gateway(task).createIssueCommentAsUser(token.value(), task.number(),
        "@copilot " + task.prompt() + "\n\n" + followUpMarker(task));
  }

  @Override
  public boolean followedUp(Task task, AgentToken token, Instant since) {
    String marker = followUpMarker(task);
    return gateway(task).listPullComments(task.number(), since).stream()
        .anyMatch(c -> c.path("body").asText().contains(marker));
  }

  /** Ends a relayed follow-up: hidden when the comment is shown, it names the task the comment relays. */
  static String followUpMarker(Task task) {
    return "<!-- " + AgentBackend.marker(task) + " -->";
  }

  @Override
  public boolean canCancel() {
    return false;
  }

  @Override
  public void cancel(Task task, String agentTaskId, AgentToken token) {
    throw new UnsupportedOperationException("the Copilot agent tasks API has no cancel endpoint (FACTS.md 1.3); "
        + "stop the session in the GitHub UI");
  }

  /** The task's prompt (or a pointer to its issue), ending with the task marker. */
  static String prompt(Task task) {
    String body = task.prompt() != null && !task.prompt().isBlank() ? task.prompt()
        : "Resolve issue #" + task.number() + " in " + task.repository() + ": https://github.com/" + task.repository()
            + "/issues/" + task.number();
    return body + "\n\n" + AgentBackend.marker(task);
  }

  private static Integer pullNumber(GitHubGateway gh, String headRef, Long pullId) {
    Integer first = null;
    for (JsonNode p : gh.listPullsByHead(headRef)) {
      if (pullId != null && p.path("id").asLong() == pullId) {
        return p.path("number").asInt();
      }
      if (first == null) {
        first = p.path("number").asInt();
      }
    }
    return first;
  }

  private GitHubGateway gateway(Task task) {
    RepoRef repo = task == null ? RepoRef.of("agent-dispatch/none")
        : RepoRef.of(task.repository(), null, task.installationId());
    return github.gateway(repo, PULLS_READ);
  }
}
