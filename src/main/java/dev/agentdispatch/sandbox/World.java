package dev.agentdispatch.sandbox;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Seeding API. Seeding is quiet (no webhooks) except {@link #announceInstallation}; use the REST API or
 * the asUser helpers when a test wants GitHub to announce a change.
 */
public final class World {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final SimState state;
  private final SimActions actions;
  private final Hooks hooks;

  World(SimState state, SimActions actions, Hooks hooks) {
    this.state = state;
    this.actions = actions;
    this.hooks = hooks;
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Registers the app with a freshly generated RSA key pair and a random webhook secret. */
  public SimApp app(long id, String slug, String ownerLogin, Map<String, String> permissions, List<String> events) {
    synchronized (state) {
      SimUser owner = state.user(ownerLogin) != null ? state.user(ownerLogin) : org(ownerLogin);
      SimUser bot = state.addUser(slug + "[bot]", "Bot");
      state.app = new SimApp(id, slug, "Iv23sim" + Long.toString(id, 36), slug, owner, bot, Pem.generate(),
          permissions, events, state.nextId());
      state.app.webhookSecret = "simsecret-" + hex(12);
      state.app.clientSecret = "simclientsecret-" + hex(16);
      return state.app;
    }
  }

  void replaceKey(KeyPair keys) {
    synchronized (state) {
      SimApp a = state.app;
      SimApp b = new SimApp(a.id, a.slug, a.clientId, a.name, a.owner, a.bot, keys, a.permissions, a.events, a.hookId);
      b.webhookUrl = a.webhookUrl;
      b.webhookSecret = a.webhookSecret;
      b.clientSecret = a.clientSecret;
      b.callbackUrl = a.callbackUrl;
      state.app = b;
    }
  }

  public SimUser org(String login) {
    synchronized (state) {
      SimUser u = state.user(login);
      return u != null ? u : state.addUser(login, "Organization");
    }
  }

  /** A user with a personal access token "simpat_<login>_<hex>" (deliberately not GitHub's token format). */
  public SimUser user(String login) {
    synchronized (state) {
      SimUser u = state.user(login);
      if (u != null) return u;
      u = state.addUser(login, "User");
      u.pat = "simpat_" + login.toLowerCase(Locale.ROOT) + "_" + hex(4);
      return u;
    }
  }

  /**
   * Mints a GitHub App user access token ("ghu_sim..." , 8 hours) acting as {@code login} on the repositories the
   * app's installations reach, as the web flow would hand out (FACTS §2.3).
   */
  public String userAccessToken(String login) {
    synchronized (state) {
      return OAuthPages.mint(state, user(login), "ghu_sim" + hex(18), OAuthPages.ACCESS_LIFETIME);
    }
  }

  /**
   * The person revokes the app's authorisation (Settings > Applications): every user access and refresh token of
   * theirs stops working, and GitHub sends the app {@code github_app_authorization.revoked}.
   */
  public void revokeAuthorization(String login) {
    synchronized (state) {
      SimUser u = user(login);
      OAuthPages.revoke(state, u);
      hooks.authorizationRevoked(u);
    }
  }

  /** A repository whose default branch holds {@code files} (path to content). */
  public SimRepo repo(String fullName, String defaultBranch, boolean isPrivate, Map<String, String> files) {
    synchronized (state) {
      String[] p = fullName.split("/", 2);
      SimUser owner = state.user(p[0]) != null ? state.user(p[0]) : org(p[0]);
      SimRepo r = state.addRepo(new SimRepo(state.nextId(), owner, p[1], defaultBranch, isPrivate, state.clock.now()));
      r.refs.put("heads/" + defaultBranch, r.commit(null, files, "Initial commit"));
      return r;
    }
  }

  public void collaborator(String repo, String login, String role) {
    synchronized (state) {
      user(login);
      need(repo).collaborators.put(login.toLowerCase(Locale.ROOT), role);
    }
  }

  public SimTeam team(String org, String slug, String name, List<String> members) {
    synchronized (state) {
      SimTeam t = new SimTeam(state.nextId(), org, slug, name);
      members.forEach(m -> t.members.add(user(m).login));
      state.addTeam(t);
      return t;
    }
  }

  /** Gives team "org/slug" a role on the repository. */
  public void teamAccess(String repo, String orgSlashTeam, String role) {
    synchronized (state) {
      need(repo).teamPermissions.put(orgSlashTeam, role);
    }
  }

  public SimLabel label(String repo, String name, String color, String description) {
    synchronized (state) {
      SimLabel l = actions.ensureLabel(need(repo), name);
      l.color = color;
      l.description = description;
      return l;
    }
  }

  /** An existing issue (no webhook); returns its number. */
  public int issue(String repo, String author, String title, String body, List<String> labels) {
    synchronized (state) {
      SimRepo r = need(repo);
      SimIssue i = new SimIssue(state.nextId(), r.nextNumber(), user(author), false, title, body, state.clock.now());
      labels.forEach(l -> i.labels.add(actions.ensureLabel(r, l).name));
      r.issues.put(i.number, i);
      return i.number;
    }
  }

  /** A branch off {@code from} with one commit of {@code files}; returns its head sha. */
  public String branch(String repo, String name, String from, Map<String, String> files) {
    synchronized (state) {
      SimRepo r = need(repo);
      String sha = r.commit(r.branchSha(from), files, "Work on " + name);
      r.refs.put("heads/" + name, sha);
      return sha;
    }
  }

  /** Installs the app on an account: on the listed repositories, or on all when none are listed. */
  public SimInstallation install(String account, List<String> repos) {
    synchronized (state) {
      SimInstallation i = new SimInstallation(state.nextId(), org(account), repos.isEmpty(), state.clock.now());
      repos.forEach(x -> i.repositories.add(need(x).fullName()));
      state.installations.put(i.id, i);
      return i;
    }
  }

  /** Sends installation.created for an installation, as GitHub does when someone installs the app. */
  public void announceInstallation(long installationId, String byLogin) {
    synchronized (state) {
      hooks.installationCreated(state.installations.get(installationId), user(byLogin));
    }
  }

  /** Acts as a user without HTTP (sends webhooks like the REST API): label an issue. */
  public void asUserLabel(String repo, int number, String login, String label) {
    synchronized (state) {
      SimRepo r = need(repo);
      actions.addLabel(r, r.issues.get(number), label, user(login));
    }
  }

  /** Marks a draft pull request ready for review as a user (GitHub does this via GraphQL or the web UI). */
  public void readyForReview(String repo, int number, String login) {
    synchronized (state) {
      SimRepo r = need(repo);
      SimPull p = r.pulls.get(number);
      if (p == null) throw new IllegalArgumentException("no pull request " + repo + "#" + number);
      actions.readyForReview(r, p, user(login));
    }
  }

  // --- pull request news for judging tests (issue 6), each with the webhooks GitHub sends ---

  /** The head commit of a pull request. */
  public String headSha(String repo, int number) {
    synchronized (state) {
      return pull(need(repo), number).headSha;
    }
  }

  /**
   * A CI app reports a check run named {@code name} on {@code sha}: completed with {@code conclusion} (success,
   * failure, neutral, ...), or still in progress when it is null; a run of that name in progress is completed.
   * Sends check_run (and check_suite.completed).
   */
  public void checkRun(String repo, String sha, String name, String conclusion) {
    synchronized (state) {
      actions.reportCheckRun(need(repo), sha, name, conclusion, user("github-actions"));
    }
  }

  /** What GitHub reports as the pull request's mergeability (null: not computed yet). */
  public void mergeable(String repo, int number, Boolean mergeable) {
    synchronized (state) {
      SimPull p = pull(need(repo), number);
      p.mergeable = mergeable;
      p.mergeableState = mergeable == null ? "unknown" : mergeable ? "clean" : "dirty";
    }
  }

  /** Pushes a commit of {@code files} on a branch as {@code login}; its open pull requests get synchronize. */
  public String push(String repo, String branch, Map<String, String> files, String login) {
    synchronized (state) {
      return actions.push(need(repo), branch, files, "Change on " + branch, user(login));
    }
  }

  /** {@code login} reviews a pull request: APPROVE, REQUEST_CHANGES or COMMENT (pull_request_review.submitted). */
  public void review(String repo, int number, String login, String event, String body) {
    synchronized (state) {
      SimRepo r = need(repo);
      actions.review(r, pull(r, number), user(login), event, body);
    }
  }

  private static SimPull pull(SimRepo r, int number) {
    SimPull p = r.pulls.get(number);
    if (p == null) throw new IllegalArgumentException("no pull request " + r.fullName() + "#" + number);
    return p;
  }

  private SimRepo need(String repo) {
    SimRepo r = state.repo(repo);
    if (r == null) throw new IllegalArgumentException("no repository " + repo);
    return r;
  }
}
