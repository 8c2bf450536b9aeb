package dev.agentdispatch.github;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules every request is checked against before it is sent: no merging, refs only under
 * {@code refs/heads/copilot/}, file writes only on {@code copilot/} branches. Fixed in code: nothing turns it off.
 */
final class PolicyGuard {
  static final String COPILOT_REF = "refs/heads/copilot/";
  /** Duplicate keys fail the parse, so {"ref": allowed, "ref": forbidden} cannot pass as the allowed one. */
  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final String REPO = "/repos/[^/]+/[^/]+";
  private static final Pattern MERGE_PULL = ci(REPO + "/pulls/[^/]+/(merge|update-branch)");
  private static final Pattern MERGES = ci(REPO + "/(merges|merge-upstream)");
  private static final Pattern REFS = ci(REPO + "/git/refs");
  private static final Pattern REF = ci(REPO + "/git/refs/(.+)");
  private static final Pattern CONTENTS = ci(REPO + "/contents(/.*)?");
  private static final Pattern RENAME = ci(REPO + "/branches/.+/rename");
  private static final Pattern GRAPHQL = ci("(/api)?/graphql");
  private static final List<String> MERGE_MUTATIONS = List.of("enablePullRequestAutoMerge", "enqueuePullRequest",
      "mergePullRequest", "mergeBranch", "updatePullRequestBranch");

  private PolicyGuard() {}

  private static Pattern ci(String regex) {
    return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
  }

  /**
   * Throws {@link PolicyViolation} when the call is refused. {@code apiPath} is the path below the API base,
   * still percent-encoded; it is decoded (repeatedly, so double encoding cannot hide a ref) before matching.
   */
  static void check(String method, String apiPath, byte[] body) {
    String m = method.toUpperCase(Locale.ROOT);
    if (m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS")) {
      return;
    }
    String path = decode(apiPath);
    String norm = path.replaceAll("/{2,}", "/");
    if (norm.endsWith("/") && norm.length() > 1) {
      norm = norm.substring(0, norm.length() - 1);
    }
    if (norm.matches(".*/\\.{1,2}(/.*)?")) {
      throw refuse("dot-segments", m, apiPath, "a mutating path may not contain '.' or '..' segments");
    }
    if (MERGE_PULL.matcher(norm).matches() || MERGES.matcher(norm).matches()) {
      throw refuse("no-merge", m, apiPath, "the app never merges or updates a pull request branch");
    }
    if (GRAPHQL.matcher(norm).matches()) {
      checkGraphql(m, apiPath, body);
      return;
    }
    if (RENAME.matcher(norm).matches()) {
      throw refuse("no-branch-rename", m, apiPath, "the app never renames branches");
    }
    if (REFS.matcher(norm).matches() && m.equals("POST")) {
      String ref = field(body, "ref");
      if (ref == null || !underCopilot(ref)) {
        throw refuse("ref-outside-copilot", m, apiPath, "refs may only be created under " + COPILOT_REF);
      }
      return;
    }
    Matcher ref = REF.matcher(norm);
    if (ref.matches()) {
      String original = ref.group(1);
      String full = original.startsWith("refs/") ? original : "refs/" + original;
      if (!underCopilot(full)) {
        throw refuse("ref-outside-copilot", m, apiPath, "refs may only be changed under " + COPILOT_REF);
      }
      return;
    }
    if (CONTENTS.matcher(norm).matches() && (m.equals("PUT") || m.equals("DELETE") || m.equals("POST"))) {
      String branch = field(body, "branch");
      if (branch == null || !underCopilot(branch.startsWith("refs/") ? branch : "refs/heads/" + branch)) {
        throw refuse("contents-outside-copilot", m, apiPath,
            "files may only be written on a copilot/ branch (a missing branch means the default branch)");
      }
    }
  }

  /** True for a well-formed ref strictly below refs/heads/copilot/ (no '..', '//', control chars, '@{', '\'). */
  static boolean underCopilot(String ref) {
    String r = decode(ref);
    if (!r.startsWith(COPILOT_REF) || r.length() == COPILOT_REF.length()) {
      return false;
    }
    if (r.contains("..") || r.contains("//") || r.contains("@{") || r.contains("\\") || r.endsWith("/")
        || r.endsWith(".lock") || r.endsWith(".") || r.contains("/.")) {
      return false;
    }
    return r.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == ' ' || c == '~' || c == '^' || c == ':'
        || c == '?' || c == '*' || c == '[');
  }

  private static void checkGraphql(String m, String apiPath, byte[] body) {
    String query = field(body, "query");
    if (query == null) {
      throw refuse("no-merge", m, apiPath, "a GraphQL request without a readable query is not sent");
    }
    for (String mutation : MERGE_MUTATIONS) {
      if (query.contains(mutation)) {
        throw refuse("no-merge", m, apiPath, "GraphQL " + mutation + " merges; the app never merges");
      }
    }
  }

  /** Decodes percent-encoding until stable, so "%252F" cannot smuggle a slash past the checks. */
  static String decode(String s) {
    String cur = s;
    for (int i = 0; i < 5; i++) {
      String next;
      try {
        next = URLDecoder.decode(cur.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return cur + "\u0000";  // malformed encoding: poison it so no rule accepts it
      }
      if (next.equals(cur)) {
        return cur;
      }
      cur = next;
    }
    return cur + "\u0000";
  }

  private static String field(byte[] body, String name) {
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(body);
      JsonNode v = n == null ? null : n.get(name);
      return v != null && v.isTextual() ? v.asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static PolicyViolation refuse(String rule, String method, String path, String reason) {
    return new PolicyViolation(rule, method, path, reason);
  }
}
