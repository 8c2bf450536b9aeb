package dev.agentdispatch.sandbox;

import java.util.Map;

/**
 * Changes to the world that GitHub announces with a webhook; used by the REST routes, the simulated agent and
 * the seeding API alike. Each writes one readable write-log line ("owner/repo#12:label:agent-task").
 */
final class SimActions {
  private final SimState state;
  private final Hooks hooks;

  SimActions(SimState state, Hooks hooks) {
    this.state = state;
    this.hooks = hooks;
  }

  SimIssue openIssue(SimRepo repo, SimUser by, String title, String body) {
    SimIssue i = new SimIssue(state.nextId(), repo.nextNumber(), by, false, title, body, state.clock.now());
    repo.issues.put(i.number, i);
    state.log(repo.fullName() + "#" + i.number + ":open:" + title);
    hooks.issues("opened", repo, i, by, null);
    return i;
  }

  SimLabel ensureLabel(SimRepo repo, String name) {
    return repo.labels.computeIfAbsent(name, n -> new SimLabel(state.nextId(), n, "ededed", null));
  }

  void addLabel(SimRepo repo, SimIssue i, String name, SimUser by) {
    SimLabel l = ensureLabel(repo, name);
    if (i.labels.contains(l.name)) return;
    i.labels.add(l.name);
    touch(i);
    state.log(repo.fullName() + "#" + i.number + ":label:" + l.name);
    if (i.isPull) hooks.pullRequest("labeled", repo, repo.pulls.get(i.number), by, null, null);
    else hooks.issues("labeled", repo, i, by, l);
  }

  void removeLabel(SimRepo repo, SimIssue i, String name, SimUser by) {
    if (!i.labels.remove(name)) throw new SimError(404, "Label does not exist");
    touch(i);
    state.log(repo.fullName() + "#" + i.number + ":unlabel:" + name);
    if (i.isPull) hooks.pullRequest("unlabeled", repo, repo.pulls.get(i.number), by, null, null);
    else hooks.issues("unlabeled", repo, i, by, repo.labels.get(name));
  }

  SimComment comment(SimRepo repo, SimIssue i, String body, SimUser by) {
    SimComment c = new SimComment(state.nextId(), repo.fullName(), i.number, by, body, state.clock.now());
    state.comments.put(c.id, c);
    touch(i);
    state.log(repo.fullName() + "#" + i.number + ":comment:" + body);
    hooks.issueComment("created", repo, i, c, by, null);
    return c;
  }

  void editComment(SimRepo repo, SimComment c, String body, SimUser by) {
    com.fasterxml.jackson.databind.node.ObjectNode changes = Sim.JSON.createObjectNode();
    changes.putObject("body").put("from", c.body);
    c.body = body;
    c.updatedAt = state.clock.now();
    state.log(repo.fullName() + "#" + c.issueNumber + ":edit-comment:" + c.id);
    hooks.issueComment("edited", repo, repo.issues.get(c.issueNumber), c, by, changes);
  }

  /** Closes or reopens an issue or pull request. */
  void setState(SimRepo repo, SimIssue i, String newState, String reason, SimUser by) {
    if (newState.equals(i.state)) return;
    i.state = newState;
    i.stateReason = "closed".equals(newState) ? (reason == null ? "completed" : reason) : "reopened";
    i.closedAt = "closed".equals(newState) ? state.clock.now() : null;
    i.closedBy = "closed".equals(newState) ? by : null;
    touch(i);
    state.log(repo.fullName() + "#" + i.number + ":" + ("closed".equals(newState) ? "close" : "reopen"));
    String action = "closed".equals(newState) ? "closed" : "reopened";
    if (i.isPull) hooks.pullRequest(action, repo, repo.pulls.get(i.number), by, null, null);
    else hooks.issues(action, repo, i, by, null);
  }

  SimPull openPull(SimRepo repo, SimUser by, String title, String body, String head, String base, boolean draft) {
    String sha = repo.branchSha(head);
    if (sha == null) throw SimError.invalid("PullRequest", "head", "invalid");
    SimIssue i = new SimIssue(state.nextId(), repo.nextNumber(), by, true, title, body, state.clock.now());
    repo.issues.put(i.number, i);
    SimPull p = new SimPull(state.nextId(), i, head, sha, base, draft);
    repo.pulls.put(i.number, p);
    state.log(repo.fullName() + "#" + i.number + ":open-pull:" + head + "->" + base + (draft ? ":draft" : ""));
    hooks.pullRequest("opened", repo, p, by, null, null);
    if (!draft) requestCodeOwners(repo, p, by);
    return p;
  }

  /** Requests a reviewer (user login or team slug) unless already requested; sends review_requested. */
  void requestReviewer(SimRepo repo, SimPull p, SimUser by, SimUser user, SimTeam team) {
    boolean added = user != null ? p.requestedReviewers.add(user.login) : p.requestedTeams.add(team.slug);
    if (!added) return;
    state.log(repo.fullName() + "#" + p.number() + ":request-review:"
        + (user != null ? user.login : team.org + "/" + team.slug));
    hooks.reviewRequested(repo, p, by, user, team);
  }

