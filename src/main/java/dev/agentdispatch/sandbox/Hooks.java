package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the webhook payloads GitHub sends to the app (shapes as in shared/github/webhook-examples) and hands
 * them to the {@link WebhookSender}. Only repositories the app is installed on, only subscribed events.
 */
final class Hooks {
  private final SimState state;
  private final Render r;
  private final IssueRender ir;
  private final PullRender pr;
  private final MiscRender mr;
  private final WebhookSender sender;

  Hooks(SimState state, Render r, IssueRender ir, PullRender pr, MiscRender mr, WebhookSender sender) {
    this.state = state;
    this.r = r;
    this.ir = ir;
    this.pr = pr;
    this.mr = mr;
    this.sender = sender;
  }

  void issues(String action, SimRepo repo, SimIssue issue, SimUser by, SimLabel label) {
    ObjectNode p = start(action);
    p.set("issue", ir.issue(repo, issue));
    if (label != null) p.set("label", ir.label(repo, label));
    emit("issues", action, repo, by, p);
  }

  /** issues.edited with changes {title|body: {from}}. */
  void issuesEdited(SimRepo repo, SimIssue issue, SimUser by, ObjectNode changes) {
    ObjectNode p = start("edited");
    p.set("issue", ir.issue(repo, issue));
    p.set("changes", changes);
    emit("issues", "edited", repo, by, p);
  }

  void issueComment(String action, SimRepo repo, SimIssue issue, SimComment c, SimUser by, ObjectNode changes) {
    ObjectNode p = start(action);
    if (changes != null) p.set("changes", changes);
    p.set("issue", ir.issue(repo, issue));
    p.set("comment", ir.comment(repo, c));
    emit("issue_comment", action, repo, by, p);
  }

  void pullRequest(String action, SimRepo repo, SimPull pull, SimUser by, String before, String after) {
    ObjectNode p = start(action);
    p.put("number", pull.number());
    if (before != null) p.put("before", before).put("after", after);
    p.set("pull_request", pr.pull(repo, pull));
    emit("pull_request", action, repo, by, p);
  }

  /** pull_request.edited with changes {title|body|base: {from}}. */
  void pullRequestEdited(SimRepo repo, SimPull pull, SimUser by, ObjectNode changes) {
    ObjectNode p = start("edited");
    p.put("number", pull.number());
    p.set("changes", changes);
    p.set("pull_request", pr.pull(repo, pull));
    emit("pull_request", "edited", repo, by, p);
  }

  /** pull_request.review_requested for one user or one team. */
  void reviewRequested(SimRepo repo, SimPull pull, SimUser by, SimUser reviewer, SimTeam team) {
    ObjectNode p = start("review_requested");
    p.put("number", pull.number());
    p.set("pull_request", pr.pull(repo, pull));
    if (reviewer != null) p.set("requested_reviewer", r.user(reviewer));
    else p.set("requested_team", r.team(team));
    emit("pull_request", "review_requested", repo, by, p);
  }

  void pullRequestReview(SimRepo repo, SimPull pull, SimReview review, SimUser by) {
    ObjectNode p = start("submitted");
    p.set("review", pr.review(repo, pull, review));
    p.set("pull_request", pr.simple(repo, pull));
    emit("pull_request_review", "submitted", repo, by, p);
  }

  void checkRun(String action, SimRepo repo, SimCheckRun run, SimUser by) {
    ObjectNode p = start(action);
    p.set("check_run", mr.checkRun(repo, run));
    emit("check_run", action, repo, by, p);
  }

  void checkSuiteCompleted(SimRepo repo, long suiteId, String headSha, String headBranch, String conclusion, SimUser by) {
    ObjectNode p = start("completed");
    ObjectNode s = p.putObject("check_suite");
    s.put("id", suiteId).put("node_id", Sim.nodeId("CS", suiteId)).put("head_branch", headBranch)
        .put("head_sha", headSha).put("status", "completed").put("conclusion", conclusion)
        .put("url", r.api() + "/repos/" + repo.fullName() + "/check-suites/" + suiteId)
        .put("before", "0000000000000000000000000000000000000000").put("after", headSha)
        .put("latest_check_runs_count", state.checkRuns.values().stream().filter(x -> x.suiteId == suiteId).count())
        .put("check_runs_url", r.api() + "/repos/" + repo.fullName() + "/check-suites/" + suiteId + "/check-runs")
        .put("created_at", Sim.ts(state.clock.now())).put("updated_at", Sim.ts(state.clock.now()));
    s.set("app", r.app(state.app));
    s.putArray("pull_requests");
    ObjectNode commit = s.putObject("head_commit");
    commit.put("id", headSha).put("tree_id", Sim.sha1("tree", headSha))
        .put("message", repo.commitMessages.getOrDefault(headSha, "")).put("timestamp", Sim.ts(state.clock.now()));
    commit.putObject("author").put("name", "Simulated Author").put("email", "author@users.noreply.github.com");
    commit.putObject("committer").put("name", "GitHub").put("email", "noreply@github.com");
    emit("check_suite", "completed", repo, by, p);
  }

  /** installation.created: the full installation object plus the repositories it reaches. */
  void installationCreated(SimInstallation inst, SimUser by) {
    ObjectNode p = start("created");
    p.set("installation", r.installation(inst));
    var repos = p.putArray("repositories");
    for (String full : state.reposOf(inst)) {
      SimRepo repo = state.repo(full);
      repos.addObject().put("id", repo.id).put("node_id", Sim.nodeId("R", repo.id)).put("name", repo.name)
          .put("full_name", repo.fullName()).put("private", repo.isPrivate);
    }
    p.set("requester", r.user(by));
    p.set("sender", r.user(by));
    sender.send("installation", "created", inst.id, null, p);
  }

  /** github_app_authorization.revoked: sent whatever the app subscribed to; no installation, no repository. */
  void authorizationRevoked(SimUser user) {
    if (state.app == null) return;
    ObjectNode p = start("revoked");
    p.set("sender", r.user(user));
    sender.send("github_app_authorization", "revoked", null, null, p);
  }

  private static ObjectNode start(String action) {
    return Sim.JSON.createObjectNode().put("action", action);
  }

  private void emit(String event, String action, SimRepo repo, SimUser by, ObjectNode p) {
    SimInstallation inst = state.installationFor(repo);
    if (inst == null || state.app == null || !state.app.events.contains(event)) return;
    p.set("repository", r.repo(repo));
    if ("Organization".equals(repo.owner.type)) p.set("organization", r.org(repo.owner));
    p.set("sender", r.user(by));
    p.set("installation", r.installationRef(inst.id));
    sender.send(event, action, inst.id, repo.id, p);
  }
}
