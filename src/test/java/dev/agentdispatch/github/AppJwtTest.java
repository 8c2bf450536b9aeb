package dev.agentdispatch.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentdispatch.config.PrivateKeys;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import java.net.URI;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AppJwtTest {
  private final GitHubKit kit = new GitHubKit();

  @AfterEach
  void stop() {
    kit.close();
  }

  @Test
  void jwt_is_issued_by_the_app_backdated_a_minute_and_expires_within_ten_minutes() throws Exception {
    String jwt = kit.client.jwt().token();
    Claims c = claims(jwt);
    Instant now = kit.clock.instant();
    assertEquals(String.valueOf(kit.sim.appId()), c.getIssuer());
    assertEquals(now.minusSeconds(60), c.getIssuedAt().toInstant());
    assertTrue(!c.getExpiration().toInstant().isAfter(now.plus(Duration.ofMinutes(10))));
    assertTrue(c.getExpiration().toInstant().isAfter(now));
  }

  @Test
  void jwt_is_reused_until_a_minute_before_expiry_then_renewed() {
    String first = kit.client.jwt().token();
    kit.clock.advance(Duration.ofMinutes(7).plusSeconds(59));
    assertEquals(first, kit.client.jwt().token());
    kit.clock.advance(Duration.ofSeconds(1));
    String second = kit.client.jwt().token();
    assertNotEquals(first, second);
    assertEquals(kit.sim.appId(), kit.client.app().path("id").asLong());
  }

  @Test
  void pkcs1_key_as_github_hands_it_out_authenticates_against_the_simulator() {
    assertEquals(kit.sim.appId(), kit.client.app().path("id").asLong());
    assertEquals(1, kit.count("GET /app"));
    assertEquals(200, kit.exchanges().get(0).status());
  }

  @Test
  void pkcs8_key_authenticates_against_the_simulator() {
    GitHubClient pkcs8 = GitHubClient.builder(URI.create(kit.sim.url()), kit.sim.appId(),
        PrivateKeys.parse(kit.sim.privateKeyPkcs8Pem())).clock(kit.clock).sleeper(kit.sleeper).build();
    assertEquals(kit.sim.appId(), pkcs8.app().path("id").asLong());
  }

  private Claims claims(String jwt) throws Exception {
    RSAPrivateCrtKey k = (RSAPrivateCrtKey) PrivateKeys.parse(kit.sim.privateKeyPem());
    PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(k.getModulus(),
        k.getPublicExponent()));
    return Jwts.parser().verifyWith(pub).clock(() -> java.util.Date.from(kit.clock.instant())).build()
        .parseSignedClaims(jwt).getPayload();
  }
}
