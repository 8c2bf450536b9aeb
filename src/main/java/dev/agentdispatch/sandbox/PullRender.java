package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** JSON for pull requests, their files, reviews and review requests. */
final class PullRender {
  private final SimState state;
  private final Render r;
  private final IssueRender issues;

  PullRender(SimState state, Render r, IssueRender issues) {
    this.state = state;
    this.r = r;
    this.issues = issues;
  }

  /** pull-request (full) */
  ObjectNode pull(SimRepo repo, SimPull p) {
    ObjectNode n = Templates.of("pull-request");
    fill(n, repo, p);
    int[] diff = diffStats(repo, p);
    n.put("merged", p.merged).put("rebaseable", p.mergeable).put("mergeable_state", p.mergeableState)
        .put("comments", state.comments.values().stream()
            .filter(c -> c.repo.equals(repo.fullName()) && c.issueNumber == p.number()).count())
        .put("review_comments", 0).put("maintainer_can_modify", false).put("commits", 1)
        .put("additions", diff[0]).put("deletions", diff[1]).put("changed_files", diff[2]);
    if (p.mergeable == null) n.putNull("mergeable");
    else n.put("mergeable", p.mergeable);
    if (p.mergedBy == null) n.putNull("merged_by");
    else n.set("merged_by", r.user(p.mergedBy));
    return n;
  }

  /** pull-request-simple (lists, review-request answers) */
  ObjectNode simple(SimRepo repo, SimPull p) {
    ObjectNode n = Templates.of("pull-request-simple");
    fill(n, repo, p);
    return n;
  }

  private void fill(ObjectNode n, SimRepo repo, SimPull p) {
    SimIssue i = p.issue;
    String html = Render.HTML + "/" + repo.fullName() + "/pull/" + i.number;
    Templates.rewrite(n, Map.of("/pulls/1347", "/pulls/" + i.number, "/issues/1347", "/issues/" + i.number,
        "/pull/1347", "/pull/" + i.number));
    Templates.rewrite(n, r.repoUrls(repo.fullName()));
    n.put("url", r.api() + "/repos/" + repo.fullName() + "/pulls/" + i.number).put("id", p.id)
        .put("node_id", Sim.nodeId("PR", p.id)).put("html_url", html).put("diff_url", html + ".diff")
        .put("patch_url", html + ".patch").put("number", i.number).put("state", i.state).put("locked", false)
        .put("title", i.title).put("body", i.body).put("created_at", Sim.ts(i.createdAt))
        .put("updated_at", Sim.ts(i.updatedAt)).put("closed_at", Sim.ts(i.closedAt))
        .put("merged_at", Sim.ts(p.mergedAt)).put("merge_commit_sha", p.mergeCommitSha)
        .put("author_association", issues.association(repo, i.user)).put("draft", p.draft)
        .put("statuses_url", r.api() + "/repos/" + repo.fullName() + "/statuses/" + p.headSha);
    n.set("user", r.user(i.user));
    n.set("labels", issues.labels(repo, i));
    n.putNull("milestone").putNull("active_lock_reason").putNull("auto_merge").putNull("assignee");
    n.putArray("assignees");
    ArrayNode rr = n.putArray("requested_reviewers");
    p.requestedReviewers.forEach(l -> rr.add(r.user(state.user(l))));
    ArrayNode rt = n.putArray("requested_teams");
    p.requestedTeams.forEach(t -> rt.add(r.team(state.team(repo.owner.login, t))));
    n.set("head", branch(repo, p.headRef, p.headSha));
    n.set("base", branch(repo, p.baseRef, Objects.requireNonNullElse(repo.branchSha(p.baseRef), p.headSha)));
  }

  private ObjectNode branch(SimRepo repo, String ref, String sha) {
    ObjectNode b = Sim.JSON.createObjectNode();
    b.put("label", repo.owner.login + ":" + ref).put("ref", ref).put("sha", sha);
    b.set("user", r.user(repo.owner));
    b.set("repo", r.repo(repo));
    return b;
  }

  /** Changed files between the base branch and the head commit, as diff-entry items. */
  ArrayNode files(SimRepo repo, SimPull p) {
    ArrayNode a = r.array();
    Map<String, String> head = repo.commits.getOrDefault(p.headSha, Map.of());
    String baseSha = repo.branchSha(p.baseRef);
    Map<String, String> base = baseSha == null ? Map.of() : repo.commits.getOrDefault(baseSha, Map.of());
    TreeSet<String> paths = new TreeSet<>(head.keySet());
    paths.addAll(base.keySet());
    for (String path : paths) {
      String before = base.get(path);
      String after = head.get(path);
      if (Objects.equals(before, after)) continue;
      String status = before == null ? "added" : after == null ? "removed" : "modified";
      int add = after == null ? 0 : after.split("\n", -1).length;
      int del = before == null ? 0 : before.split("\n", -1).length;
      ObjectNode f = Templates.of("diff-entry");
      String blob = Sim.sha1(path, String.valueOf(after));
      f.put("sha", blob).put("filename", path).put("status", status).put("additions", add).put("deletions", del)
          .put("changes", add + del)
          .put("blob_url", Render.HTML + "/" + repo.fullName() + "/blob/" + p.headSha + "/" + path)
          .put("raw_url", Render.HTML + "/" + repo.fullName() + "/raw/" + p.headSha + "/" + path)
          .put("contents_url", r.api() + "/repos/" + repo.fullName() + "/contents/" + path + "?ref=" + p.headSha)
          .put("patch", "@@ -1," + del + " +1," + add + " @@");
      a.add(f);
    }
    return a;
  }

  private int[] diffStats(SimRepo repo, SimPull p) {
    int add = 0, del = 0;
    ArrayNode f = files(repo, p);
    for (var e : f) {
      add += e.get("additions").asInt();
      del += e.get("deletions").asInt();
    }
    return new int[] {add, del, f.size()};
  }

  ObjectNode review(SimRepo repo, SimPull p, SimReview v) {
    ObjectNode n = Templates.of("pull-request-review");
    String html = Render.HTML + "/" + repo.fullName() + "/pull/" + p.number() + "#pullrequestreview-" + v.id();
    String prUrl = r.api() + "/repos/" + repo.fullName() + "/pulls/" + p.number();
    n.put("id", v.id()).put("node_id", Sim.nodeId("PRR", v.id())).put("body", v.body()).put("state", v.state())
        .put("html_url", html).put("pull_request_url", prUrl).put("submitted_at", Sim.ts(v.submittedAt()))
        .put("commit_id", v.commitId()).put("author_association", issues.association(repo, v.user()));
    n.set("user", r.user(v.user()));
    ObjectNode links = n.putObject("_links");
    links.putObject("html").put("href", html);
    links.putObject("pull_request").put("href", prUrl);
    return n;
  }

  /** pull-request-review-request {users, teams} */
  ObjectNode requested(SimRepo repo, SimPull p) {
    ObjectNode n = Sim.JSON.createObjectNode();
    ArrayNode u = n.putArray("users");
    p.requestedReviewers.forEach(l -> u.add(r.user(state.user(l))));
    ArrayNode t = n.putArray("teams");
    p.requestedTeams.forEach(s -> t.add(r.team(state.team(repo.owner.login, s))));
    return n;
  }
}
