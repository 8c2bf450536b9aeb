package dev.agentdispatch.governance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdispatch.github.GitHubGateway;
import java.time.Instant;
import java.util.List;

/**
 * What GitHub says about a task's pull request, read once per judgement: its state, head, mergeability, the check
 * runs on its head commit, its reviews and the files it changes. Times are GitHub's own.
 */
record PullFacts(int number, String state, boolean merged, String headRef, String headSha, Boolean mergeable,
    Instant updatedAt, List<CheckRun> checks, List<Review> reviews, List<String> files) {

  record CheckRun(String name, String status, String conclusion, Instant completedAt) {
    boolean completed() {
      return "completed".equals(status);
    }

    /** success, neutral and skipped pass, as on GitHub's merge box. */
    boolean passed() {
      return completed() && ("success".equals(conclusion) || "neutral".equals(conclusion)
          || "skipped".equals(conclusion));
    }
  }

  /** {@code bot}: the reviewer is a bot (type Bot, or a login ending in [bot]). */
  record Review(String login, boolean bot, String state, Instant submittedAt) {}

  boolean open() {
    return "open".equals(state) && !merged;
  }

  /** Reads the pull request, its head's check runs, its reviews and files (pull_requests: read, checks: read). */
  static PullFacts read(GitHubGateway gh, int number) {
    JsonNode pr = gh.getPull(number);
    String sha = pr.path("head").path("sha").asText();
    List<CheckRun> checks = gh.listCheckRunsForRef(sha).stream().map(c -> new CheckRun(c.path("name").asText(),
        c.path("status").asText(), text(c, "conclusion"), time(c, "completed_at"))).toList();
    List<Review> reviews = gh.listReviews(number).stream().map(r -> new Review(r.path("user").path("login").asText(),
        "Bot".equals(r.path("user").path("type").asText()) || r.path("user").path("login").asText().endsWith("[bot]"),
        r.path("state").asText(), time(r, "submitted_at"))).toList();
    List<String> files = gh.listPullFiles(number).stream().map(f -> f.path("filename").asText()).toList();
    return new PullFacts(number, pr.path("state").asText(), pr.path("merged").asBoolean(false),
        pr.path("head").path("ref").asText(), sha, pr.path("mergeable").isBoolean() ? pr.get("mergeable").asBoolean()
        : null, time(pr, "updated_at"), checks, reviews, files);
  }

  private static String text(JsonNode n, String field) {
    return n.hasNonNull(field) ? n.get(field).asText() : null;
  }

  private static Instant time(JsonNode n, String field) {
    return n.hasNonNull(field) ? Instant.parse(n.get(field).asText()) : null;
  }
}
