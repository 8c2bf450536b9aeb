package dev.agentdispatch.agent;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.agentdispatch.config.RepoConfigLoader;
import dev.agentdispatch.github.GitHubClient;
import dev.agentdispatch.github.RepoFiles;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A repository's {@code task_timeout} from its .github/agent-dispatch.yml (default 60 min), read from the
 * default branch with an installation token (contents: read) and kept {@link #TTL} so a poll costs no read.
 */
public final class TaskTimeouts implements Function<String, Duration> {
  private static final Logger log = LoggerFactory.getLogger(TaskTimeouts.class);
  /** How long a read timeout is used before the file is read again. */
  static final Duration TTL = Duration.ofMinutes(5);

  private final RepoConfigLoader loader;
  private final Cache<String, Duration> cache = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(TTL).build();

  public TaskTimeouts(RepoConfigLoader loader) {
    this.loader = loader;
  }

  /** Reads the config files through {@code github}. */
  public static TaskTimeouts fromRepoConfig(GitHubClient github) {
    return new TaskTimeouts(new RepoConfigLoader(new RepoFiles(github)));
  }

  @Override
  public Duration apply(String repository) {
    try {
      return cache.get(repository, r -> loader.load(r).config().taskTimeout());
    } catch (RuntimeException e) {
      log.warn("TaskTimeouts: cannot read task_timeout, using {}; repo={} error={}", AgentWorker.DEFAULT_TIMEOUT,
          repository, e.getMessage());
      return AgentWorker.DEFAULT_TIMEOUT;
    }
  }
}
