package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** JWT-only app endpoints: the app, installations, installation tokens, webhook deliveries. */
final class AppRoutes {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final SimContext c;
  private int minted;

  AppRoutes(SimContext c) {
    this.c = c;
  }

  void register(Router r) {
    r.get("/app", this::app);
    r.get("/app/installations", this::installations);
    r.get("/repos/{owner}/{repo}/installation", this::repoInstallation);
    r.get("/app/installations/{installation_id}", this::installation);
    r.get("/orgs/{org}/installation", this::orgInstallation);
    r.post("/app/installations/{installation_id}/access_tokens", this::accessToken);
    r.get("/app/hook/deliveries", this::deliveries);
    r.get("/app/hook/deliveries/{delivery_id}", this::delivery);
    r.post("/app/hook/deliveries/{delivery_id}/attempts", this::redeliver);
  }

  private SimResponse app(SimRequest req) {
    c.auth().requireApp(req.principal());
    return SimResponse.ok(c.render().app(c.state().app));
  }

  private SimResponse installations(SimRequest req) {
    c.auth().requireApp(req.principal());
    ArrayNode a = c.render().array();
    c.state().installations.values().forEach(i -> a.add(c.render().installation(i)));
    return SimResponse.ok(a);
  }

  private SimResponse repoInstallation(SimRequest req) {
    c.auth().requireApp(req.principal());
    SimRepo repo = c.repo(req);
    SimInstallation i = c.state().installationFor(repo);
    if (i == null) throw SimError.notFound();
    return SimResponse.ok(c.render().installation(i));
  }

  private SimResponse installation(SimRequest req) {
    c.auth().requireApp(req.principal());
    SimInstallation i = c.state().installations.get(req.longParam("installation_id"));
    if (i == null) throw SimError.notFound();
    return SimResponse.ok(c.render().installation(i));
  }

  private SimResponse orgInstallation(SimRequest req) {
    c.auth().requireApp(req.principal());
    SimInstallation i = c.state().installations.values().stream()
        .filter(x -> x.account.login.equalsIgnoreCase(req.param("org"))).findFirst().orElseThrow(SimError::notFound);
    return SimResponse.ok(c.render().installation(i));
  }

  /** POST access_tokens: narrow to repositories and permissions, never beyond the installation and app (422). */
  private SimResponse accessToken(SimRequest req) {
    c.auth().requireApp(req.principal());
    SimInstallation inst = c.state().installations.get(req.longParam("installation_id"));
    if (inst == null) throw SimError.notFound();
    List<String> reachable = c.state().reposOf(inst);
    Set<String> repos = new LinkedHashSet<>();
    JsonNode body = req.body();
    boolean narrowed = false;
    if (body != null && body.has("repositories")) {
      narrowed = true;
      for (JsonNode n : body.get("repositories")) repos.add(pick(reachable, inst.account.login + "/" + n.asText()));
    }
    if (body != null && body.has("repository_ids")) {
      narrowed = true;
      for (JsonNode n : body.get("repository_ids")) {
        SimRepo repo = c.state().repoById(n.asLong());
        repos.add(pick(reachable, repo == null ? "#" + n.asText() : repo.fullName()));
      }
    }
    if (!narrowed) repos.addAll(reachable);
    Map<String, String> perms = new LinkedHashMap<>(c.state().app.permissions);
    if (body != null && body.has("permissions")) {
      perms.clear();
      body.get("permissions").fields().forEachRemaining(e -> {
        String have = c.state().app.permissions.get(e.getKey());
        if (!SimAuth.levelCovers(have, e.getValue().asText())) {
          throw new SimError(422, "The permissions requested are not granted to this installation.");
        }
        perms.put(e.getKey(), e.getValue().asText());
      });
    }
    String token = newToken();
    var expires = c.state().clock.now().plus(Duration.ofHours(1));
    c.state().tokens.put(token, new SimToken(token, inst.id, Set.copyOf(repos), Map.copyOf(perms), !narrowed, expires));
    c.state().log("app:token:installation/" + inst.id + ":" + String.join(",", repos));
    ObjectNode n = Templates.of("installation-token");
    n.put("token", token).put("expires_at", Sim.ts(expires))
        .put("repository_selection", narrowed || !inst.allRepositories ? "selected" : "all");
    n.set("permissions", Sim.JSON.valueToTree(perms));
    ArrayNode ra = n.putArray("repositories");
    repos.forEach(full -> ra.add(c.render().repo(c.state().repo(full))));
    n.remove("single_file");
    n.put("has_multiple_single_files", false).putArray("single_file_paths");
    return SimResponse.created(n);
  }

  private static String pick(List<String> reachable, String full) {
    return reachable.stream().filter(x -> x.equalsIgnoreCase(full)).findFirst().orElseThrow(
        () -> new SimError(422, "There is at least one repository that does not exist or is not accessible to "
            + "the parent installation."));
  }

  /** Opaque tokens of varying length: every other one looks like the newer stateless format (FACTS §2.2). */
  private String newToken() {
    byte[] b = new byte[minted++ % 2 == 0 ? 18 : 96];
    RANDOM.nextBytes(b);
    String hex = HexFormat.of().formatHex(b);
    if (b.length == 18) return "ghs_sim" + hex;
    return "ghs_" + c.state().app.id + "_sim." + hex.substring(0, 96) + "." + hex.substring(96);
  }

  private SimResponse deliveries(SimRequest req) {
    c.auth().requireApp(req.principal());
    int perPage = Math.max(1, Math.min(100, req.queryInt("per_page", 30)));
    long cursor = req.query("cursor") == null ? Long.MAX_VALUE : parseCursor(req.query("cursor"));
    List<SimDelivery> all = new ArrayList<>(c.sender().deliveries());
    all.sort((a, b) -> Long.compare(b.id, a.id));
    List<SimDelivery> page = all.stream().filter(d -> d.id < cursor).limit(perPage + 1L).toList();
    ArrayNode a = c.render().array();
    page.stream().limit(perPage).forEach(d -> a.add(c.misc().deliveryItem(d)));
    SimResponse resp = SimResponse.ok(a);
    if (page.size() > perPage) {
      long next = page.get(perPage - 1).id;
      resp.header("Link", "<" + c.render().api() + "/app/hook/deliveries?per_page=" + perPage + "&cursor=" + next
          + ">; rel=\"next\"");
    }
    return resp;
  }

  private static long parseCursor(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new SimError(422, "Invalid cursor");
    }
  }

  private SimResponse delivery(SimRequest req) {
    c.auth().requireApp(req.principal());
    SimDelivery d = c.sender().delivery(req.longParam("delivery_id"));
    if (d == null) throw SimError.notFound();
    return SimResponse.ok(c.misc().delivery(d));
  }

  private SimResponse redeliver(SimRequest req) {
    c.auth().requireApp(req.principal());
    SimDelivery d = c.sender().delivery(req.longParam("delivery_id"));
    if (d == null) throw SimError.notFound();
    if (d.deliveredAt.isBefore(c.state().clock.now().minus(Duration.ofDays(3)))) {
      throw new SimError(422, "Deliveries older than 3 days cannot be redelivered");
    }
    c.sender().redeliver(d);
    c.state().log("app:redeliver:" + d.guid);
    return SimResponse.of(202, Sim.JSON.createObjectNode());
  }
}
