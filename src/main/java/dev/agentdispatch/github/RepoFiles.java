package dev.agentdispatch.github;

import dev.agentdispatch.config.RepoConfigLoader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Files from a repository's default branch, read with an installation token that may only read contents:
 * where repository configuration comes from. A missing file or repository is empty; other failures throw.
 */
public final class RepoFiles implements RepoConfigLoader.FileSource {
  private final GitHubClient github;

  public RepoFiles(GitHubClient github) {
    this.github = github;
  }

  @Override
  public Optional<String> read(String repository, String path) {
    try {
      byte[] bytes = github.gateway(RepoRef.of(repository), Permissions.CONTENTS_READ).getContent(path, null);
      return Optional.of(new String(bytes, StandardCharsets.UTF_8));
    } catch (GitHubCallFailed e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
