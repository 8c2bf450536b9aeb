package dev.agentdispatch.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.kohsuke.github.GHRepository;

/**
 * The one GitHub seam handlers use, for one repository. Each method is named after the REST call it wraps and
 * names the permissions it needs; they must be within what the gateway was declared with, and the installation
 * token it uses is narrowed to this repository and exactly the declared permissions.
 */
public final class GitHubGateway {
  /** A repository as {@link #getRepository()} returns it. */
  public record Repository(long id, String fullName, String defaultBranch, boolean isPrivate) {}

  private final GitHubClient client;
  private final RepoRef repo;
  private final Permissions declared;

  GitHubGateway(GitHubClient client, RepoRef repo, Permissions declared) {
    this.client = client;
    this.repo = repo;
    this.declared = declared;
  }

  public RepoRef repo() {
    return repo;
  }

  /** GET /repos/{o}/{r} (metadata: read), through hub4j. */
  public Repository getRepository() {
    InstallationTokens.Key key = key(Permissions.METADATA_READ);
    try {
      GHRepository r = client.hub4j(() -> client.tokens().credential(key)).getRepository(repo.fullName());
      return new Repository(r.getId(), r.getFullName(), r.getDefaultBranch(), r.isPrivate());
    } catch (IOException e) {
      throw new GitHubCallFailed("get repository " + repo.fullName(), e);
    }
  }

  /** The installation on this repository (from the webhook, else GET /repos/{o}/{r}/installation). */
  public long installationId() {
    return client.installationId(repo);
  }

  /** POST /repos/{o}/{r}/issues/{n}/comments (issues: write). */
  public JsonNode createIssueComment(int issue, String body) {
    return call("POST", "/issues/" + issue + "/comments", Map.of("body", body), Permissions.ISSUES_WRITE,
        "comment on " + ref(issue));
  }

  /**
   * POST /repos/{o}/{r}/issues/{n}/comments as a user (the agent account): how {@code @copilot} follow-ups on an
   * agent pull request are relayed, since the agent answers people, not apps.
   */
  public JsonNode createIssueCommentAsUser(String userToken, int issue, String body) {
    return asUser(userToken, "POST", repo.path() + "/issues/" + issue + "/comments",
        Map.of("body", body), "comment on " + ref(issue) + " as a user");
  }

  /**
   * GET /repos/{o}/{r}/issues/{n}/comments?since= (pull_requests: read, which covers a pull request's conversation),
   * every page: the comments on pull request {@code pull} updated at or after {@code since}, oldest first.
   */
  public java.util.List<JsonNode> listPullComments(int pull, java.time.Instant since) {
    return comments(pull, since, PULLS_READ);
  }

  /** The same list for an issue (issues: read): its comments updated at or after {@code since}, oldest first. */
  public java.util.List<JsonNode> listIssueComments(int issue, java.time.Instant since) {
    return comments(issue, since, ISSUES_READ);
  }

  private java.util.List<JsonNode> comments(int number, java.time.Instant since, Permissions needed) {
    return pages("/issues/" + number + "/comments?since=" + since.truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
        null, needed, "list the comments on " + ref(number));
  }

  /** PATCH /repos/{o}/{r}/issues/comments/{id} (issues: write). */
  public JsonNode updateIssueComment(long commentId, String body) {
    return call("PATCH", "/issues/comments/" + commentId, Map.of("body", body), Permissions.ISSUES_WRITE,
        "update comment " + commentId + " on " + repo.fullName());
  }

  /** POST /repos/{o}/{r}/issues/{n}/labels (issues: write). */
  public JsonNode addLabels(int issue, List<String> labels) {
    return call("POST", "/issues/" + issue + "/labels", Map.of("labels", labels), Permissions.ISSUES_WRITE,
        "add labels to " + ref(issue));
  }

