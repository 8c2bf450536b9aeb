package dev.agentdispatch.task;

import dev.agentdispatch.store.TaskStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-repository circuit breaker. After a failure or timeout it looks at the repository's last
 * {@link RepoLimits#breakerWindow()} tasks finished as DONE, FAILED or TIMED_OUT (cancelled and rejected tasks do not
 * count); when there are that many and the failed share is above {@link RepoLimits#breakerThreshold()}, the
 * repository's queue pauses for {@link RepoLimits#breakerCooldown()}. Only tasks finishing after the pause ends (or
 * after an explicit resume) count towards the next trip. The claim reads the pause (Gate, limit circuit_breaker).
 */
final class CircuitBreaker {
  private static final Logger log = LoggerFactory.getLogger(CircuitBreaker.class);

  private final TaskStore store;
  private final Function<String, RepoLimits> repoLimits;

  CircuitBreaker(TaskStore store, Function<String, RepoLimits> repoLimits) {
    this.store = store;
    this.repoLimits = repoLimits;
  }

  void afterFailure(String repository, long now) {
    RepoLimits rl = repoLimits.apply(repository);
    long windowFrom = store.breaker(repository).map(TaskStore.Breaker::windowFrom).orElse(0L);
    List<String> last = store.lastFinished(repository, windowFrom, rl.breakerWindow());
    if (last.size() < rl.breakerWindow()) {
      return;
    }
    long failures = last.stream().filter(s -> !s.equals(TaskState.DONE.column())).count();
    if ((double) failures / last.size() > rl.breakerThreshold()) {
      long until = now + rl.breakerCooldown().toMillis();
      String reason = failures + " of the last " + last.size() + " tasks failed or timed out";
      store.setBreaker(repository, until, reason, until, now);
      log.warn("CircuitBreaker: repository paused; repo={} until={} reason={}", repository,
          Instant.ofEpochMilli(until), reason);
    }
  }

  void resume(String repository, long now) {
    store.setBreaker(repository, now, "resumed", now, now);
    log.info("CircuitBreaker: repository resumed; repo={}", repository);
  }

  Optional<Instant> pausedUntil(String repository, long now) {
    return store.breaker(repository).filter(b -> b.pausedUntil() > now).map(b -> Instant.ofEpochMilli(b.pausedUntil()));
  }
}
