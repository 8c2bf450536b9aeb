package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;

/** Issues, labels, issue comments and comment reactions. */
final class IssueRoutes {
  private final SimContext c;

  IssueRoutes(SimContext c) {
    this.c = c;
  }

  void register(Router r) {
    r.get("/repos/{owner}/{repo}/issues", this::list);
    r.post("/repos/{owner}/{repo}/issues", this::create);
    r.get("/repos/{owner}/{repo}/issues/{issue_number}", this::get);
    r.patch("/repos/{owner}/{repo}/issues/{issue_number}", this::update);
    r.post("/repos/{owner}/{repo}/issues/{issue_number}/labels", this::addLabels);
    r.delete("/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", this::removeLabel);
    r.post("/repos/{owner}/{repo}/labels", this::createLabel);
    r.get("/repos/{owner}/{repo}/issues/{issue_number}/comments", this::comments);
    r.post("/repos/{owner}/{repo}/issues/{issue_number}/comments", this::comment);
    r.patch("/repos/{owner}/{repo}/issues/comments/{comment_id}", this::editComment);
    r.post("/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", this::react);
  }

  private SimResponse list(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "issues", "read", "read");
    String st = req.query("state") == null ? "open" : req.query("state");
    String label = req.query("labels");
    ArrayNode a = c.render().array();
    for (SimIssue i : repo.issues.values()) {
      if (!"all".equals(st) && !i.state.equals(st)) continue;
      if (label != null && !i.labels.containsAll(List.of(label.split(",")))) continue;
      a.add(c.issues().issue(repo, i));
    }
    return Paging.respond(a, req);
  }

  private SimResponse create(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "issues", "write", "read");
    SimIssue i = c.actions().openIssue(repo, c.actor(req), req.body().get("title").asText(), req.bodyText("body"));
    for (JsonNode l : req.body().path("labels")) c.actions().addLabel(repo, i, labelName(l), c.actor(req));
    return SimResponse.created(c.issues().issue(repo, i));
  }

  private SimResponse get(SimRequest req) {
    SimRepo repo = c.repo(req);
    SimIssue i = c.issue(repo, req);
    c.requireIssue(req, repo, i, "read", "read");
    return SimResponse.ok(c.issues().issue(repo, i));
  }

  private SimResponse update(SimRequest req) {
    SimRepo repo = c.repo(req);
    SimIssue i = c.issue(repo, req);
    boolean author = req.principal().user() != null && req.principal().user() == i.user;
    c.requireIssue(req, repo, i, "write", author ? "read" : "triage");
    JsonNode b = req.body() == null ? Sim.JSON.createObjectNode() : req.body();
    SimUser by = c.actor(req);
    if (b.hasNonNull("title") || b.has("body")) {
      com.fasterxml.jackson.databind.node.ObjectNode changes = Sim.JSON.createObjectNode();
      if (b.hasNonNull("title")) changes.putObject("title").put("from", i.title);
      if (b.has("body")) changes.putObject("body").put("from", i.body);
      if (b.hasNonNull("title")) i.title = b.get("title").asText();
      if (b.has("body")) i.body = b.get("body").isNull() ? null : b.get("body").asText();
      i.updatedAt = c.state().clock.now();
      c.state().log(repo.fullName() + "#" + i.number + ":edit");
      c.hooks().issuesEdited(repo, i, by, changes); // as GitHub sends on a title or body edit
    }
    if (b.has("labels")) {
      List<String> want = new ArrayList<>();
      for (JsonNode l : b.get("labels")) want.add(labelName(l));
      for (String old : List.copyOf(i.labels)) if (!want.contains(old)) c.actions().removeLabel(repo, i, old, by);
      for (String l : want) c.actions().addLabel(repo, i, l, by);
    }
    if (b.hasNonNull("state")) c.actions().setState(repo, i, b.get("state").asText(), req.bodyText("state_reason"), by);
    return SimResponse.ok(c.issues().issue(repo, i));
  }

  private SimResponse addLabels(SimRequest req) {
    SimRepo repo = c.repo(req);
    SimIssue i = c.issue(repo, req);
    c.requireIssue(req, repo, i, "write", "triage");
    JsonNode b = req.body();
    JsonNode list = b == null ? Sim.JSON.createArrayNode() : b.isArray() ? b : b.path("labels");
    if (list.isEmpty()) throw SimError.invalid("Label", "labels", "missing_field");
    for (JsonNode l : list) c.actions().addLabel(repo, i, labelName(l), c.actor(req));
    return SimResponse.ok(c.issues().labels(repo, i));
  }

  private static String labelName(JsonNode l) {
    return l.isObject() ? l.path("name").asText() : l.asText();
  }

  private SimResponse removeLabel(SimRequest req) {
    SimRepo repo = c.repo(req);
    SimIssue i = c.issue(repo, req);
    c.requireIssue(req, repo, i, "write", "triage");
    c.actions().removeLabel(repo, i, req.param("name"), c.actor(req));
    return SimResponse.ok(c.issues().labels(repo, i));
  }

  private SimResponse createLabel(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "issues", "write", "write");
    String name = req.bodyText("name");
    if (repo.labels.containsKey(name)) throw SimError.invalid("Label", "name", "already_exists");
    SimLabel l = c.actions().ensureLabel(repo, name);
    if (req.bodyText("color") != null) l.color = req.bodyText("color").replace("#", "");
    l.description = req.bodyText("description");
    c.state().log(repo.fullName() + ":create-label:" + name);
    return SimResponse.created(c.issues().label(repo, l));
  }

  private SimResponse comments(SimRequest req) {
    SimRepo repo = c.repo(req);
    SimIssue i = c.issue(repo, req);
    c.requireIssue(req, repo, i, "read", "read");
    java.time.Instant since = req.queryInstant("since");
    ArrayNode a = c.render().array();
    c.state().comments.values().stream().filter(x -> x.repo.equals(repo.fullName()) && x.issueNumber == i.number)
        .filter(x -> since == null || !x.updatedAt.isBefore(since))
        .forEach(x -> a.add(c.issues().comment(repo, x)));
    return Paging.respond(a, req);
  }

  private SimResponse comment(SimRequest req) {
    SimRepo repo = c.repo(req);
    SimIssue i = c.issue(repo, req);
    c.requireIssue(req, repo, i, "write", "read");
    SimComment x = c.actions().comment(repo, i, req.bodyText("body"), c.actor(req));
    c.agent().onComment(repo, i, x);
    return SimResponse.created(c.issues().comment(repo, x));
  }

  private SimComment findComment(SimRepo repo, SimRequest req) {
    SimComment x = c.state().comments.get(req.longParam("comment_id"));
    if (x == null || !x.repo.equals(repo.fullName())) throw SimError.notFound();
    return x;
  }

  private SimResponse editComment(SimRequest req) {
    SimRepo repo = c.repo(req);
    SimComment x = findComment(repo, req);
    boolean author = c.actor(req) == x.user;
    c.requireIssue(req, repo, repo.issues.get(x.issueNumber), "write", author ? "read" : "triage");
    c.actions().editComment(repo, x, req.bodyText("body"), c.actor(req));
    return SimResponse.ok(c.issues().comment(repo, x));
  }

  /** 201 for a new reaction, 200 with the existing one when this actor already reacted so. */
  private SimResponse react(SimRequest req) {
    SimRepo repo = c.repo(req);
    SimComment x = findComment(repo, req);
    c.requireIssue(req, repo, repo.issues.get(x.issueNumber), "write", "read");
    SimUser by = c.actor(req);
    String content = req.bodyText("content");
    for (SimComment.SimReaction old : x.reactions) {
      if (old.user() == by && old.content().equals(content)) return SimResponse.ok(c.issues().reaction(old));
    }
    SimComment.SimReaction n = new SimComment.SimReaction(c.state().nextId(), by, content, c.state().clock.now());
    x.reactions.add(n);
    c.state().log(repo.fullName() + "#" + x.issueNumber + ":react:" + content + ":" + x.id);
    return SimResponse.created(c.issues().reaction(n));
  }
}