  /** DELETE /repos/{o}/{r}/issues/{n}/labels/{name} (issues: write). */
  public void removeLabel(int issue, String label) {
    call("DELETE", "/issues/" + issue + "/labels/" + segment(label), null, Permissions.ISSUES_WRITE,
        "remove label from " + ref(issue));
  }

  /** POST /repos/{o}/{r}/issues/comments/{id}/reactions (issues: write); 200 when it already existed. */
  public JsonNode createReactionForIssueComment(long commentId, String content) {
    return call("POST", "/issues/comments/" + commentId + "/reactions", Map.of("content", content),
        Permissions.ISSUES_WRITE, "react to comment " + commentId + " on " + repo.fullName());
  }

  /** GET /repos/{o}/{r}/collaborators/{user}/permission (metadata: read): "admin", "write", "read" or "none". */
  public String getCollaboratorPermission(String user) {
    return call("GET", "/collaborators/" + segment(user) + "/permission", null, Permissions.METADATA_READ,
        "get the permission of " + user + " on " + repo.fullName()).path("permission").asText("none");
  }

  /** GET /repos/{o}/{r}/contents/{path}?ref= (contents: read): the file's bytes. */
  public byte[] getContent(String path, String ref) {
    String query = ref == null ? "" : "?ref=" + URLEncoder.encode(ref, StandardCharsets.UTF_8);
    JsonNode n = call("GET", "/contents/" + path + query, null, Permissions.CONTENTS_READ,
        "read " + path + " in " + repo.fullName());
    return Base64.getMimeDecoder().decode(n.path("content").asText(""));
  }

  /** POST /repos/{o}/{r}/git/refs (contents: write); refused unless {@code ref} is under refs/heads/copilot/. */
  public JsonNode createRef(String ref, String sha) {
    return call("POST", "/git/refs", Map.of("ref", ref, "sha", sha), Permissions.CONTENTS_WRITE,
        "create " + ref + " in " + repo.fullName());
  }

  /** DELETE /repos/{o}/{r}/git/refs/{ref} (contents: write); {@code ref} like "heads/copilot/fix-1". */
  public void deleteRef(String ref) {
    call("DELETE", "/git/refs/" + ref, null, Permissions.CONTENTS_WRITE, "delete " + ref + " in " + repo.fullName());
  }

  /** PUT /repos/{o}/{r}/pulls/{n}/merge: always refused by the guard; here so the refusal is tested at the seam. */
  public void mergePull(int pull) {
    call("PUT", "/pulls/" + pull + "/merge", Map.of(), Permissions.PULL_REQUESTS_WRITE.and(Permissions.CONTENTS_WRITE),
        "merge " + ref(pull));
  }

