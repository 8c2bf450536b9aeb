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
 * (the permission API reports maintain as write). Bots never
 * trigger (the loop guard, FACTS.md 7). When {@code allowed.users} or {@code allowed.teams} is set, the person must
 * be one of those users or an active member of one of those teams (team membership API, members: read).
 */
public final class Access {
  /** A permission change takes effect within this; a burst of commands costs one lookup. */
  static final Duration TTL = Duration.ofMinutes(1);

  private final Cache<String, String> permissions = Caffeine.newBuilder().maximumSize(10_000)
      .expireAfterWrite(TTL).build();
  /** Team memberships, cached like permissions: "org/team\nuser" to member or not. */
  private final Cache<String, Boolean> teams = Caffeine.newBuilder().maximumSize(10_000)
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
    if (config.allowedUsers().isEmpty() && config.allowedTeams().isEmpty()) {
      return null;
    }
    if (config.allowedUsers().stream().anyMatch(u -> u.equalsIgnoreCase(user))
        || config.allowedTeams().stream().anyMatch(t -> inTeam(gh, t, user))) {
      return null;
    }
    String lists = config.allowedTeams().isEmpty() ? "`allowed.users`"
        : config.allowedUsers().isEmpty() ? "any team of `allowed.teams`" : "`allowed.users` or any team of"
            + " `allowed.teams`";
    return "@" + user + " is not in " + lists + " of " + RepoConfig.PATH + ", which limits who may start the"
        + " Copilot agent here.";
  }

  /** Whether {@code user} is an active member of {@code org/team} (a bare team name means the repository's owner). */
  private boolean inTeam(GitHubGateway gh, String team, String user) {
    String t = team.startsWith("@") ? team.substring(1) : team;
    String org = t.contains("/") ? t.substring(0, t.indexOf('/')) : gh.repo().owner();
    String slug = t.substring(t.indexOf('/') + 1);
    return teams.get(org.toLowerCase(Locale.ROOT) + "/" + slug.toLowerCase(Locale.ROOT) + "\n"
        + user.toLowerCase(Locale.ROOT), k -> gh.isActiveTeamMember(org, slug, user));
  }

  boolean isAdmin(GitHubGateway gh, String repository, String user) {
    return permission(gh, repository, user).equals("admin");
  }
}
