package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loads a world from a YAML (or JSON) seed file into a simulator; the format is in docs/sandbox-seed.md. */
public final class Seed {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Seed() {}

  public static void load(GitHubSimulator sim, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      apply(sim, YAML.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read seed file " + file, e);
    }
  }

  public static void loadResource(GitHubSimulator sim, String resource) {
    try (InputStream in = Seed.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalArgumentException("no seed resource " + resource);
      apply(sim, YAML.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read seed resource " + resource, e);
    }
  }

  static void apply(GitHubSimulator sim, JsonNode root) {
    World w = sim.world();
    for (JsonNode o : root.path("orgs")) w.org(o.asText());
    for (JsonNode u : root.path("users")) {
      SimUser user = w.user(u.isTextual() ? u.asText() : u.path("login").asText());
      user.copilotLicensed = u.path("copilot").asBoolean(true);
    }
    JsonNode app = root.path("app");
    if (!app.isMissingNode()) {
      Map<String, String> perms = app.has("permissions") ? strings(app.get("permissions"))
          : GitHubSimulator.defaultPermissions();
      List<String> events = app.has("events") ? list(app.get("events"))
          : List.of("issues", "issue_comment", "pull_request", "pull_request_review", "check_run", "check_suite");
      w.app(app.path("id").asLong(424242), app.path("slug").asText("agent-dispatch-sim"),
          app.path("owner").asText("octo-demo"), perms, events);
      if (app.has("webhook_url") || app.has("webhook_secret")) {
        sim.webhook(app.path("webhook_url").asText(null), app.path("webhook_secret").asText(sim.webhookSecret()));
      }
    }
    for (JsonNode t : root.path("teams")) {
      w.team(t.path("org").asText(), t.path("slug").asText(), t.path("name").asText(t.path("slug").asText()),
          list(t.path("members")));
    }
    for (JsonNode r : root.path("repos")) repo(w, r);
    for (JsonNode i : root.path("installations")) {
      JsonNode repos = i.path("repositories");
      w.install(i.path("account").asText(), repos.isArray() ? list(repos) : List.of());
    }
  }

  private static void repo(World w, JsonNode r) {
    String name = r.path("name").asText();
    w.repo(name, r.path("default_branch").asText("main"), r.path("private").asBoolean(true), strings(r.path("files")));
    strings(r.path("collaborators")).forEach((login, role) -> w.collaborator(name, login, role));
    strings(r.path("teams")).forEach((team, role) -> w.teamAccess(name, team, role));
    for (JsonNode l : r.path("labels")) {
      w.label(name, l.path("name").asText(), l.path("color").asText("ededed"), l.path("description").asText(null));
    }
    for (JsonNode b : r.path("branches")) {
      w.branch(name, b.path("name").asText(), b.path("from").asText(r.path("default_branch").asText("main")),
          strings(b.path("files")));
    }
    for (JsonNode i : r.path("issues")) {
      w.issue(name, i.path("user").asText(), i.path("title").asText(), i.path("body").asText(null), list(i.path("labels")));
    }
  }

  private static Map<String, String> strings(JsonNode n) {
    Map<String, String> m = new LinkedHashMap<>();
    n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  private static List<String> list(JsonNode n) {
    List<String> l = new ArrayList<>();
    n.forEach(x -> l.add(x.asText()));
    return l;
  }
}
