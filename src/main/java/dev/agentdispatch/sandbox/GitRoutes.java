package dev.agentdispatch.sandbox;

/** Git references: get, create, move, delete (branch names may contain slashes). */
final class GitRoutes {
  private final SimContext c;

  GitRoutes(SimContext c) {
    this.c = c;
  }

  void register(Router r) {
    r.get("/repos/{owner}/{repo}/git/ref/{ref+}", this::get);
    r.post("/repos/{owner}/{repo}/git/refs", this::create);
    r.patch("/repos/{owner}/{repo}/git/refs/{ref+}", this::update);
    r.delete("/repos/{owner}/{repo}/git/refs/{ref+}", this::delete);
  }

  private static String norm(String ref) {
    return ref.startsWith("refs/") ? ref.substring(5) : ref;
  }

  private SimResponse get(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "contents", "read", "read");
    String ref = norm(req.param("ref"));
    String sha = repo.refs.get(ref);
    if (sha == null) throw SimError.notFound();
    return SimResponse.ok(c.misc().gitRef(repo, ref, sha));
  }

  private SimResponse create(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "contents", "write", "write");
    String full = req.bodyText("ref");
    String sha = req.bodyText("sha");
    if (!full.startsWith("refs/") || full.chars().filter(ch -> ch == '/').count() < 2) {
      throw new SimError(422, "Reference name must start with 'refs/' and have at least two slashes.");
    }
    String ref = norm(full);
    if (repo.refs.containsKey(ref)) throw new SimError(422, "Reference already exists");
    if (!repo.commits.containsKey(sha)) throw new SimError(422, "Object does not exist");
    Rules.checkCreate(repo, ref, req.principal());
    repo.refs.put(ref, sha);
    c.state().log(repo.fullName() + ":create-ref:" + ref);
    return SimResponse.created(c.misc().gitRef(repo, ref, sha));
  }

  private SimResponse update(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "contents", "write", "write");
    String ref = norm(req.param("ref"));
    if (!repo.refs.containsKey(ref)) throw new SimError(422, "Reference does not exist");
    String sha = req.bodyText("sha");
    if (!repo.commits.containsKey(sha)) throw new SimError(422, "Object does not exist");
    repo.refs.put(ref, sha);
    c.state().log(repo.fullName() + ":update-ref:" + ref);
    for (SimPull p : repo.pulls.values()) {
      if (("heads/" + p.headRef).equals(ref) && p.issue.state.equals("open") && !p.headSha.equals(sha)) {
        String before = p.headSha;
        p.headSha = sha;
        c.hooks().pullRequest("synchronize", repo, p, c.actor(req), before, sha);
      }
    }
    return SimResponse.ok(c.misc().gitRef(repo, ref, sha));
  }

  private SimResponse delete(SimRequest req) {
    SimRepo repo = c.repo(req);
    c.auth().requireRepo(req.principal(), repo, "contents", "write", "write");
    String ref = norm(req.param("ref"));
    if (!repo.refs.containsKey(ref)) throw new SimError(422, "Reference does not exist");
    if (ref.equals("heads/" + repo.defaultBranch)) throw new SimError(422, "Cannot delete the default branch");
    Rules.checkDelete(repo, ref, req.principal());
    repo.refs.remove(ref);
    c.state().log(repo.fullName() + ":delete-ref:" + ref);
    return SimResponse.noContent();
  }
}
