package dev.agentdispatch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The user_token store, the same on every database: encrypted at rest, guarded swaps, drops by login and user. */
abstract class UserTokenStoreContract {
  // Fake tokens are built at run time so secret scanners have nothing to flag.
  static final String ACCESS = "ghu" + "_" + "a".repeat(36);
  static final String REFRESH = "ghr" + "_" + "r".repeat(76);
  static final String ACCESS_2 = "ghu" + "_" + "b".repeat(36);
  static final String REFRESH_2 = "ghr" + "_" + "s".repeat(76);

  Database db;
  byte[] key = new byte[32];
  UserTokenStore store;

  abstract String freshJdbcUrl();

  @BeforeEach
  void open() {
    new SecureRandom().nextBytes(key);
    db = Database.open(freshJdbcUrl());
    store = new UserTokenStore(db, new TokenCipher(key));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void a_saved_pair_reads_back_and_is_not_plain_text_in_the_table() {
    store.save("Bob", 42, ACCESS, 1_000L, REFRESH, 9_000L, 1);
    UserTokenStore.Tokens t = store.find("bob").orElseThrow();
    assertEquals(ACCESS, t.accessToken());
    assertEquals(REFRESH, t.refreshToken());
    assertEquals(1_000L, t.accessExpiresAt());
    assertEquals(42, t.userId());
    assertFalse(t.toString().contains(ACCESS));
    byte[][] raw = db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT access_token, refresh_token FROM user_token");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new byte[][] {rs.getBytes(1), rs.getBytes(2)};
      }
    });
    assertFalse(new String(raw[0], StandardCharsets.ISO_8859_1).contains("ghu"));
    assertFalse(new String(raw[1], StandardCharsets.ISO_8859_1).contains("ghr"));
  }

  @Test
  void another_key_cannot_open_the_tokens() {
    store.save("bob", 42, ACCESS, null, null, null, 1);
    byte[] other = new byte[32];
    new SecureRandom().nextBytes(other);
    UserTokenStore wrong = new UserTokenStore(db, new TokenCipher(other));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> wrong.find("bob"));
    assertTrue(e.getMessage().contains("TOKEN_ENCRYPTION_KEY"));
    assertTrue(store.find("bob").orElseThrow().refreshToken() == null);
  }

  @Test
  void a_swap_wins_only_against_the_version_it_read() {
    store.save("bob", 42, ACCESS, 1_000L, REFRESH, 9_000L, 1);
    int v = store.find("bob").orElseThrow().version();
    assertTrue(store.swap("bob", v, ACCESS_2, 2_000L, REFRESH_2, 9_000L, 2));
    assertFalse(store.swap("bob", v, ACCESS, 3_000L, REFRESH, 9_000L, 3), "a second swap from the old pair loses");
    UserTokenStore.Tokens t = store.find("bob").orElseThrow();
    assertEquals(ACCESS_2, t.accessToken());
    assertEquals(REFRESH_2, t.refreshToken());
    assertEquals(v + 1, t.version());
  }

  @Test
  void one_caller_at_a_time_claims_a_refresh_until_it_swaps_releases_or_the_claim_runs_out() {
    store.save("bob", 42, ACCESS, 1_000L, REFRESH, 9_000L, 1);
    assertTrue(store.claimRefresh("bob", 1, 100, 200));
    assertFalse(store.claimRefresh("bob", 1, 150, 250), "held");
    assertTrue(store.claimRefresh("bob", 1, 200, 300), "a crashed refresher's claim runs out");
    store.releaseRefresh("bob", 1);
    assertTrue(store.claimRefresh("bob", 1, 210, 310), "released after a failed refresh");
    assertTrue(store.swap("bob", 1, ACCESS_2, 2_000L, REFRESH_2, 9_000L, 220));
    assertFalse(store.claimRefresh("bob", 1, 230, 330), "the old pair is gone");
    assertTrue(store.claimRefresh("bob", 2, 230, 330), "the swap cleared the claim");
  }

  @Test
  void a_new_sign_in_replaces_the_pair_and_bumps_the_version() {
    store.save("bob", 42, ACCESS, 1_000L, REFRESH, 9_000L, 1);
    store.save("bob", 42, ACCESS_2, 5_000L, REFRESH_2, 9_000L, 2);
    assertEquals(2, store.find("bob").orElseThrow().version());
    assertEquals(ACCESS_2, store.find("bob").orElseThrow().accessToken());
  }

  @Test
  void drops_by_version_by_login_and_by_user() {
    store.save("bob", 42, ACCESS, null, null, null, 1);
    assertFalse(store.drop("bob", 7), "a newer pair is not dropped for an older one");
    assertTrue(store.has("bob"));
    assertTrue(store.drop("bob", 1));
    assertFalse(store.has("bob"));
    store.save("bob", 42, ACCESS, null, null, null, 1);
    store.save("carol", 43, ACCESS_2, null, null, null, 1);
    assertEquals(1, store.dropUser(42));
    assertFalse(store.has("bob"));
    assertTrue(store.drop("CAROL"));
    assertFalse(store.drop("carol"));
  }
}