  /** POST /agents/repos/{o}/{r}/tasks as a user (installation tokens are refused there, FACTS.md 1.2). */
  public JsonNode createAgentTask(String userToken, String prompt, String baseRef, boolean createPullRequest) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("prompt", prompt).put("create_pull_request", createPullRequest);
    if (baseRef != null) {
      body.put("base_ref", baseRef);
    }
    return asUser(userToken, "POST", "/agents" + repo.path() + "/tasks", body, "start an agent task in "
        + repo.fullName());
  }

  /** GET /agents/repos/{o}/{r}/tasks/{id} as a user. */
  public JsonNode getAgentTask(String userToken, String taskId) {
    return asUser(userToken, "GET", "/agents" + repo.path() + "/tasks/" + segment(taskId), null,
        "get agent task " + taskId + " in " + repo.fullName());
  }

  /** GET /agents/repos/{o}/{r}/tasks as a user (first page). */
  public JsonNode listAgentTasks(String userToken) {
    return asUser(userToken, "GET", "/agents" + repo.path() + "/tasks", null, "list agent tasks in " + repo.fullName());
  }

  // --- agent worker (issue 5): model choice, listing since/creator, the token's user, pulls by head ---

  /**
   * POST /agents/repos/{o}/{r}/tasks as a user, with an optional {@code model} (null = automatic selection).
   * There is no head_ref input: the agent names its own copilot/ branch (FACTS.md 1.4).
   */
  public JsonNode createAgentTask(String userToken, String prompt, String baseRef, String model,
      boolean createPullRequest) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("prompt", prompt).put("create_pull_request", createPullRequest);
    if (baseRef != null) {
      body.put("base_ref", baseRef);
    }
    if (model != null) {
      body.put("model", model);
    }
    return asUser(userToken, "POST", "/agents" + repo.path() + "/tasks", body, "start an agent task in "
        + repo.fullName());
  }

  /**
   * GET /agents/repos/{o}/{r}/tasks?since=&creator_id=&sort=created_at as a user (first page, up to 100):
   * the tasks updated at or after {@code since}, created by {@code creatorId} (null = anyone).
   */
  public JsonNode listAgentTasks(String userToken, java.time.Instant since, Long creatorId) {
    StringBuilder q = new StringBuilder("?per_page=100&sort=created_at&direction=desc");
    if (since != null) {
      q.append("&since=").append(URLEncoder.encode(since.toString(), StandardCharsets.UTF_8));
    }
    if (creatorId != null) {
      q.append("&creator_id=").append(creatorId);
    }
    return asUser(userToken, "GET", "/agents" + repo.path() + "/tasks" + q, null,
        "list agent tasks in " + repo.fullName());
  }

  /** GET /user as a user: who a user token belongs to ({@code login}, {@code id}). */
  public JsonNode getAuthenticatedUser(String userToken) {
    return asUser(userToken, "GET", "/user", null, "get the user of a token");
  }

  /** GET /repos/{o}/{r}/pulls?head={owner}:{branch}&state=all (pull_requests: read). */
  public JsonNode listPullsByHead(String branch) {
    return call("GET", "/pulls?state=all&head=" + URLEncoder.encode(repo.owner() + ":" + branch, StandardCharsets.UTF_8),
        null, Permissions.of("pull_requests", "read"), "list pull requests from " + branch + " in " + repo.fullName());
  }

  /** GET /repos/{o}/{r}/pulls?state=open (pull_requests: read): the first 100 open pull requests, newest first. */
  public JsonNode listOpenPulls() {
    return call("GET", "/pulls?state=open&per_page=100", null, Permissions.of("pull_requests", "read"),
        "list the open pull requests of " + repo.fullName());
  }

  /** GET /repos/{o}/{r}/pulls/{n} (pull_requests: read), with {@code mergeable} and {@code mergeable_state}. */
  public JsonNode getPull(int number) {
    return call("GET", "/pulls/" + number, null, Permissions.of("pull_requests", "read"), "get " + ref(number));
  }

  // --- judging and rollback (issue 6): what a pull request's checks, reviews and files say; closing it ---

  /** Permissions to read check runs. */
  public static final Permissions CHECKS_READ = Permissions.of("checks", "read");
  /** Permissions to read pull requests, their reviews and files. */
  public static final Permissions PULLS_READ = Permissions.of("pull_requests", "read");
  public static final Permissions ISSUES_READ = Permissions.of("issues", "read");
  /**
   * How far GitHub's clock and ours may disagree: a lookup of what we may have done on GitHub since one of our own
   * times (an agent task started, a comment posted) looks this much earlier.
   */
  public static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofMinutes(1);
  /** Pages read at most from one list (100 each): GitHub lists at most 3000 files of a pull request. */
  static final int MAX_PAGES = 30;

  /** GET /repos/{o}/{r}/commits/{ref}/check-runs (checks: read), every page: the check runs of a commit. */
  public java.util.List<JsonNode> listCheckRunsForRef(String ref) {
    return pages("/commits/" + segment(ref) + "/check-runs", "check_runs", CHECKS_READ,
        "list the check runs of " + ref + " in " + repo.fullName());
  }

  /** GET /repos/{o}/{r}/pulls/{n}/reviews (pull_requests: read), every page, oldest first. */
  public java.util.List<JsonNode> listReviews(int pull) {
    return pages("/pulls/" + pull + "/reviews", null, PULLS_READ, "list the reviews of " + ref(pull));
  }

  /** GET /repos/{o}/{r}/pulls/{n}/files (pull_requests: read), every page: the files the pull request changes. */
  public java.util.List<JsonNode> listPullFiles(int pull) {
    return pages("/pulls/" + pull + "/files", null, PULLS_READ, "list the files of " + ref(pull));
  }

  /** PATCH /repos/{o}/{r}/pulls/{n} with a state (pull_requests: write): how the app closes a pull request. */
  public JsonNode updatePullState(int pull, String state) {
    return call("PATCH", "/pulls/" + pull, Map.of("state", state), Permissions.PULL_REQUESTS_WRITE,
        "set " + ref(pull) + " " + state);
  }

  /**
   * Reads {@code subPath} with {@code per_page=100&page=n} until a short page; {@code field} names the array in an
   * object answer.
   */
  private java.util.List<JsonNode> pages(String subPath, String field, Permissions needed, String what) {
    java.util.List<JsonNode> out = new java.util.ArrayList<>();
    String paged = subPath + (subPath.contains("?") ? "&" : "?") + "per_page=100&page=";
    for (int page = 1; page <= MAX_PAGES; page++) {
      JsonNode n = call("GET", paged + page, null, needed, what);
      JsonNode items = field == null ? n : n.path(field);
      items.forEach(out::add);
      if (items.size() < 100) {
        break;
      }
    }
    return out;
  }

  /** PATCH /repos/{o}/{r}/pulls/{n} with state closed (pull_requests: write). */
  public JsonNode closePull(int number) {
    return updatePullState(number, "closed");
  }

  private JsonNode asUser(String userToken, String method, String path, Object body, String what) {
    Credential user = Credential.user(userToken);
    return Json.read(client.transport().send(ApiRequest.json(method, path, bytes(body), () -> user)), what);
  }

  /**
   * GET /orgs/{org}/teams/{team_slug}/memberships/{username} (organization permission members: read): whether
   * {@code user} is an active member of team {@code org/slug}; a 404 (not a member, or no such team) is false.
   */
  public boolean isActiveTeamMember(String org, String slug, String user) {
    try {
      return callAt("GET", "/orgs/" + segment(org) + "/teams/" + segment(slug) + "/memberships/" + segment(user),
          null, Permissions.of("members", "read"), "get the membership of " + user + " in team " + org + "/" + slug)
          .path("state").asText().equals("active");
    } catch (GitHubCallFailed e) {
      if (e.status() == 404) {
        return false;
      }
      throw e;
    }
  }

  private JsonNode call(String method, String subPath, Object body, Permissions needed, String what) {
    return callAt(method, repo.path() + subPath, body, needed, what);
  }

  private JsonNode callAt(String method, String path, Object body, Permissions needed, String what) {
    byte[] bytes = bytes(body);
    client.transport().preflight(method, path, bytes);
    if (!declared.covers(needed)) {
      throw new IllegalStateException("cannot " + what + ": it needs " + needed + " but the gateway was declared with "
          + declared);
    }
    InstallationTokens.Key key = key(declared);
    ApiRequest req = ApiRequest.json(method, path, bytes, () -> client.tokens().credential(key));
    ApiResponse r = client.transport().send(req);
    if (r.status() == 401) {
      client.tokens().invalidate(key);  // revoked or expired early: mint a new one once
      r = client.transport().send(req);
    }
    return Json.read(r, what);
  }

  private InstallationTokens.Key key(Permissions permissions) {
    return new InstallationTokens.Key(client.installationId(repo), client.repositoryId(repo), permissions);
  }

  private static byte[] bytes(Object body) {
    return body == null ? null : Json.write(body);
  }

  private String ref(int number) {
    return repo.fullName() + "#" + number;
  }

  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
