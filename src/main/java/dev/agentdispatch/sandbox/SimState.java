package dev.agentdispatch.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated world. Everything is keyed by full repository name ("owner/repo", case-insensitive), never by
 * number alone. Callers hold the monitor of this object while they read or change it.
 */
public final class SimState {
  public final SimClock clock;
  private final AtomicLong ids = new AtomicLong(5_000_000);
  private final Map<String, SimUser> users = new LinkedHashMap<>();
  private final Map<String, SimRepo> repos = new LinkedHashMap<>();
  public final Map<Long, SimInstallation> installations = new LinkedHashMap<>();
  public final Map<String, SimTeam> teams = new LinkedHashMap<>();
  public final Map<String, SimToken> tokens = new LinkedHashMap<>();
  /** GitHub App user access tokens ("ghu_..."): token to user; the SimToken holds reach and expiry. */
  final Map<String, Principal> userTokens = new LinkedHashMap<>();
  /** Unused OAuth codes and refresh tokens of the web flow (OAuthPages). */
  final Map<String, OAuthPages.Code> oauthCodes = new LinkedHashMap<>();
  final Map<String, OAuthPages.Refresh> refreshTokens = new LinkedHashMap<>();
  /** Who signs in on the authorize page when the app sends no login hint; null: the first seeded user. */
  public volatile String oauthDefaultLogin;
  public final Map<Long, SimComment> comments = new LinkedHashMap<>();
  public final Map<Long, SimCheckRun> checkRuns = new LinkedHashMap<>();
  public final Map<String, AgentTask> tasks = new LinkedHashMap<>();
  private final List<String> writeLog = new ArrayList<>();
  public SimApp app;

  public SimState(SimClock clock) {
    this.clock = clock;
  }

  public long nextId() { return ids.incrementAndGet(); }

  public synchronized SimUser addUser(String login, String type) {
    SimUser u = new SimUser(login, nextId(), type);
    users.put(login.toLowerCase(Locale.ROOT), u);
    return u;
  }

  /** Registers an account with a fixed id (e.g. the Copilot bot, 198982749). */
  public synchronized SimUser addUser(String login, long id, String type) {
    SimUser u = new SimUser(login, id, type);
    users.put(login.toLowerCase(Locale.ROOT), u);
    return u;
  }

  public synchronized SimUser user(String login) {
    return login == null ? null : users.get(login.toLowerCase(Locale.ROOT));
  }

  public synchronized List<SimUser> users() { return List.copyOf(users.values()); }

  public synchronized SimRepo addRepo(SimRepo r) {
    repos.put(r.fullName().toLowerCase(Locale.ROOT), r);
    return r;
  }

  public synchronized SimRepo repo(String fullName) {
    return fullName == null ? null : repos.get(fullName.toLowerCase(Locale.ROOT));
  }

  public synchronized List<SimRepo> repos() { return List.copyOf(repos.values()); }

  public synchronized SimRepo repoById(long id) {
    return repos.values().stream().filter(r -> r.id == id).findFirst().orElse(null);
  }

  public synchronized SimTeam team(String org, String slug) {
    return teams.get((org + "/" + slug).toLowerCase(Locale.ROOT));
  }

  public synchronized void addTeam(SimTeam t) {
    teams.put((t.org + "/" + t.slug).toLowerCase(Locale.ROOT), t);
  }

  /** The installation of the app that reaches this repository, or null. */
  public synchronized SimInstallation installationFor(SimRepo repo) {
    for (SimInstallation i : installations.values()) {
      if (i.account.login.equalsIgnoreCase(repo.owner.login)
          && (i.allRepositories || i.repositories.contains(repo.fullName()))) return i;
    }
    return null;
  }

  /** Full names of the repositories an installation reaches. */
  public synchronized List<String> reposOf(SimInstallation inst) {
    List<String> out = new ArrayList<>();
    for (SimRepo r : repos.values()) {
      if (inst.account.login.equalsIgnoreCase(r.owner.login)
          && (inst.allRepositories || inst.repositories.contains(r.fullName()))) out.add(r.fullName());
    }
    return out;
  }

  /** A user's role on a repository: admin, maintain, write, triage, read or none (owner account = admin). */
  public synchronized String roleOf(SimRepo repo, SimUser user) {
    if (user == null) return "none";
    if (user.login.equalsIgnoreCase(repo.owner.login)) return "admin";
    String best = repo.collaborators.getOrDefault(user.login.toLowerCase(Locale.ROOT), "none");
    for (var e : repo.teamPermissions.entrySet()) {
      SimTeam t = teams.get(e.getKey().toLowerCase(Locale.ROOT));
      if (t != null && t.members.stream().anyMatch(m -> m.equalsIgnoreCase(user.login))
          && Roles.rank(e.getValue()) > Roles.rank(best)) best = e.getValue();
    }
    return best;
  }

  /** Appends a line like "octo/demo#12:label:agent-task" to the write log. */
  public synchronized void log(String line) { writeLog.add(line); }

  public synchronized List<String> writeLog() { return List.copyOf(writeLog); }
}
