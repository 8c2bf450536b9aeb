package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Repository metadata, contents, collaborator permission, team members, users and /rate_limit. */
final class RepoRoutes {
  private final SimContext c;
  private final Faults faults;

  RepoRoutes(SimContext c, Faults faults) {
    this.c = c;
    this.faults = faults;
  }

  void register(Router r) {
    r.get("/repos/{owner}/{repo}", this::repo);
    r.get("/repos/{owner}/{repo}/contents/{path+}", this::contents);
    r.get("/repos/{owner}/{repo}/collaborators/{username}/permission", this::permission);
    r.get("/orgs/{org}/teams/{team_slug}/members", this::teamMembers);
    r.get("/orgs/{org}/teams/{team_slug}/memberships/{username}", this::teamMembership);
    r.get("/users/{username}", this::user);
    r.get("/user", this::me);
    r.get("/rate_limit", this::rateLimit);
  }

  private SimResponse repo(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "metadata", "read", "read");
    return SimResponse.ok(c.render().fullRepo(repo));
  }

  private SimResponse contents(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "contents", "read", "read");
    String ref = req.query("ref") == null ? repo.defaultBranch : req.query("ref");
    String sha = repo.resolve(ref);
    if (sha == null) throw new SimError(404, "No commit found for the ref " + ref);
    String path = req.param("path");
    String content = repo.commits.get(sha).get(path);
    if (content == null) throw SimError.notFound();
    return SimResponse.ok(c.misc().file(repo, path, content, ref));
  }

  private SimResponse permission(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "metadata", "read", "read");
    SimUser u = c.state().user(req.param("username"));
    if (u == null) throw new SimError(404, "Not Found");
    String role = c.state().roleOf(repo, u);
    if ("none".equals(role)) throw new SimError(404, u.login + " is not a user");
    ObjectNode n = Templates.of("collaborator-permission");
    n.put("permission", Roles.legacy(role)).put("role_name", role);
    ObjectNode user = c.render().user(u);
    ObjectNode perms = user.putObject("permissions");
    perms.put("pull", Roles.atLeast(role, "read")).put("triage", Roles.atLeast(role, "triage"))
        .put("push", Roles.atLeast(role, "write")).put("maintain", Roles.atLeast(role, "maintain"))
        .put("admin", Roles.atLeast(role, "admin"));
    user.put("role_name", role);
    n.set("user", user);
    return SimResponse.ok(n);
  }

  /** One user's membership of a team: 404 when not a member (or no such team), as GitHub answers. */
  private SimResponse teamMembership(SimRequest req) {
    SimTeam t = c.state().team(req.param("org"), req.param("team_slug"));
    if (t == null) throw SimError.notFound();
    Principal p = req.principal();
    if (p.kind() == Principal.Kind.INSTALLATION) {
      if (!SimAuth.has(p.token(), "members", "read")) throw SimError.notAccessible();
    } else if (p.kind() != Principal.Kind.USER) {
      throw new SimError(401, "Requires authentication");
    }
    String login = req.param("username");
    String member = t.members.stream().filter(m -> m.equalsIgnoreCase(login)).findFirst().orElse(null);
    if (member == null) throw SimError.notFound();
    return SimResponse.ok(Sim.JSON.createObjectNode()
        .put("url", c.render().api() + "/organizations/" + t.id + "/team/" + t.id + "/memberships/" + member)
        .put("role", "member").put("state", "active"));
  }

  private SimResponse teamMembers(SimRequest req) {
    SimTeam t = c.state().team(req.param("org"), req.param("team_slug"));
    if (t == null) throw SimError.notFound();
    Principal p = req.principal();
    if (p.kind() == Principal.Kind.INSTALLATION) {
      if (!SimAuth.has(p.token(), "members", "read")) throw SimError.notAccessible();
    } else if (p.kind() != Principal.Kind.USER) {
      throw new SimError(401, "Requires authentication");
    }
    ArrayNode a = c.render().array();
    for (String login : t.members) a.add(c.render().user(c.state().user(login)));
    return SimResponse.ok(a);
  }

  private SimResponse user(SimRequest req) {
    SimUser u = c.state().user(req.param("username"));
    // GitHub answers 404 for the Copilot bot's login (FACTS §1.8).
    if (u == null || u.login.equals("Copilot")) throw SimError.notFound();
    return SimResponse.ok(c.render().publicUser(u));
  }

  /** The authenticated user (PAT); installation tokens get 403 as on GitHub. */
  private SimResponse me(SimRequest req) {
    Principal p = req.principal();
    if (p.kind() == Principal.Kind.INSTALLATION) throw SimError.notAccessible();
    if (p.kind() != Principal.Kind.USER) throw new SimError(401, "Requires authentication");
    return SimResponse.ok(c.render().publicUser(p.user()));
  }

  private SimResponse rateLimit(SimRequest req) {
    Integer forced = faults.peekRemaining();
    int limit = faults.limit();
    int remaining = forced == null ? limit : forced;
    long reset = c.state().clock.now().plusSeconds(3600).getEpochSecond();
    ObjectNode n = Templates.of("rate-limit-overview");
    ObjectNode core = Sim.JSON.createObjectNode().put("limit", limit).put("remaining", remaining)
        .put("reset", reset).put("used", limit - remaining);
    ((ObjectNode) n.get("resources")).set("core", core);
    n.set("rate", core.deepCopy());
    for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e : n.get("resources").properties()) {
      ((ObjectNode) e.getValue()).put("reset", reset);
    }
    return SimResponse.ok(n);
  }
}
