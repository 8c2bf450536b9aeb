package dev.agentdispatch.agent;

import dev.agentdispatch.agent.AgentTokens.AgentToken;
import dev.agentdispatch.github.OAuthClient;
import dev.agentdispatch.github.OAuthClient.Grant;
import dev.agentdispatch.store.UserTokenStore;
import dev.agentdispatch.store.UserTokenStore.Tokens;
import dev.agentdispatch.task.Task;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * User-token mode: the task's triggering person's own GitHub App user access token, from the OAuth web flow. A token
 * that expires within {@link #MARGIN} is refreshed first; the new pair replaces the old one in one guarded update
 * (the used refresh token is dead at once). One refresh per person at a time: a lock in this instance, and a claim
 * on the row across instances; an instance that finds the refresh claimed waits for the pair the winner stores.
 */
public final class UserTokens implements AgentTokens {
  private static final Logger log = LoggerFactory.getLogger(UserTokens.class);
  /** A token this close to its expiry is refreshed before use: a poll or start never runs on a dying token. */
  static final Duration MARGIN = Duration.ofMinutes(5);
  /** How long one instance may hold a refresh before another may try (a crashed refresher's claim runs out). */
  static final Duration CLAIM = Duration.ofSeconds(30);
  /** How long an instance waits for another one's refresh before calling it a transient failure. */
  static final Duration WAIT = Duration.ofSeconds(10);
  private static final long WAIT_STEP_MS = 100;

  private final UserTokenStore store;
  private final OAuthClient oauth;
  private final Clock clock;
  private final String loginUrl;
  private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

  public UserTokens(UserTokenStore store, OAuthClient oauth, Clock clock, String loginUrl) {
    this.store = store;
    this.oauth = oauth;
    this.clock = clock;
    this.loginUrl = loginUrl;
  }

  @Override
  public Optional<AgentToken> forTask(Task task) {
    return forLogin(task.triggeredBy()).map(t -> new AgentToken(t, USER));
  }

  /** The person's usable access token, refreshed if it is about to expire; empty when there is none. */
  public Optional<String> forLogin(String login) {
    if (login == null) {
      return Optional.empty();
    }
    synchronized (locks.computeIfAbsent(login.toLowerCase(Locale.ROOT), k -> new Object())) {
      Optional<Tokens> found = store.find(login);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      Tokens t = found.get();
      long now = clock.millis();
      if (t.accessExpiresAt() == null || now + MARGIN.toMillis() < t.accessExpiresAt()) {
        return Optional.of(t.accessToken());
      }
      return refresh(t, now);
    }
  }

  private Optional<String> refresh(Tokens t, long now) {
    if (t.refreshToken() == null || (t.refreshExpiresAt() != null && now >= t.refreshExpiresAt())) {
      log.info("UserTokens: token expired and cannot be refreshed; dropped; login={}", t.login());
      store.drop(t.login(), t.version());
      return Optional.empty();
    }
    if (!store.claimRefresh(t.login(), t.version(), now, now + CLAIM.toMillis())) {
      return waitForOtherRefresh(t);
    }
    Grant g;
    try {
      g = oauth.refresh(t.refreshToken());
    } catch (dev.agentdispatch.github.GitHubCallFailed e) {
      store.releaseRefresh(t.login(), t.version());
      if (t.accessExpiresAt() != null && now < t.accessExpiresAt()) {
        log.info("UserTokens: refresh failed, the old token still works a while; login={} error={}", t.login(),
            e.getMessage());
        return Optional.of(t.accessToken());
      }
      throw e;  // transient: the worker tries again later
    } catch (OAuthClient.OAuthRefused e) {
      // Another instance may have used this refresh token first: then its pair is stored under a newer version.
      Optional<Tokens> now2 = store.find(t.login());
      if (now2.isPresent() && now2.get().version() != t.version()) {
        log.debug("UserTokens: another instance refreshed first; using its pair; login={}", t.login());
        return Optional.of(now2.get().accessToken());
      }
      log.info("UserTokens: GitHub refused the refresh ({}); dropped; login={}", e.error(), t.login());
      store.drop(t.login(), t.version());
      return Optional.empty();
    }
    if (!store.swap(t.login(), t.version(), g.accessToken(), g.accessExpiresAt(), g.refreshToken(),
        g.refreshExpiresAt(), now)) {
      log.warn("UserTokens: the stored pair changed during a refresh (a new sign-in or a revocation); "
          + "using the fresh grant for this call only; login={}", t.login());
    } else {
      log.info("UserTokens: refreshed; login={}", t.login());
    }
    return Optional.of(g.accessToken());
  }

  /** Another instance claimed the refresh: wait for its new pair (the old access token dies when it succeeds). */
  private Optional<String> waitForOtherRefresh(Tokens t) {
    log.debug("UserTokens: another instance is refreshing; waiting for its pair; login={}", t.login());
    for (long waited = 0; waited < WAIT.toMillis(); waited += WAIT_STEP_MS) {
      Optional<Tokens> now = store.find(t.login());
      if (now.isEmpty()) {
        return Optional.empty();
      }
      if (now.get().version() != t.version()) {
        return Optional.of(now.get().accessToken());
      }
      try {
        Thread.sleep(WAIT_STEP_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new dev.agentdispatch.github.GitHubCallFailed("refresh a user access token (another instance holds the "
        + "refresh)", 0, null);
  }

  @Override
  public String missing(Task task) {
    return "@" + task.triggeredBy() + " has not authorised agent-dispatch to start Copilot as them, or revoked it (this repository "
        + "uses `agent_token: user`). Next step: sign in at " + loginUrl + ", then label the issue again";
  }

  @Override
  public String rejected(Task task, AgentToken token) {
    store.find(task.triggeredBy()).filter(t -> t.accessToken().equals(token.value()))
        .ifPresent(t -> store.drop(t.login(), t.version()));
    return "GitHub refused @" + task.triggeredBy() + "'s token (it expired or the authorisation was revoked), and "
        + "the app forgot it. Next step: sign in again at " + loginUrl + ", then label the issue again";
  }

  /** The page where a person authorises the app. */
  public String loginUrl() {
    return loginUrl;
  }
}
