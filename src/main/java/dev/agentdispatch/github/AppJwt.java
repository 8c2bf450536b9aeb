package dev.agentdispatch.github;

import io.jsonwebtoken.Jwts;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The app's JSON web token (FACTS.md section 2.1): RS256, iss = app id, iat 60 s in the past for clock drift,
 * exp 9 minutes ahead (10 minutes after iat, GitHub's maximum). Reused until a minute before it expires.
 */
final class AppJwt {
  static final Duration BACKDATE = Duration.ofSeconds(60);
  static final Duration LIFETIME = Duration.ofMinutes(9);
  static final Duration RENEW_BEFORE = Duration.ofSeconds(60);

  private final long appId;
  private final RSAPrivateKey key;
  private final Clock clock;
  private String current;
  private Instant expires = Instant.MIN;

  AppJwt(long appId, RSAPrivateKey key, Clock clock) {
    this.appId = appId;
    this.key = key;
    this.clock = clock;
  }

  synchronized String token() {
    Instant now = clock.instant();
    if (current == null || !now.isBefore(expires.minus(RENEW_BEFORE))) {
      Instant iat = now.minus(BACKDATE);
      expires = now.plus(LIFETIME);
      current = Jwts.builder().issuer(String.valueOf(appId)).issuedAt(Date.from(iat)).expiration(Date.from(expires))
          .signWith(key, Jwts.SIG.RS256).compact();
    }
    return current;
  }

  Credential credential() {
    return Credential.jwt(token());
  }
}
