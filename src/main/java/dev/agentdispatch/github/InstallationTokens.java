package dev.agentdispatch.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installation tokens per (installation, repository, permissions), each narrowed to that one repository id and
 * those permissions. Cached until 5 minutes before {@code expires_at}; Caffeine runs one request per key however
 * many threads ask. A token whose expiry is already past or unreadable is still kept for a minute, so a skewed
 * clock slows renewal down to once a minute instead of a request loop.
 */
final class InstallationTokens {
  private static final Logger log = LoggerFactory.getLogger(InstallationTokens.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration MARGIN = Duration.ofMinutes(5);
  static final Duration MIN_REUSE = Duration.ofMinutes(1);

  record Key(long installationId, long repositoryId, Permissions permissions) {}

  /** A token and the time the cache may keep it until; the secret is not in {@link #toString()}. */
  record Token(String secret, Instant usableUntil) {
    @Override
    public String toString() {
      return "Token[usableUntil=" + usableUntil + "]";
    }
  }

  private final GitHubTransport transport;
  private final AppJwt jwt;
  private final Clock clock;
  private final Cache<Key, Token> cache;

  InstallationTokens(GitHubTransport transport, AppJwt jwt, Clock clock) {
    this.transport = transport;
    this.jwt = jwt;
    this.clock = clock;
    this.cache = Caffeine.newBuilder().maximumSize(10_000).ticker(() -> clock.millis() * 1_000_000L)
        .expireAfter(new Expiry<Key, Token>() {
          @Override
          public long expireAfterCreate(Key k, Token t, long now) {
            return Math.max(0, Duration.between(clock.instant(), t.usableUntil()).toNanos());
          }

          @Override
          public long expireAfterUpdate(Key k, Token t, long now, long current) {
            return expireAfterCreate(k, t, now);
          }

          @Override
          public long expireAfterRead(Key k, Token t, long now, long current) {
            return current;
          }
        }).build();
  }

  Credential credential(Key key) {
    return Credential.installation(key.installationId(), key.repositoryId(), cache.get(key, this::request).secret());
  }

  /** Drops a token GitHub refused (401), so the next call mints a new one. */
  void invalidate(Key key) {
    cache.invalidate(key);
  }

  /**
   * Finds a repository's id by minting a metadata-read token narrowed to it by name; the answer lists the
   * repository with its id. The token is kept for later metadata reads of that repository.
   */
  long lookUpRepositoryId(long installationId, String repositoryName) {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("repositories").add(repositoryName);
    body.set("permissions", JSON.valueToTree(Permissions.METADATA_READ.levels()));
    JsonNode n = mint(installationId, body, "look up repository " + repositoryName);
    JsonNode repos = n.path("repositories");
    if (repos.size() != 1 || !repos.get(0).path("id").canConvertToLong()) {
      throw new GitHubCallFailed("look up repository " + repositoryName, 0, "the token answer did not list it");
    }
    long id = repos.get(0).path("id").asLong();
    Key key = new Key(installationId, id, Permissions.METADATA_READ);
    cache.put(key, new Token(n.path("token").asText(), usableUntil(n.path("expires_at").asText(""), key)));
    return id;
  }

  private Token request(Key key) {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("repository_ids").add(key.repositoryId());
    body.set("permissions", JSON.valueToTree(key.permissions().levels()));
    JsonNode n = mint(key.installationId(), body, "mint an installation token for installation "
        + key.installationId() + " repo " + key.repositoryId());
    return new Token(n.path("token").asText(), usableUntil(n.path("expires_at").asText(""), key));
  }

  private JsonNode mint(long installationId, ObjectNode body, String what) {
    ApiResponse r;
    try {
      r = transport.send(ApiRequest.json("POST", "/app/installations/" + installationId + "/access_tokens",
          JSON.writeValueAsBytes(body), jwt::credential));
    } catch (IOException e) {
      throw new GitHubCallFailed(what, e);
    }
    JsonNode n = Json.read(r, what);
    if (n.path("token").asText("").isEmpty()) {
      throw new GitHubCallFailed(what, r.status(), "the answer held no token");
    }
    return n;
  }

  private Instant usableUntil(String expiresAt, Key key) {
    Instant now = clock.instant();
    Instant floor = now.plus(MIN_REUSE);
    try {
      Instant until = Instant.parse(expiresAt).minus(MARGIN);
      if (until.isAfter(floor)) {
        return until;
      }
      log.warn("InstallationTokens: token for installation {} expires at {}, already (nearly) past by our clock {};"
          + " check the host's clock (NTP). Reusing it for {} before asking again", key.installationId(), expiresAt,
          now, MIN_REUSE);
    } catch (DateTimeParseException e) {
      log.warn("InstallationTokens: token for installation {} has an unreadable expires_at '{}'; reusing it for {}",
          key.installationId(), expiresAt, MIN_REUSE);
    }
    return floor;
  }
}
