package dev.agentdispatch.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.agentdispatch.config.Settings;
import dev.agentdispatch.store.InboxStore;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;

/**
 * The GitHub package's way in: the app's identity (JWT, installation tokens) and one transport every request
 * passes. Hands out a {@link GitHubGateway} per repository and the {@link DeliveryRecovery} sweep.
 */
public final class GitHubClient {
  private final GitHubTransport transport;
  private final AppJwt jwt;
  private final InstallationTokens tokens;
  private final CallCounter calls;
  private final Clock clock;
  private final Cache<String, Long> installations;
  private final Cache<String, Long> repositoryIds;

  private GitHubClient(Builder b) {
    this.clock = b.clock;
    this.calls = new CallCounter();
    RetryPolicy policy = b.jitter == null ? RetryPolicy.defaults() : RetryPolicy.defaults().withJitter(() -> b.jitter);
    this.transport = new GitHubTransport(new ApiOrigin(b.api), new Waits(b.clock, b.sleeper), policy, calls,
        b.recorder == null ? new PolicyLog(new PrometheusRegistry()) : b.recorder);
    this.jwt = new AppJwt(b.appId, b.key, b.clock);
    this.tokens = new InstallationTokens(transport, jwt, b.clock);
    this.installations = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofHours(1)).build();
    this.repositoryIds = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofHours(1)).build();
  }

  /** A client for the configured app and API base, on {@code clock}, really sleeping when it must wait. */
  public static GitHubClient create(Settings settings, Clock clock, PolicyRecorder recorder) {
    return builder(settings.githubApiUrl(), settings.appId(), settings.privateKey()).clock(clock).recorder(recorder)
        .build();
  }

  public static Builder builder(URI api, long appId, RSAPrivateKey key) {
    return new Builder(api, appId, key);
  }

  /** A gateway to one repository whose installation token holds only {@code declared} permissions. */
  public GitHubGateway gateway(RepoRef repo, Permissions declared) {
    return new GitHubGateway(this, repo, declared);
  }

  /** The sweep that finds deliveries GitHub could not hand over and stores them in {@code inbox}. */
  public DeliveryRecovery deliveryRecovery(InboxStore inbox, Runnable onStored) {
    return new DeliveryRecovery(transport, jwt, inbox, clock, onStored);
  }

  /** GET /app with the app JWT: proves the id and key work. */
  public JsonNode app() {
    return Json.read(transport.send(ApiRequest.json("GET", "/app", null, jwt::credential)), "get the app");
  }

  /** The installation on a repository: GET /repos/{o}/{r}/installation with the JWT, cached for an hour. */
  public long installationId(RepoRef repo) {
    if (repo.installationId() != null) {
      return repo.installationId();
    }
    return installations.get(repo.fullName().toLowerCase(java.util.Locale.ROOT), k -> Json.read(
        transport.send(ApiRequest.json("GET", repo.path() + "/installation", null, jwt::credential)),
        "look up the installation on " + repo.fullName()).path("id").asLong());
  }

  /** The repository id, from the ref or from a metadata-read token narrowed to the repository by name. */
  public long repositoryId(RepoRef repo) {
    if (repo.id() != null) {
      return repo.id();
    }
    return repositoryIds.get(repo.fullName().toLowerCase(java.util.Locale.ROOT),
        k -> tokens.lookUpRepositoryId(installationId(repo), repo.name()));
  }

  /** Requests sent, per credential and per task. */
  public CallCounter calls() {
    return calls;
  }

  GitHubTransport transport() {
    return transport;
  }

  AppJwt jwt() {
    return jwt;
  }

  InstallationTokens tokens() {
    return tokens;
  }

  /** A hub4j client whose every request goes through the transport as {@code credential}. */
  GitHub hub4j(Supplier<Credential> credential) {
    try {
      return new GitHubBuilder().withEndpoint(transport.origin().base().toString())
          .withConnector(new Hub4jConnector(transport, credential))
          .withRateLimitHandler(GitHubRateLimitHandler.FAIL).withAbuseLimitHandler(GitHubAbuseLimitHandler.FAIL)
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the hub4j client", e);
    }
  }

  /** Options; tests set the clock, a recording sleeper and a fixed jitter. */
  public static final class Builder {
    private final URI api;
    private final long appId;
    private final RSAPrivateKey key;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.REAL;
    private Double jitter;
    private PolicyRecorder recorder;

    private Builder(URI api, long appId, RSAPrivateKey key) {
      this.api = api;
      this.appId = appId;
      this.key = key;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = sleeper;
      return this;
    }

    /** A fixed jitter in [0, 1] for the 5xx backoff (1.0 = the full, predictable delay). */
    public Builder jitter(double jitter) {
      this.jitter = jitter;
      return this;
    }

    public Builder recorder(PolicyRecorder recorder) {
      this.recorder = recorder;
      return this;
    }

    public GitHubClient build() {
      return new GitHubClient(this);
    }
  }
}
