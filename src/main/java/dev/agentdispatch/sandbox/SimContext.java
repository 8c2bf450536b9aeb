package dev.agentdispatch.sandbox;

/** What route classes share: the world, auth, renderers, webhook side and the agent. */
record SimContext(SimState state, SimAuth auth, Render render, IssueRender issues, PullRender pulls,
    MiscRender misc, Hooks hooks, SimActions actions, WebhookSender sender, SimulatedAgent agent) {

  /** The repository named in the path, or 404. */
  SimRepo repo(SimRequest req) {
    SimRepo r = state.repo(req.repoName());
    if (r == null) throw SimError.notFound();
    return r;
  }

  /** The acting account for webhooks and authorship: the user, or the app's bot for installation tokens. */
  SimIssue issue(SimRepo repo, SimRequest req) {
    SimIssue i = repo.issues.get(req.intParam("issue_number"));
    if (i == null) throw SimError.notFound();
    return i;
  }

  SimPull pull(SimRepo repo, SimRequest req) {
    SimPull p = repo.pulls.get(req.intParam("pull_number"));
    if (p == null) throw SimError.notFound();
    return p;
  }

  /** Issue endpoints on a pull request accept the pull_requests permission too. */
  void requireIssue(SimRequest req, SimRepo repo, SimIssue i, String level, String role) {
    Principal p = req.principal();
    if (i != null && i.isPull && p.kind() == Principal.Kind.INSTALLATION
        && SimAuth.has(p.token(), "pull_requests", level)) {
      auth.requireRepo(p, repo, "pull_requests", level, role);
      return;
    }
    auth.requireRepo(p, repo, "issues", level, role);
  }

  SimUser actor(SimRequest req) {
    Principal p = req.principal();
    return p.user() != null ? p.user() : state.app.bot;
  }
}
