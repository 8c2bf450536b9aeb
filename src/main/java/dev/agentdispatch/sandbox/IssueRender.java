package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** JSON for issues, labels, comments and reactions. */
final class IssueRender {
  private final SimState state;
  private final Render r;

  IssueRender(SimState state, Render r) {
    this.state = state;
    this.r = r;
  }

  ObjectNode label(SimRepo repo, SimLabel l) {
    ObjectNode n = Templates.of("label");
    n.put("id", l.id).put("node_id", Sim.nodeId("LA", l.id))
        .put("url", r.api() + "/repos/" + repo.fullName() + "/labels/" + l.name.replace(" ", "%20"))
        .put("name", l.name).put("color", l.color).put("description", l.description).put("default", false);
    return n;
  }

  ArrayNode labels(SimRepo repo, SimIssue i) {
    ArrayNode a = r.array();
    for (String name : i.labels) a.add(label(repo, repo.labels.get(name)));
    return a;
  }

  ObjectNode issue(SimRepo repo, SimIssue i) {
    ObjectNode n = Templates.of("issue");
    String base = r.api() + "/repos/" + repo.fullName() + "/issues/" + i.number;
    Templates.rewrite(n, Map.of("https://api.github.com/repos/octocat/Hello-World/issues/1347", base));
    Templates.rewrite(n, r.repoUrls(repo.fullName()));
    n.put("id", i.id).put("node_id", Sim.nodeId("I", i.id)).put("url", base).put("number", i.number)
        .put("html_url", Render.HTML + "/" + repo.fullName() + (i.isPull ? "/pull/" : "/issues/") + i.number)
        .put("state", i.state).put("title", i.title).put("body", i.body).put("locked", false)
        .put("comments", state.comments.values().stream()
            .filter(c -> c.repo.equals(repo.fullName()) && c.issueNumber == i.number).count())
        .put("created_at", Sim.ts(i.createdAt)).put("updated_at", Sim.ts(i.updatedAt))
        .put("closed_at", Sim.ts(i.closedAt)).put("state_reason", i.stateReason)
        .put("author_association", association(repo, i.user));
    n.set("user", r.user(i.user));
    n.set("labels", labels(repo, i));
    ArrayNode assignees = n.putArray("assignees");
    for (String a : i.assignees) assignees.add(r.user(state.user(a)));
    if (assignees.isEmpty()) n.putNull("assignee");
    else n.set("assignee", assignees.get(0));
    n.putNull("milestone").putNull("active_lock_reason").putNull("pinned_comment");
    n.set("reactions", rollup(base + "/reactions", 0));
    if (i.closedBy == null) n.putNull("closed_by");
    else n.set("closed_by", r.user(i.closedBy));
    if (i.isPull) {
      String pr = r.api() + "/repos/" + repo.fullName() + "/pulls/" + i.number;
      String html = Render.HTML + "/" + repo.fullName() + "/pull/" + i.number;
      ObjectNode p = n.putObject("pull_request");
      SimPull pull = repo.pulls.get(i.number);
      p.put("url", pr).put("html_url", html).put("diff_url", html + ".diff").put("patch_url", html + ".patch")
          .put("merged_at", pull == null ? null : Sim.ts(pull.mergedAt));
    } else {
      n.remove("pull_request");
    }
    return n;
  }

  /** author_association as GitHub derives it from the role on the repository. */
  String association(SimRepo repo, SimUser u) {
    if (u.login.equalsIgnoreCase(repo.owner.login)) return "OWNER";
    String role = state.roleOf(repo, u);
    if (!"none".equals(role)) return "admin".equals(role) || "maintain".equals(role) ? "MEMBER" : "COLLABORATOR";
    return "NONE";
  }

  ObjectNode comment(SimRepo repo, SimComment c) {
    ObjectNode n = Templates.of("issue-comment");
    SimIssue i = repo.issues.get(c.issueNumber);
    n.put("id", c.id).put("node_id", Sim.nodeId("IC", c.id))
        .put("url", r.api() + "/repos/" + repo.fullName() + "/issues/comments/" + c.id)
        .put("html_url", Render.HTML + "/" + repo.fullName() + (i.isPull ? "/pull/" : "/issues/") + c.issueNumber
            + "#issuecomment-" + c.id)
        .put("body", c.body).put("created_at", Sim.ts(c.createdAt)).put("updated_at", Sim.ts(c.updatedAt))
        .put("issue_url", r.api() + "/repos/" + repo.fullName() + "/issues/" + c.issueNumber)
        .put("author_association", association(repo, c.user));
    n.set("user", r.user(c.user));
    n.remove("pin");
    n.remove("minimized");
    n.putNull("performed_via_github_app");
    ObjectNode reactions = rollup(r.api() + "/repos/" + repo.fullName() + "/issues/comments/" + c.id + "/reactions",
        c.reactions.size());
    for (String k : KINDS) reactions.put(k, c.reactions.stream().filter(x -> x.content().equals(k)).count());
    n.set("reactions", reactions);
    return n;
  }

  private static final String[] KINDS = {"+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket"};

  /** The reaction-rollup object (counts per reaction kind). */
  private static ObjectNode rollup(String url, int total) {
    ObjectNode n = Sim.JSON.createObjectNode().put("url", url).put("total_count", total);
    for (String k : KINDS) n.put(k, 0);
    return n;
  }

  ObjectNode reaction(SimComment.SimReaction x) {
    ObjectNode n = Templates.of("reaction");
    n.put("id", x.id()).put("node_id", Sim.nodeId("REA", x.id())).put("content", x.content())
        .put("created_at", Sim.ts(x.createdAt()));
    n.set("user", r.user(x.user()));
    return n;
  }
}