  /** GitHub requests code owners of the changed files when a PR is opened or marked ready (not for drafts). */
  void requestCodeOwners(SimRepo repo, SimPull p, SimUser by) {
    String baseSha = repo.branchSha(p.baseRef);
    CodeOwners owners = baseSha == null ? null : CodeOwners.of(repo.commits.get(baseSha));
    if (owners == null) return;
    Map<String, String> head = repo.commits.getOrDefault(p.headSha, Map.of());
    Map<String, String> base = repo.commits.get(baseSha);
    java.util.Set<String> changed = new java.util.TreeSet<>();
    head.forEach((k, v) -> { if (!v.equals(base.get(k))) changed.add(k); });
    base.keySet().stream().filter(k -> !head.containsKey(k)).forEach(changed::add);
    for (String o : owners.ownersOf(changed)) {
      if (!o.startsWith("@")) continue;
      String name = o.substring(1);
      if (name.contains("/")) {
        String[] t = name.split("/", 2);
        SimTeam team = state.team(t[0], t[1]);
        String role = repo.teamPermissions.getOrDefault(team == null ? "" : team.org + "/" + team.slug, "none");
        if (team != null && Roles.atLeast(role, "write")) requestReviewer(repo, p, by, null, team);
      } else {
        SimUser u = state.user(name);
        if (u != null && u != p.issue.user && Roles.atLeast(state.roleOf(repo, u), "write")) {
          requestReviewer(repo, p, by, u, null);
        }
      }
    }
  }

  /** Pushes a commit on a branch; open pull requests from that branch get pull_request.synchronize. */
  String push(SimRepo repo, String branch, Map<String, String> changes, String message, SimUser by) {
    String before = repo.branchSha(branch);
    String sha = repo.commit(before, changes, message);
    repo.refs.put("heads/" + branch, sha);
    state.log(repo.fullName() + ":push:" + branch + ":" + sha.substring(0, 7));
    for (SimPull p : repo.pulls.values()) {
      if (p.headRef.equals(branch) && p.issue.state.equals("open")) {
        p.headSha = sha;
        touch(p.issue);
        hooks.pullRequest("synchronize", repo, p, by, before, sha);
      }
    }
    return sha;
  }

  void readyForReview(SimRepo repo, SimPull p, SimUser by) {
    p.draft = false;
    touch(p.issue);
    state.log(repo.fullName() + "#" + p.number() + ":ready-for-review");
    hooks.pullRequest("ready_for_review", repo, p, by, null, null);
    requestCodeOwners(repo, p, by);
  }

  SimReview review(SimRepo repo, SimPull p, SimUser by, String event, String body) {
    String st = switch (event == null ? "PENDING" : event) {
      case "APPROVE" -> "APPROVED";
      case "REQUEST_CHANGES" -> "CHANGES_REQUESTED";
      case "COMMENT" -> "COMMENTED";
      default -> "PENDING";
    };
    SimReview v = new SimReview(state.nextId(), by, body == null ? "" : body, st, p.headSha,
        "PENDING".equals(st) ? null : state.clock.now());
    p.reviews.add(v);
    p.requestedReviewers.remove(by.login);
    state.log(repo.fullName() + "#" + p.number() + ":review:" + st);
    if (!"PENDING".equals(st)) hooks.pullRequestReview(repo, p, v, by);
    return v;
  }

  /** A check run completed: check_run.completed, and check_suite.completed once every run of its suite is. */
  void checkRunCompleted(SimRepo repo, SimCheckRun run, SimUser by) {
    hooks.checkRun("completed", repo, run, by);
    var suite = state.checkRuns.values().stream().filter(x -> x.suiteId == run.suiteId).toList();
    if (suite.stream().allMatch(x -> "completed".equals(x.status))) {
      String concl = suite.stream().allMatch(x -> "success".equals(x.conclusion) || "neutral".equals(x.conclusion)
          || "skipped".equals(x.conclusion)) ? "success" : "failure";
      String branch = repo.refs.entrySet().stream().filter(e -> e.getValue().equals(run.headSha))
          .map(e -> e.getKey().replaceFirst("^heads/", "")).findFirst().orElse(null);
      hooks.checkSuiteCompleted(repo, run.suiteId, run.headSha, branch, concl, by);
    }
  }

  /**
   * A check run reported on a commit by a CI app (not this app): created, and completed at once when a conclusion
   * is given, with the webhooks GitHub sends. A run of that name still in progress on the commit is completed.
   */
  SimCheckRun reportCheckRun(SimRepo repo, String sha, String name, String conclusion, SimUser by) {
    SimCheckRun running = state.checkRuns.values().stream().filter(x -> x.repo.equals(repo.fullName())
        && x.headSha.equals(sha) && x.name.equals(name) && !"completed".equals(x.status)).findFirst().orElse(null);
    if (running != null && conclusion != null) {
      running.status = "completed";
      running.conclusion = conclusion;
      running.completedAt = state.clock.now();
      state.log(repo.fullName() + ":check-run:" + name + ":completed:" + conclusion);
      checkRunCompleted(repo, running, by);
      return running;
    }
    long suite = state.checkRuns.values().stream().filter(x -> x.repo.equals(repo.fullName()) && x.headSha.equals(sha))
        .mapToLong(x -> x.suiteId).findFirst().orElse(state.nextId());
    SimCheckRun run = new SimCheckRun(state.nextId(), repo.fullName(), sha, suite, name);
    run.startedAt = state.clock.now();
    run.status = conclusion == null ? "in_progress" : "completed";
    run.conclusion = conclusion;
    run.completedAt = conclusion == null ? null : state.clock.now();
    state.checkRuns.put(run.id, run);
    state.log(repo.fullName() + ":check-run:" + name + ":" + run.status + (conclusion == null ? "" : ":" + conclusion));
    hooks.checkRun("created", repo, run, by);
    if (conclusion != null) checkRunCompleted(repo, run, by);
    return run;
  }

  private void touch(SimIssue i) { i.updatedAt = state.clock.now(); }
}
