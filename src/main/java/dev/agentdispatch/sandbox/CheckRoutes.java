package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Check runs (apps with checks:write only) and repository rulesets. */
final class CheckRoutes {
  private final SimContext c;

  CheckRoutes(SimContext c) {
    this.c = c;
  }

  void register(Router r) {
    r.post("/repos/{owner}/{repo}/check-runs", this::create);
    r.get("/repos/{owner}/{repo}/check-runs/{check_run_id}", this::get);
    r.patch("/repos/{owner}/{repo}/check-runs/{check_run_id}", this::update);
    r.get("/repos/{owner}/{repo}/commits/{ref}/check-runs", this::forRef);
    r.get("/repos/{owner}/{repo}/rulesets", this::rulesets);
    r.post("/repos/{owner}/{repo}/rulesets", this::createRuleset);
  }

  private SimResponse create(SimRequest req) {
    SimRepo repo = c.repo(req);
    requireApp(req, repo);
    String sha = req.bodyText("head_sha");
    if (!repo.commits.containsKey(sha)) throw SimError.invalid("CheckRun", "head_sha", "invalid");
    long suite = c.state().checkRuns.values().stream().filter(x -> x.repo.equals(repo.fullName()) && x.headSha.equals(sha))
        .mapToLong(x -> x.suiteId).findFirst().orElse(c.state().nextId());
    SimCheckRun run = new SimCheckRun(c.state().nextId(), repo.fullName(), sha, suite, req.bodyText("name"));
    run.startedAt = c.state().clock.now();
    apply(run, req.body());
    c.state().checkRuns.put(run.id, run);
    c.state().log(repo.fullName() + ":check-run:" + run.name + ":" + run.status);
    c.hooks().checkRun("created", repo, run, c.actor(req));
    if ("completed".equals(run.status)) completed(repo, run, req);
    return SimResponse.created(c.misc().checkRun(repo, run));
  }

  private SimResponse get(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "checks", "read", "read");
    return SimResponse.ok(c.misc().checkRun(repo, find(repo, req)));
  }

  private SimResponse update(SimRequest req) {
    SimRepo repo = c.repo(req);
    requireApp(req, repo);
    SimCheckRun run = find(repo, req);
    boolean wasDone = "completed".equals(run.status);
    apply(run, req.body());
    c.state().log(repo.fullName() + ":check-run:" + run.name + ":" + run.status
        + (run.conclusion == null ? "" : ":" + run.conclusion));
    if (!wasDone && "completed".equals(run.status)) completed(repo, run, req);
    return SimResponse.ok(c.misc().checkRun(repo, run));
  }

  private void completed(SimRepo repo, SimCheckRun run, SimRequest req) {
    c.actions().checkRunCompleted(repo, run, c.actor(req));
  }

  /** Only GitHub Apps create check runs (FACTS §6). */
  private void requireApp(SimRequest req, SimRepo repo) {
    if (req.principal().kind() == Principal.Kind.USER) {
      c.auth().requireRepo(req.principal(), repo, "checks", "write", "read");
      throw new SimError(403, "You must authenticate via a GitHub App.");
    }
    c.auth().requireRepo(req.principal(), repo, "checks", "write", "write");
  }

  private SimCheckRun find(SimRepo repo, SimRequest req) {
    SimCheckRun run = c.state().checkRuns.get(req.longParam("check_run_id"));
    if (run == null || !run.repo.equals(repo.fullName())) throw SimError.notFound();
    return run;
  }

  /** Setting a conclusion forces status completed (FACTS §6). */
  private void apply(SimCheckRun run, JsonNode b) {
    Instant now = c.state().clock.now();
    if (b.hasNonNull("name")) run.name = b.get("name").asText();
    if (b.hasNonNull("status")) run.status = b.get("status").asText();
    if (b.hasNonNull("external_id")) run.externalId = b.get("external_id").asText();
    if (b.hasNonNull("details_url")) run.detailsUrl = b.get("details_url").asText();
    if (b.hasNonNull("started_at")) run.startedAt = Instant.parse(b.get("started_at").asText());
    if (b.hasNonNull("conclusion")) {
      run.conclusion = b.get("conclusion").asText();
      run.status = "completed";
    }
    if ("completed".equals(run.status) && run.conclusion == null) throw SimError.invalid("CheckRun", "conclusion", "missing_field");
    if ("completed".equals(run.status)) {
      run.completedAt = b.hasNonNull("completed_at") ? Instant.parse(b.get("completed_at").asText()) : now;
    }
    JsonNode out = b.path("output");
    if (out.isObject()) {
      run.outputTitle = out.path("title").asText(null);
      run.outputSummary = out.path("summary").asText(null);
      run.outputText = out.path("text").asText(null);
    }
  }

  private SimResponse forRef(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "checks", "read", "read");
    String sha = repo.resolve(req.param("ref"));
    if (sha == null) throw new SimError(422, "No commit found for SHA: " + req.param("ref"));
    ArrayNode runs = c.render().array();
    c.state().checkRuns.values().stream()
        .filter(x -> x.repo.equals(repo.fullName()) && x.headSha.equals(sha))
        .filter(x -> req.query("check_name") == null || x.name.equals(req.query("check_name")))
        .forEach(x -> runs.add(c.misc().checkRun(repo, x)));
    ObjectNode n = Sim.JSON.createObjectNode().put("total_count", runs.size());
    n.set("check_runs", runs);
    return SimResponse.ok(n);
  }

  private SimResponse rulesets(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "metadata", "read", "read");
    ArrayNode a = c.render().array();
    repo.rulesets.forEach(rs -> a.add(rs.deepCopy()));
    return SimResponse.ok(a);
  }

  private SimResponse createRuleset(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "administration", "write", "admin");
    long id = c.state().nextId();
    ObjectNode rs = Templates.of("repository-ruleset");
    String now = Sim.ts(c.state().clock.now());
    String self = c.render().api() + "/repos/" + repo.fullName() + "/rulesets/" + id;
    rs.put("id", id).put("name", req.bodyText("name")).put("target", req.body().path("target").asText("branch"))
        .put("source_type", "Repository").put("source", repo.fullName())
        .put("enforcement", req.bodyText("enforcement")).put("node_id", Sim.nodeId("RRS", id))
        .put("created_at", now).put("updated_at", now).put("current_user_can_bypass", "never");
    rs.set("bypass_actors", req.body().has("bypass_actors") ? req.body().get("bypass_actors") : c.render().array());
    if (req.body().has("conditions")) rs.set("conditions", req.body().get("conditions"));
    else rs.remove("conditions");
    rs.set("rules", req.body().has("rules") ? req.body().get("rules") : c.render().array());
    ObjectNode links = rs.putObject("_links");
    links.putObject("self").put("href", self);
    links.putObject("html").put("href", Render.HTML + "/" + repo.fullName() + "/rules/" + id);
    repo.rulesets.add(rs);
    c.state().log(repo.fullName() + ":ruleset:" + rs.path("name").asText());
    return SimResponse.created(rs);
  }
}
