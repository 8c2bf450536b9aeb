package dev.agentdispatch.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a repository's config as Probot apps do: built-in defaults, then the organisation's defaults
 * ({@code .github/agent-dispatch.yml} in its {@code .github} repository, or the repository named by
 * {@code _extends}), then the repository's own file, read from its default branch. An invalid file leaves the
 * last valid config of that repository (or the defaults) in force, and its problems are returned to report.
 */
public final class RepoConfigLoader {
  private static final Logger log = LoggerFactory.getLogger(RepoConfigLoader.class);

  /** Reads a file from a repository's default branch; empty if the repository or file does not exist. */
  @FunctionalInterface
  public interface FileSource {
    Optional<String> read(String repository, String path);
  }

  /** The config in force for a repository, and any problems found in its files this time. */
  public record Resolved(RepoConfig config, List<ConfigProblem> problems) {}

  private final FileSource files;
  private final Map<String, RepoConfig> lastValid = new ConcurrentHashMap<>();

  public RepoConfigLoader(FileSource files) {
    this.files = files;
  }

  /** The config for {@code owner/repo}. */
  public Resolved load(String repository) {
    String owner = repository.substring(0, repository.indexOf('/'));
    Optional<String> own = files.read(repository, RepoConfig.PATH);
    RepoConfigParser.Parsed local = own.map(y -> RepoConfigParser.parse(repository + "/" + RepoConfig.PATH, y,
        RepoConfig.DEFAULTS)).orElse(null);
    if (local != null && !local.valid()) {
      return keepLastValid(repository, local.problems());
    }
    String ref = local != null && local.extendsRef() != null ? local.extendsRef() : ".github";
    String baseRepo = baseRepository(owner, ref);
    String basePath = ref.contains(":") ? ref.substring(ref.indexOf(':') + 1) : RepoConfig.PATH;
    RepoConfig base = RepoConfig.DEFAULTS;
    if (!baseRepo.equals(repository)) {
      Optional<String> shared = files.read(baseRepo, basePath);
      if (shared.isPresent()) {
        RepoConfigParser.Parsed org = RepoConfigParser.parse(baseRepo + "/" + basePath, shared.get(),
            RepoConfig.DEFAULTS);
        if (!org.valid()) {
          return keepLastValid(repository, org.problems());
        }
        base = org.config();
      }
    }
    RepoConfig config = own.isEmpty() ? base
        : RepoConfigParser.parse(repository + "/" + RepoConfig.PATH, own.get(), base).config();
    lastValid.put(repository, config);
    return new Resolved(config, List.of());
  }

  private Resolved keepLastValid(String repository, List<ConfigProblem> problems) {
    RepoConfig kept = lastValid.getOrDefault(repository, RepoConfig.DEFAULTS);
    log.warn("RepoConfigLoader: {} has an invalid config ({}); keeping the last valid one", repository,
        problems.get(0));
    return new Resolved(kept, problems);
  }

  /** {@code _extends: .github} (same owner), {@code other-repo}, {@code owner/repo}, each optionally {@code :path}. */
  static String baseRepository(String owner, String ref) {
    String r = ref.contains(":") ? ref.substring(0, ref.indexOf(':')) : ref;
    return r.contains("/") ? r : owner + "/" + r;
  }
}
