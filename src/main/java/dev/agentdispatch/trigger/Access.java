package dev.agentdispatch.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.agentdispatch.config.RepoConfig;
import dev.agentdispatch.github.GitHubGateway;
import java.time.Duration;
import java.util.Locale;

/**
 * Who may start or steer agent tasks (FACTS.md 1.7 and 6): people with write, maintain or admin on the repository
 * (the permission API reports maintain as write), and when {@code allowed.users} is set, only those. Bots never
 * trigger (the loop guard, FACTS.md 7). {@code allowed.teams} is not checked yet.
 */
public final class Access {
  /** A permission change takes effect within this; a burst of commands costs one lookup. */
  static final Duration TTL = Duration.ofMinutes(1);

  private final Cache<String, String> permissions = Caffeine.newBuilder().maximumSize(10_000)
      .expireAfterWrite(TTL).build();

  /** {@code sender.type == "Bot"}. */
  static boolean isBot(JsonNode payload) {
    return "Bot".equals(payload.path("sender").path("type").asText());
  }

  /** "admin", "write", "read" or "none", cached per repository and user. */
  String permission(GitHubGateway gh, String repository, String user) {
    return permissions.get(repository + "\n" + user.toLowerCase(Locale.ROOT), k -> gh.getCollaboratorPermission(user));
  }

  /** Null when {@code user} may trigger, else the reason for the refusal comment. */
  String refusal(GitHubGateway gh, String repository, String user, RepoConfig config) {
    String p = permission(gh, repository, user);
    if (!p.equals("admin") && !p.equals("write")) {
      return "@" + user + " has " + p + " access to " + repository + "; starting the Copilot agent needs write,"
          + " maintain or admin access.";
    }
    if (!config.allowedUsers().isEmpty()
        && config.allowedUsers().stream().noneMatch(u -> u.equalsIgnoreCase(user))) {
      return "@" + user + " is not in `allowed.users` of " + RepoConfig.PATH + ", which limits who may start the"
          + " Copilot agent here.";
    }
    return null;
  }

  boolean isAdmin(GitHubGateway gh, String repository, String user) {
    return permission(gh, repository, user).equals("admin");
  }
}
