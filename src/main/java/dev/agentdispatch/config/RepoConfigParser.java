package dev.agentdispatch.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdispatch.config.RepoConfig.BoundaryMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one {@code agent-dispatch.yml} on top of a base config (the organisation's, or the defaults). Every
 * problem is collected with its line; a file with any problem is not used at all (the caller keeps the last
 * valid config), so a typo never half-applies.
 */
final class RepoConfigParser {
  static final Set<String> KEYS = Set.of("_extends", "label", "command", "allowed", "max_concurrent_tasks",
      "max_queued_tasks", "max_open_pull_requests", "max_tasks_per_week", "task_timeout", "base_branch", "model",
      "protected_paths", "stale_days", "close_days", "fallback_reviewers", "max_reviewers", "boundary",
      "rollback_grace", "on_failure", "modules", "allow_whole_repository_scope", "min_start_gap", "dispatch_window",
      "circuit_breaker", "agent_token", "late_pull_request");
  private static final Pattern ON_FAILURE = Pattern.compile("close|keep-branch|notify @[A-Za-z0-9-]+(/[A-Za-z0-9_.-]+)?");
  private static final Pattern LOGIN = Pattern.compile("@?[A-Za-z0-9-]+(/[A-Za-z0-9_.-]+)?");

  /** The outcome: the config (base if there were problems), the problems, and the {@code _extends} target. */
  record Parsed(RepoConfig config, List<ConfigProblem> problems, String extendsRef) {
    boolean valid() {
      return problems.isEmpty();
    }
  }

  private final String file;
  private final YamlDocument doc;
  private final List<ConfigProblem> problems = new ArrayList<>();

  private RepoConfigParser(String file, YamlDocument doc) {
    this.file = file;
    this.doc = doc;
  }

  /** Parses {@code yaml} (named {@code file} in problems) over {@code base}. */
  static Parsed parse(String file, String yaml, RepoConfig base) {
    YamlDocument doc;
    try {
      doc = YamlDocument.parse(yaml);
    } catch (YamlDocument.ConfigSyntaxError e) {
      return new Parsed(base, List.of(new ConfigProblem(file, e.line, e.getMessage())), null);
    }
    if (!doc.root().isObject()) {
      return new Parsed(base, List.of(new ConfigProblem(file, 1, "the file must be a mapping of keys to values")),
          null);
    }
    return new RepoConfigParser(file, doc).read(base);
  }

  private Parsed read(RepoConfig b) {
    JsonNode r = doc.root();
    r.fieldNames().forEachRemaining(k -> {
      if (!KEYS.contains(k)) {
        problem(k, "unknown key '" + k + "'" + suggestion(k));
      }
    });
    JsonNode allowed = r.path("allowed");
    if (!allowed.isMissingNode() && !allowed.isObject()) {
      problem("allowed", "allowed must be a mapping with users and teams");
    }
    RepoConfig c = new RepoConfig(
        text(r, "label", b.label()),
        command(r, b.command()),
        logins(allowed, "allowed.users", b.allowedUsers()),
        logins(allowed, "allowed.teams", b.allowedTeams()),
        integer(r, "max_concurrent_tasks", b.maxConcurrentTasks(), 1, 100),
        integer(r, "max_queued_tasks", b.maxQueuedTasks(), 1, 1000),
        integer(r, "max_open_pull_requests", b.maxOpenPullRequests(), 1, 100),
        integer(r, "max_tasks_per_week", b.maxTasksPerWeek(), 0, 10_000),
        duration(r, "task_timeout", b.taskTimeout(), Duration.ofMinutes(1), Duration.ofHours(12)),
        text(r, "base_branch", b.baseBranch()),
        model(r, b.model()),
        strings(r, "protected_paths", b.protectedPaths()),
        integer(r, "stale_days", b.staleDays(), 1, 365),
        integer(r, "close_days", b.closeDays(), 1, 365),
        logins(r, "fallback_reviewers", b.fallbackReviewers()),
        integer(r, "max_reviewers", b.maxReviewers(), 1, 15),
        boundary(r, b.boundary()),
        duration(r, "rollback_grace", b.rollbackGrace(), Duration.ZERO, Duration.ofDays(30)),
        onFailure(r, b.onFailure()),
        modules(r, b.modules()),
        bool(r, "allow_whole_repository_scope", b.allowWholeRepositoryScope()),
        duration(r, "min_start_gap", b.minStartGap(), Duration.ZERO, Duration.ofHours(24)),
        new WindowReader(this::problem).read(r.get("dispatch_window"), b.dispatchWindow()),
        breaker(r.path("circuit_breaker"), b.circuitBreaker()),
        agentToken(r, b.agentToken()), latePullRequest(r, b.latePullRequest()));
    String ext = r.has("_extends") ? text(r, "_extends", null) : null;
    return problems.isEmpty() ? new Parsed(c, List.of(), ext) : new Parsed(b, List.copyOf(problems), ext);
  }

  private String text(JsonNode r, String key, String fallback) {
    JsonNode v = r.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      return problem(key, key + " must be a non-empty string", fallback);
    }
    return v.asText().trim();
  }

  private String command(JsonNode r, String fallback) {
    String v = text(r, "command", fallback);
    if (v != null && (!v.startsWith("/") || v.contains(" ") || v.length() < 2)) {
      return problem("command", "command must be one word starting with '/', such as /copilot", fallback);
    }
    return v;
  }

  private String model(JsonNode r, String fallback) {
    String v = text(r, "model", fallback);
    return v == null || v.equalsIgnoreCase("auto") || v.equalsIgnoreCase("automatic") ? null : v;
  }

  private String agentToken(JsonNode r, String fallback) {
    String v = text(r, "agent_token", fallback);
    if (!RepoConfig.SERVICE_ACCOUNT.equals(v) && !RepoConfig.USER.equals(v)) {
      return problem("agent_token", "agent_token must be service_account or user, got '" + v + "'", fallback);
    }
    return v;
  }

  private int integer(JsonNode r, String key, int fallback, int min, int max) {
    JsonNode v = r.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
      return problem(key, key + " must be a whole number from " + min + " to " + max + ", got " + v, fallback);
    }
    return v.asInt();
  }

  private boolean bool(JsonNode r, String key, boolean fallback) {
    JsonNode v = r.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    return v.isBoolean() ? v.asBoolean() : problem(key, key + " must be true or false, got " + v, fallback);
  }

  private Duration duration(JsonNode r, String key, Duration fallback, Duration min, Duration max) {
    JsonNode v = r.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    try {
      Duration d = Durations.parse(v.asText());
      if (v.isTextual() && d.compareTo(min) >= 0 && d.compareTo(max) <= 0) {
        return d;
      }
    } catch (IllegalArgumentException ignored) {
      // reported below
    }
    return problem(key, key + " must be a duration such as 45m or 24h, from " + min.toMinutes() + "m to "
        + max.toHours() + "h, got " + v, fallback);
  }

  private BoundaryMode boundary(JsonNode r, BoundaryMode fallback) {
    String v = text(r, "boundary", null);
    if (v == null) {
      return fallback;
    }
    try {
      return BoundaryMode.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return problem("boundary", "boundary must be off, warn or require, got '" + v + "'", fallback);
    }
  }

  private RepoConfig.LatePullRequest latePullRequest(JsonNode r, RepoConfig.LatePullRequest fallback) {
    String v = text(r, "late_pull_request", null);
    if (v == null) {
      return fallback;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "close" -> RepoConfig.LatePullRequest.CLOSE;
      case "keep" -> RepoConfig.LatePullRequest.KEEP;
      default -> problem("late_pull_request", "late_pull_request must be close or keep, got '" + v + "'", fallback);
    };
  }

  private String onFailure(JsonNode r, String fallback) {
    String v = text(r, "on_failure", fallback);
    if (v != null && !ON_FAILURE.matcher(v).matches()) {
      return problem("on_failure", "on_failure must be close, keep-branch or notify @someone, got '" + v + "'",
          fallback);
    }
    return v;
  }

  /** A list of strings at {@code path} (dotted; the last part is the key in {@code r}). */
  private List<String> strings(JsonNode r, String path, List<String> fallback) {
    String key = path.substring(path.lastIndexOf('.') + 1);
    JsonNode v = r.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    List<String> out = new ArrayList<>();
    if (!v.isArray()) {
      return problem(path, path + " must be a list of strings", fallback);
    }
    for (JsonNode item : v) {
      if (!item.isTextual() || item.asText().isBlank()) {
        return problem(path, path + " must be a list of strings, got " + item, fallback);
      }
      out.add(item.asText().trim());
    }
    return List.copyOf(out);
  }

  private List<String> logins(JsonNode parent, String path, List<String> fallback) {
    List<String> names = strings(parent, path, null);
    if (names == null) {
      return fallback;
    }
    for (String n : names) {
      if (!LOGIN.matcher(n).matches()) {
        return problem(path, path + " holds '" + n + "', which is not a GitHub user or org/team", fallback);
      }
    }
    return names.stream().map(n -> n.startsWith("@") ? n.substring(1) : n).toList();
  }

  private Map<String, List<String>> modules(JsonNode r, Map<String, List<String>> fallback) {
    JsonNode v = r.get("modules");
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isObject()) {
      return problem("modules", "modules must map a module name to a list of path globs", fallback);
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    var it = v.fields();
    while (it.hasNext()) {
      var e = it.next();
      List<String> globs = strings(v, "modules." + e.getKey(), null);
      if (globs == null || globs.isEmpty()) {
        return problem("modules." + e.getKey(), "module '" + e.getKey() + "' must list at least one path glob",
            fallback);
      }
      out.put(e.getKey(), globs);
    }
    return Map.copyOf(out);
  }

  private RepoConfig.Breaker breaker(JsonNode v, RepoConfig.Breaker fallback) {
    if (v.isMissingNode() || v.isNull()) {
      return fallback;
    }
    if (!v.isObject()) {
      return problem("circuit_breaker", "circuit_breaker must be a mapping with window, threshold, cool_down",
          fallback);
    }
    v.fieldNames().forEachRemaining(k -> {
      if (!Set.of("window", "threshold", "cool_down").contains(k)) {
        problem("circuit_breaker." + k, "unknown key 'circuit_breaker." + k + "' (use window, threshold, cool_down)");
      }
    });
    int window = integer(v, "window", fallback.window(), 1, 100);
    JsonNode t = v.get("threshold");
    double threshold = fallback.threshold();
    if (t != null && (!t.isNumber() || t.asDouble() <= 0 || t.asDouble() > 1)) {
      problem("circuit_breaker.threshold", "circuit_breaker.threshold must be a share above 0 and at most 1,"
          + " such as 0.5, got " + t);
    } else if (t != null) {
      threshold = t.asDouble();
    }
    Duration coolDown = duration(v, "cool_down", fallback.coolDown(), Duration.ofMinutes(1), Duration.ofDays(7));
    return new RepoConfig.Breaker(window, threshold, coolDown);
  }

  <T> T problem(String path, String message, T fallback) {
    problems.add(new ConfigProblem(file, doc.lineOf(path), message));
    return fallback;
  }

  private void problem(String path, String message) {
    problem(path, message, null);
  }

  private static String suggestion(String key) {
    String best = null;
    int bestDistance = 3;
    for (String k : KEYS) {
      int d = distance(key.toLowerCase(Locale.ROOT), k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best == null ? "" : " (did you mean '" + best + "'?)";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int[] cur = new int[b.length() + 1];
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      prev = cur;
    }
    return prev[b.length()];
  }
}
