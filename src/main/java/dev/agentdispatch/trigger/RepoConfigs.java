package dev.agentdispatch.trigger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.agentdispatch.config.ConfigProblem;
import dev.agentdispatch.config.RepoConfig;
import dev.agentdispatch.config.RepoConfigLoader;
import dev.agentdispatch.github.GitHubClient;
import dev.agentdispatch.github.RepoFiles;
import dev.agentdispatch.github.GitHubGateway;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repository configs the triggers and the queue read, through one {@link RepoConfigLoader} (which keeps the last
 * valid config when a file turns invalid), cached {@link #TTL}. Problems in a file are told once per repository and
 * set of problems, as a comment on the issue that ran into them.
 */
public final class RepoConfigs {
  private static final Logger log = LoggerFactory.getLogger(RepoConfigs.class);
  /** A config edit takes effect within this; triggers and the queue's claim read it often. */
  public static final Duration TTL = Duration.ofMinutes(1);

  private final RepoConfigLoader loader;
  private final Cache<String, RepoConfigLoader.Resolved> cache;
  private final Set<String> told = ConcurrentHashMap.newKeySet();

  public RepoConfigs(RepoConfigLoader loader) {
    this(loader, null);
  }

  /** With {@code clock} timing the cache (tests move it past {@link #TTL}); null: real time. */
  public RepoConfigs(RepoConfigLoader loader, java.time.Clock clock) {
    this.loader = loader;
    Caffeine<Object, Object> b = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(TTL);
    if (clock != null) {
      b.ticker(() -> clock.millis() * 1_000_000L);
    }
    this.cache = b.build();
  }

  /** Reads the files from each repository's default branch with an installation token (contents: read). */
  public static RepoConfigs fromGitHub(GitHubClient github) {
    return new RepoConfigs(new RepoConfigLoader(new RepoFiles(github)));
  }

  /** The config in force; the defaults when the file cannot be read at all. */
  public RepoConfig config(String repository) {
    return resolved(repository).config();
  }

  RepoConfigLoader.Resolved resolved(String repository) {
    try {
      return cache.get(repository, loader::load);
    } catch (RuntimeException e) {
      log.warn("RepoConfigs: cannot read the config, using the defaults; repo={} error={}", repository, e.getMessage());
      return new RepoConfigLoader.Resolved(RepoConfig.DEFAULTS, List.of());
    }
  }

  /** The config for a trigger on {@code issue}: problems are commented there, once per repository and problem set. */
  RepoConfig forIssue(String repository, GitHubGateway gh, int issue) {
    RepoConfigLoader.Resolved r = resolved(repository);
    if (!r.problems().isEmpty()) {
      String problems = r.problems().stream().map(ConfigProblem::toString).sorted().collect(Collectors.joining("\n"));
      if (told.add(repository + "\n" + problems)) {
        gh.createIssueComment(issue, "agent-dispatch found problems in its configuration and keeps using the last"
            + " valid one until they are fixed:\n\n" + r.problems().stream().map(p -> "- `" + p + "`")
            .collect(Collectors.joining("\n")) + "\n");
      }
    }
    return r.config();
  }
}
