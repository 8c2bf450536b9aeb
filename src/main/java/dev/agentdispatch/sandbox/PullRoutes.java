package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Pull requests: list, get, update, files, review requests, reviews, merge. */
final class PullRoutes {
  private final SimContext c;

  PullRoutes(SimContext c) {
    this.c = c;
  }

  void register(Router r) {
    r.get("/repos/{owner}/{repo}/pulls", this::list);
    r.post("/repos/{owner}/{repo}/pulls", this::create);
    r.get("/repos/{owner}/{repo}/pulls/{pull_number}", this::get);
    r.patch("/repos/{owner}/{repo}/pulls/{pull_number}", this::update);
    r.get("/repos/{owner}/{repo}/pulls/{pull_number}/files", this::files);
    r.get("/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", this::requested);
    r.post("/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", this::request);
    r.delete("/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", this::unrequest);
    r.get("/repos/{owner}/{repo}/pulls/{pull_number}/reviews", this::reviews);
    r.post("/repos/{owner}/{repo}/pulls/{pull_number}/reviews", this::review);
    r.put("/repos/{owner}/{repo}/pulls/{pull_number}/merge", this::merge);
  }

  private SimResponse list(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "pull_requests", "read", "read");
    String st = req.query("state") == null ? "open" : req.query("state");
    String head = req.query("head");
    String base = req.query("base");
    List<SimPull> out = new ArrayList<>();
    for (SimPull p : repo.pulls.values()) {
      if (!"all".equals(st) && !p.issue.state.equals(st)) continue;
      if (head != null && !head.equals(repo.owner.login + ":" + p.headRef) && !head.equals(p.headRef)) continue;
      if (base != null && !base.equals(p.baseRef)) continue;
      out.add(p);
    }
    Comparator<SimPull> by = "updated".equals(req.query("sort"))
        ? Comparator.comparing(p -> p.issue.updatedAt) : Comparator.comparing(p -> p.issue.createdAt);
    by = by.thenComparing(SimPull::number);
    boolean asc = "asc".equals(req.query("direction"))
        || (req.query("direction") == null && "popularity".equals(req.query("sort")));
    out.sort(asc ? by : by.reversed());
    ArrayNode a = c.render().array();
    out.forEach(p -> a.add(c.pulls().simple(repo, p)));
    return Paging.respond(a, req);
  }

  private SimResponse create(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "pull_requests", "write", "write");
    JsonNode b = req.body();
    if (b == null || !b.hasNonNull("head") || !b.hasNonNull("base")) throw SimError.invalid("PullRequest", "head", "missing_field");
    String head = b.get("head").asText().replaceFirst("^[^:]+:", "");
    SimPull p = c.actions().openPull(repo, c.actor(req), b.path("title").asText(head), req.bodyText("body"), head,
        b.get("base").asText(), b.path("draft").asBoolean(false));
    return SimResponse.created(c.pulls().pull(repo, p));
  }

  private SimResponse get(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "pull_requests", "read", "read");
    return SimResponse.ok(c.pulls().pull(repo, c.pull(repo, req)));
  }

  private SimResponse update(SimRequest req) {
    SimRepo repo = c.repo(req);
    SimPull p = c.pull(repo, req);
    boolean author = c.actor(req) == p.issue.user;
    c.auth().requireRepo(req.principal(), repo, "pull_requests", "write", author ? "read" : "write");
    JsonNode b = req.body() == null ? Sim.JSON.createObjectNode() : req.body();
    if (b.hasNonNull("title") || b.has("body") || b.hasNonNull("base")) {
      ObjectNode changes = Sim.JSON.createObjectNode();
      if (b.hasNonNull("title")) {
        changes.putObject("title").put("from", p.issue.title);
        p.issue.title = b.get("title").asText();
      }
      if (b.has("body")) {
        changes.putObject("body").put("from", p.issue.body == null ? "" : p.issue.body);
        p.issue.body = b.get("body").isNull() ? null : b.get("body").asText();
      }
      if (b.hasNonNull("base")) {
        ObjectNode base = changes.putObject("base");
        base.putObject("ref").put("from", p.baseRef);
        base.putObject("sha").put("from", String.valueOf(repo.branchSha(p.baseRef)));
        p.baseRef = b.get("base").asText();
      }
      p.issue.updatedAt = c.state().clock.now();
      c.state().log(repo.fullName() + "#" + p.number() + ":edit-pull");
      c.hooks().pullRequestEdited(repo, p, c.actor(req), changes);
    }
    if (b.hasNonNull("state")) {
      if (p.merged) throw SimError.invalid("PullRequest", "state", "invalid");
      c.actions().setState(repo, p.issue, b.get("state").asText(), null, c.actor(req));
    }
    return SimResponse.ok(c.pulls().pull(repo, p));
  }

  private SimResponse files(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "pull_requests", "read", "read");
    return Paging.respond(c.pulls().files(repo, c.pull(repo, req)), req);
  }

  private SimResponse requested(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "pull_requests", "read", "read");
    return SimResponse.ok(c.pulls().requested(repo, c.pull(repo, req)));
  }

  /** Reviewers must be able to see the repo and must not be the author; teams must exist (422 otherwise). */
  private SimResponse request(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "pull_requests", "write", "triage");
    SimPull p = c.pull(repo, req);
    JsonNode b = req.body() == null ? Sim.JSON.createObjectNode() : req.body();
    for (JsonNode n : b.path("reviewers")) {
      SimUser u = c.state().user(n.asText());
      if (u == null || "none".equals(c.state().roleOf(repo, u))) {
        throw new SimError(422, "Reviews may only be requested from collaborators. One or more of the users or "
            + "teams you specified is not a collaborator of the " + repo.fullName() + " repository.");
      }
      if (u == p.issue.user) throw new SimError(422, "Review cannot be requested from pull request author.");
    }
    for (JsonNode n : b.path("team_reviewers")) {
      if (c.state().team(repo.owner.login, n.asText()) == null) {
        throw new SimError(422, "Reviews may only be requested from collaborators. One or more of the users or "
            + "teams you specified is not a collaborator of the " + repo.fullName() + " repository.");
      }
    }
    for (JsonNode n : b.path("reviewers")) {
      c.actions().requestReviewer(repo, p, c.actor(req), c.state().user(n.asText()), null);
    }
    for (JsonNode n : b.path("team_reviewers")) {
      c.actions().requestReviewer(repo, p, c.actor(req), null, c.state().team(repo.owner.login, n.asText()));
    }
    return SimResponse.created(c.pulls().simple(repo, p));
  }

  private SimResponse unrequest(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "pull_requests", "write", "triage");
    SimPull p = c.pull(repo, req);
    for (JsonNode n : req.body().path("reviewers")) p.requestedReviewers.removeIf(l -> l.equalsIgnoreCase(n.asText()));
    for (JsonNode n : req.body().path("team_reviewers")) p.requestedTeams.removeIf(t -> t.equalsIgnoreCase(n.asText()));
    c.state().log(repo.fullName() + "#" + p.number() + ":unrequest-review");
    return SimResponse.ok(c.pulls().simple(repo, p));
  }

  private SimResponse reviews(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "pull_requests", "read", "read");
    SimPull p = c.pull(repo, req);
    ArrayNode a = c.render().array();
    p.reviews.forEach(v -> a.add(c.pulls().review(repo, p, v)));
    return Paging.respond(a, req);
  }

  private SimResponse review(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "pull_requests", "write", "read");
    SimPull p = c.pull(repo, req);
    String event = req.bodyText("event");
    if (c.actor(req) == p.issue.user && ("APPROVE".equals(event) || "REQUEST_CHANGES".equals(event))) {
      throw new SimError(422, "Unprocessable Entity",
          errorList("Can not approve your own pull request"), null);
    }
    if (("REQUEST_CHANGES".equals(event) || "COMMENT".equals(event)) && req.bodyText("body") == null) {
      throw new SimError(422, "Unprocessable Entity", errorList("Body is required for " + event), null);
    }
    SimReview v = c.actions().review(repo, p, c.actor(req), event, req.bodyText("body"));
    return SimResponse.ok(c.pulls().review(repo, p, v));
  }

  private static ArrayNode errorList(String message) {
    ArrayNode a = Sim.JSON.createArrayNode();
    a.add(message);
    return a;
  }

  private SimResponse merge(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "contents", "write", "write");
    SimPull p = c.pull(repo, req);
    if (p.merged || !p.issue.state.equals("open")) throw new SimError(405, "Pull Request is not mergeable");
    if (p.draft) throw new SimError(405, "Pull Request is still a draft");
    if (Boolean.FALSE.equals(p.mergeable)) throw new SimError(405, "Pull Request is not mergeable");
    String expected = req.bodyText("sha");
    if (expected != null && !expected.equals(p.headSha)) throw new SimError(409, "Head branch was modified. Review and try the merge again.");
    Map<String, String> headFiles = repo.commits.get(p.headSha);
    String sha = repo.commit(repo.branchSha(p.baseRef), headFiles, "Merge pull request #" + p.number());
    repo.refs.put("heads/" + p.baseRef, sha);
    p.merged = true;
    p.mergedAt = c.state().clock.now();
    p.mergedBy = c.actor(req);
    p.mergeCommitSha = sha;
    c.state().log(repo.fullName() + "#" + p.number() + ":merge");
    c.actions().setState(repo, p.issue, "closed", null, c.actor(req));
    ObjectNode n = Templates.of("merge-result");
    n.put("sha", sha).put("merged", true).put("message", "Pull Request successfully merged");
    return SimResponse.ok(n);
  }
}
