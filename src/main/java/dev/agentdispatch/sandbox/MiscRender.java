package dev.agentdispatch.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** JSON for git refs, contents, check runs, webhook deliveries and agent tasks. */
final class MiscRender {
  private final SimState state;
  private final Render r;

  MiscRender(SimState state, Render r) {
    this.state = state;
    this.r = r;
  }

  /** git-ref; {@code ref} without the "refs/" prefix, e.g. "heads/main". */
  ObjectNode gitRef(SimRepo repo, String ref, String sha) {
    ObjectNode n = Templates.of("git-ref");
    n.put("ref", "refs/" + ref).put("node_id", Sim.nodeId("REF", (repo.fullName() + ref).hashCode() & 0xffffffL))
        .put("url", r.api() + "/repos/" + repo.fullName() + "/git/refs/" + ref);
    n.putObject("object").put("type", "commit").put("sha", sha)
        .put("url", r.api() + "/repos/" + repo.fullName() + "/git/commits/" + sha);
    return n;
  }

  /** content-file, content base64-encoded in 60-character lines like GitHub. */
  ObjectNode file(SimRepo repo, String path, String content, String ref) {
    ObjectNode n = Templates.of("content-file");
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    String b64 = Base64.getMimeEncoder(60, "\n".getBytes(StandardCharsets.UTF_8)).encodeToString(bytes) + "\n";
    String blob = Sim.sha1("blob", content);
    String self = r.api() + "/repos/" + repo.fullName() + "/contents/" + path + "?ref=" + ref;
    String html = Render.HTML + "/" + repo.fullName() + "/blob/" + ref + "/" + path;
    String git = r.api() + "/repos/" + repo.fullName() + "/git/blobs/" + blob;
    n.put("type", "file").put("encoding", "base64").put("size", bytes.length)
        .put("name", path.substring(path.lastIndexOf('/') + 1)).put("path", path).put("content", b64)
        .put("sha", blob).put("url", self).put("git_url", git).put("html_url", html)
        .put("download_url", "https://raw.githubusercontent.com/" + repo.fullName() + "/" + ref + "/" + path);
    n.putObject("_links").put("self", self).put("git", git).put("html", html);
    n.remove("target");
    n.remove("submodule_git_url");
    return n;
  }

  ObjectNode checkRun(SimRepo repo, SimCheckRun c) {
    ObjectNode n = Templates.of("check-run");
    Templates.rewrite(n, r.repoUrls(repo.fullName()));
    n.put("id", c.id).put("head_sha", c.headSha).put("node_id", Sim.nodeId("CR", c.id))
        .put("external_id", c.externalId == null ? "" : c.externalId)
        .put("url", r.api() + "/repos/" + repo.fullName() + "/check-runs/" + c.id)
        .put("html_url", Render.HTML + "/" + repo.fullName() + "/runs/" + c.id).put("details_url", c.detailsUrl == null ? Render.HTML + "/" + repo.fullName() + "/runs/" + c.id : c.detailsUrl)
        .put("status", c.status).put("conclusion", c.conclusion).put("started_at", Sim.ts(c.startedAt))
        .put("completed_at", Sim.ts(c.completedAt)).put("name", c.name);
    ObjectNode out = n.putObject("output");
    out.put("title", c.outputTitle).put("summary", c.outputSummary).put("text", c.outputText)
        .put("annotations_count", 0)
        .put("annotations_url", r.api() + "/repos/" + repo.fullName() + "/check-runs/" + c.id + "/annotations");
    n.putObject("check_suite").put("id", c.suiteId);
    n.set("app", r.app(state.app));
    ArrayNode prs = n.putArray("pull_requests");
    for (SimPull p : repo.pulls.values()) {
      if (p.headSha.equals(c.headSha) && p.issue.state.equals("open")) prs.add(minimalPull(repo, p));
    }
    n.remove("deployment");
    return n;
  }

  private ObjectNode minimalPull(SimRepo repo, SimPull p) {
    ObjectNode n = Sim.JSON.createObjectNode();
    n.put("id", p.id).put("number", p.number()).put("url", r.api() + "/repos/" + repo.fullName() + "/pulls/" + p.number());
    ObjectNode repoRef = Sim.JSON.createObjectNode().put("id", repo.id)
        .put("url", r.api() + "/repos/" + repo.fullName()).put("name", repo.name);
    n.putObject("head").put("ref", p.headRef).put("sha", p.headSha).set("repo", repoRef);
    n.putObject("base").put("ref", p.baseRef)
        .put("sha", repo.branchSha(p.baseRef) == null ? p.headSha : repo.branchSha(p.baseRef)).set("repo", repoRef);
    return n;
  }

  ObjectNode deliveryItem(SimDelivery d) {
    ObjectNode n = Templates.of("hook-delivery-item");
    n.put("id", d.id).put("guid", d.guid).put("delivered_at", Sim.ts(d.deliveredAt)).put("redelivery", d.redelivery)
        .put("duration", d.durationSeconds).put("status", d.status).put("status_code", d.statusCode)
        .put("event", d.event).put("action", d.action).putNull("throttled_at");
    if (d.installationId == null) n.putNull("installation_id");
    else n.put("installation_id", d.installationId);
    if (d.repositoryId == null) n.putNull("repository_id");
    else n.put("repository_id", d.repositoryId);
    return n;
  }

  ObjectNode delivery(SimDelivery d) {
    ObjectNode n = Templates.of("hook-delivery");
    n.setAll(deliveryItem(d));
    n.put("url", state.app.webhookUrl);
    ObjectNode req = n.putObject("request");
    req.set("headers", Sim.JSON.valueToTree(d.requestHeaders));
    try {
      req.set("payload", Sim.JSON.readTree(d.body));
    } catch (java.io.IOException e) {
      req.putNull("payload");
    }
    ObjectNode resp = n.putObject("response");
    resp.set("headers", Sim.JSON.valueToTree(Map.of()));
    resp.put("payload", d.responseBody);
    return n;
  }
}
