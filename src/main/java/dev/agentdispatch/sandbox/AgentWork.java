package dev.agentdispatch.sandbox;

import java.time.Instant;
import java.util.Locale;

/** What the agent does at the start and end of a session, per scripted {@link Outcome}. */
final class AgentWork {
  private AgentWork() {}

  static String slug(String prompt) {
    String s = prompt.toLowerCase(Locale.ROOT).replaceAll("\\[sim:[a-z_]+]", "").replaceAll("[^a-z0-9]+", "-")
        .replaceAll("^-+|-+$", "");
    if (s.length() > 40) s = s.substring(0, 40).replaceAll("-+$", "");
    return s.isEmpty() ? "task" : s;
  }

  /** First session: choose and create the branch, open the draft pull request. */
  static void start(SimState state, SimActions actions, AgentTask t, SimUser copilot, Instant now) {
    SimRepo repo = state.repo(t.repo);
    String baseSha = repo.branchSha(t.baseRef);
    if (baseSha == null) {
      fail(t, t.latest(), now, "Base ref '" + t.baseRef + "' was not found");
      return;
    }
    if (t.headRef != null) {
      SimPull existing = repo.pulls.values().stream().filter(p -> p.headRef.equals(t.headRef)
          && p.baseRef.equals(t.baseRef) && "open".equals(p.issue.state)).findFirst().orElse(null);
      if (existing != null) {
        t.pullNumber = existing.number();
        return;
      }
    }
    String wanted = t.outcome.kind() == Outcome.Kind.ROGUE ? "main-hotfix" : "copilot/" + slug(t.prompt);
    String branch = wanted;
    for (int n = 2; repo.refs.containsKey("heads/" + branch); n++) branch = wanted + "-" + n;
    repo.refs.put("heads/" + branch, baseSha);
    state.log(repo.fullName() + ":create-ref:heads/" + branch);
    t.headRef = branch;
    if (t.createPullRequest) {
      String title = "[WIP] " + t.prompt.lines().findFirst().orElse("Copilot task");
      String body = "Coding agent has begun work on **" + t.prompt.lines().findFirst().orElse("") + "** and will "
          + "update this pull request as work progresses.\n\nTask: " + t.id;
      SimPull p = actions.openPull(repo, copilot, title, body, branch, t.baseRef, true);
      t.pullNumber = p.number();
    }
  }

  /** End of a session: push work and settle the state the outcome asks for. */
  static void finish(SimState state, SimActions actions, AgentTask t, AgentTask.Session s, Instant now) {
    SimRepo repo = state.repo(t.repo);
    Outcome.Kind kind = t.sessions.size() > 1 ? Outcome.Kind.SUCCESS : t.outcome.kind();
    switch (kind) {
      case FAILURE -> fail(t, s, now, t.outcome.message() == null ? "The agent encountered an error" : t.outcome.message());
      case TIMED_OUT -> settle(t, s, now, "timed_out");
      case WAITING_FOR_USER -> settle(t, s, now, "waiting_for_user");
      default -> {
        SimUser copilot = state.user("Copilot");
        actions.push(repo, t.headRef, SimulatedAgent.changeFor(t, t.sessions.size()),
            "Copilot session " + t.sessions.size() + ": " + slug(s.prompt), copilot);
        if (t.pullNumber != null) {
          SimPull p = repo.pulls.get(t.pullNumber);
          p.issue.title = p.issue.title.replaceFirst("^\\[WIP] ", "");
          if (kind == Outcome.Kind.CONFLICT) {
            p.mergeable = false;
            p.mergeableState = "dirty";
          }
        }
        settle(t, s, now, "completed");
      }
    }
  }

  private static void fail(AgentTask t, AgentTask.Session s, Instant now, String message) {
    s.errorMessage = message;
    settle(t, s, now, "failed");
  }

  private static void settle(AgentTask t, AgentTask.Session s, Instant now, String st) {
    s.state = st;
    s.updatedAt = now;
    if (!"waiting_for_user".equals(st)) s.completedAt = now;
    t.state = st;
    t.updatedAt = now;
  }
}
