package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON for accounts, repositories, the app, installations and teams, in GitHub's REST shapes. */
final class Render {
  static final String HTML = "https://github.com";
  private final SimState state;
  private final java.util.function.Supplier<String> api;

  Render(SimState state, java.util.function.Supplier<String> api) {
    this.state = state;
    this.api = api;
  }

  String api() { return api.get(); }

  Map<String, String> repoUrls(String fullName) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("https://api.github.com/repos/octocat/Hello-World", api() + "/repos/" + fullName);
    m.put("https://github.com/octocat/Hello-World", HTML + "/" + fullName);
    m.put("octocat/Hello-World", fullName);
    m.put("https://api.github.com", api());
    return m;
  }

  /** simple-user */
  ObjectNode user(SimUser u) {
    ObjectNode n = Templates.of("simple-user");
    Templates.rewrite(n, Map.of("https://api.github.com", api()));
    Templates.rewrite(n, Map.of("octocat", java.net.URLEncoder.encode(u.login, java.nio.charset.StandardCharsets.UTF_8)));
    n.put("login", u.login).put("id", u.id).put("node_id", Sim.nodeId(u.isBot() ? "BOT" : "U", u.id))
        .put("avatar_url", "https://avatars.githubusercontent.com/u/" + u.id + "?v=4").put("gravatar_id", "")
        .put("type", u.type).put("site_admin", false);
    return n;
  }

  /** public-user (GET /users/{u}) */
  ObjectNode publicUser(SimUser u) {
    ObjectNode n = Templates.of("public-user");
    n.setAll(user(u));
    n.put("name", u.login).putNull("company").put("blog", "").putNull("location").putNull("email")
        .putNull("hireable").putNull("bio").putNull("twitter_username").put("public_repos", 0)
        .put("followers", 0).put("following", 0).put("public_gists", 0)
        .put("created_at", "2020-01-01T00:00:00Z").put("updated_at", "2020-01-01T00:00:00Z");
    return n;
  }

  /** repository (as nested in pull requests and webhook payloads) */
  ObjectNode repo(SimRepo r) {
    ObjectNode n = Templates.of("repository");
    fillRepo(n, r);
    return n;
  }

  /** full-repository (GET /repos/{o}/{r}) */
  ObjectNode fullRepo(SimRepo r) {
    ObjectNode n = Templates.of("full-repository");
    fillRepo(n, r);
    n.put("network_count", 0).put("subscribers_count", 0);
    return n;
  }

  private void fillRepo(ObjectNode n, SimRepo r) {
    Templates.rewrite(n, repoUrls(r.fullName()));
    long open = r.issues.values().stream().filter(i -> i.state.equals("open")).count();
    n.put("id", r.id).put("node_id", Sim.nodeId("R", r.id)).put("name", r.name).put("full_name", r.fullName())
        .put("private", r.isPrivate).put("visibility", r.isPrivate ? "private" : "public")
        .put("default_branch", r.defaultBranch).put("description", "Simulated repository " + r.fullName())
        .put("fork", false).put("archived", false).put("disabled", false).put("open_issues_count", open)
        .put("open_issues", open).put("created_at", Sim.ts(r.createdAt)).put("updated_at", Sim.ts(state.clock.now()))
        .put("pushed_at", Sim.ts(state.clock.now())).put("has_issues", true);
    n.set("owner", user(r.owner));
    n.remove("permissions");
  }

  /** integration (GET /app) */
  ObjectNode app(SimApp a) {
    ObjectNode n = Templates.of("integration");
    n.put("id", a.id).put("slug", a.slug).put("client_id", a.clientId).put("node_id", Sim.nodeId("A", a.id))
        .put("name", a.name).put("description", "Simulated GitHub App").put("external_url", HTML + "/apps/" + a.slug)
        .put("html_url", HTML + "/apps/" + a.slug).put("created_at", "2024-01-01T00:00:00Z")
        .put("updated_at", "2024-01-01T00:00:00Z");
    n.set("owner", user(a.owner));
    n.set("permissions", Sim.JSON.valueToTree(a.permissions));
    n.set("events", Sim.JSON.valueToTree(a.events));
    n.remove("installations_count");
    return n;
  }

  /** installation */
  ObjectNode installation(SimInstallation i) {
    SimApp a = state.app;
    ObjectNode n = Templates.of("installation");
    n.put("id", i.id).put("repository_selection", i.allRepositories ? "all" : "selected")
        .put("access_tokens_url", api() + "/app/installations/" + i.id + "/access_tokens")
        .put("repositories_url", api() + "/installation/repositories")
        .put("html_url", HTML + "/organizations/" + i.account.login + "/settings/installations/" + i.id)
        .put("app_id", a.id).put("client_id", a.clientId).put("target_id", i.account.id)
        .put("target_type", i.account.type).put("app_slug", a.slug).put("created_at", Sim.ts(i.createdAt))
        .put("updated_at", Sim.ts(i.createdAt)).putNull("suspended_at").putNull("suspended_by")
        .putNull("single_file_name").put("has_multiple_single_files", false);
    // The description types this account as allOf [simple-user, enterprise]; carry both sets of fields.
    ObjectNode account = user(i.account);
    account.put("name", i.account.login).put("slug", i.account.login.toLowerCase(java.util.Locale.ROOT))
        .put("created_at", "2020-01-01T00:00:00Z").put("updated_at", "2020-01-01T00:00:00Z");
    n.set("account", account);
    n.set("permissions", Sim.JSON.valueToTree(a.permissions));
    n.set("events", Sim.JSON.valueToTree(a.events));
    n.set("single_file_paths", Sim.JSON.createArrayNode());
    return n;
  }

  /** team (simple form used in requested_teams) */
  ObjectNode team(SimTeam t) {
    ObjectNode n = Templates.of("team");
    n.put("id", t.id).put("node_id", Sim.nodeId("T", t.id)).put("name", t.name).put("slug", t.slug)
        .put("url", api() + "/orgs/" + t.org + "/teams/" + t.slug)
        .put("html_url", HTML + "/orgs/" + t.org + "/teams/" + t.slug)
        .put("members_url", api() + "/orgs/" + t.org + "/teams/" + t.slug + "/members{/member}")
        .put("repositories_url", api() + "/orgs/" + t.org + "/teams/" + t.slug + "/repos")
        .put("description", "Team " + t.name).put("privacy", "closed").put("permission", "push")
        .put("type", "organization").putNull("parent");
    return n;
  }

  /** The short {id, node_id} installation object webhook payloads carry. */
  ObjectNode installationRef(long id) {
    ObjectNode n = Sim.JSON.createObjectNode();
    n.put("id", id).put("node_id", Sim.nodeId("MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u", id));
    return n;
  }

  /** organization-simple for webhook payloads. */
  ObjectNode org(SimUser o) {
    String u = api() + "/orgs/" + o.login;
    ObjectNode n = Sim.JSON.createObjectNode();
    n.put("login", o.login).put("id", o.id).put("node_id", Sim.nodeId("O", o.id)).put("url", u)
        .put("repos_url", u + "/repos").put("events_url", u + "/events").put("hooks_url", u + "/hooks")
        .put("issues_url", u + "/issues").put("members_url", u + "/members{/member}")
        .put("public_members_url", u + "/public_members{/member}")
        .put("avatar_url", "https://avatars.githubusercontent.com/u/" + o.id + "?v=4").put("description", "");
    return n;
  }

  ArrayNode array() { return Sim.JSON.createArrayNode(); }

  static String ts(Instant t) { return Sim.ts(t); }
}
