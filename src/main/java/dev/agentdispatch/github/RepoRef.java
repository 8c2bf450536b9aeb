package dev.agentdispatch.github;

/**
 * A repository a gateway works on: "owner/name", plus its id and installation id when the webhook payload
 * carried them (null = look them up).
 */
public record RepoRef(String owner, String name, Long id, Long installationId) {
  public RepoRef {
    if (owner == null || name == null || !owner.matches("[A-Za-z0-9_.-]+") || !name.matches("[A-Za-z0-9_.-]+")
        || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("not a repository name: " + owner + "/" + name);
    }
  }

  /** From "owner/name"; id and installation are looked up when needed. */
  public static RepoRef of(String fullName) {
    int slash = fullName == null ? -1 : fullName.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a repository name: " + fullName);
    }
    return new RepoRef(fullName.substring(0, slash), fullName.substring(slash + 1), null, null);
  }

  /** From what a webhook payload says (repository.full_name, repository.id, installation.id). */
  public static RepoRef of(String fullName, Long id, Long installationId) {
    RepoRef r = of(fullName);
    return new RepoRef(r.owner, r.name, id, installationId);
  }

  public String fullName() {
    return owner + "/" + name;
  }

  /** The REST path of this repository, e.g. "/repos/octo-demo/webapp". */
  String path() {
    return "/repos/" + owner + "/" + name;
  }
}
