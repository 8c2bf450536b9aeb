package dev.agentdispatch.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * The user_token table (V6__user_token.sql): each person's user access token and refresh token, encrypted with
 * {@link TokenCipher}. A refreshed pair replaces the old one only if the row still holds the version it was read
 * at, so two refreshes never both win. Same SQL on SQLite and PostgreSQL.
 */
public final class UserTokenStore {
  /** A person's tokens, decrypted; times in epoch milliseconds (null: no expiry). Never printed in full. */
  public record Tokens(String login, long userId, String accessToken, Long accessExpiresAt, String refreshToken,
      Long refreshExpiresAt, int version) {
    @Override
    public String toString() {
      return "Tokens[" + login + ", v" + version + ", accessExpiresAt=" + accessExpiresAt + "]";
    }
  }

  // 1 login, 2 user_id, 3 access_token, 4 access_expires_at, 5 refresh_token, 6 refresh_expires_at, 7 updated_at
  private static final String SAVE = "INSERT INTO user_token (login, user_id, access_token, access_expires_at,"
      + " refresh_token, refresh_expires_at, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)"
      + " ON CONFLICT (login) DO UPDATE SET user_id = excluded.user_id, access_token = excluded.access_token,"
      + " access_expires_at = excluded.access_expires_at, refresh_token = excluded.refresh_token,"
      + " refresh_expires_at = excluded.refresh_expires_at, version = user_token.version + 1,"
      + " refresh_claimed_until = NULL, updated_at = excluded.updated_at";
  // 1 access_token, 2 access_expires_at, 3 refresh_token, 4 refresh_expires_at, 5 updated_at, 6 login, 7 version
  private static final String SWAP = "UPDATE user_token SET access_token = ?, access_expires_at = ?,"
      + " refresh_token = ?, refresh_expires_at = ?, version = version + 1, refresh_claimed_until = NULL,"
      + " updated_at = ? WHERE login = ? AND version = ?";
  // 1 refresh_claimed_until, 2 login, 3 version, 4 now: one instance at a time refreshes a pair
  private static final String CLAIM = "UPDATE user_token SET refresh_claimed_until = ? WHERE login = ? AND version = ?"
      + " AND (refresh_claimed_until IS NULL OR refresh_claimed_until <= ?)";
  // 1 login, 2 version
  private static final String RELEASE = "UPDATE user_token SET refresh_claimed_until = NULL WHERE login = ?"
      + " AND version = ?";
  private static final String FIND = "SELECT login, user_id, access_token, access_expires_at, refresh_token,"
      + " refresh_expires_at, version FROM user_token WHERE login = ?";
  private static final String DROP = "DELETE FROM user_token WHERE login = ?";
  // 1 login, 2 version: drops only the pair that was found dead, not a newer one saved meanwhile
  private static final String DROP_VERSION = "DELETE FROM user_token WHERE login = ? AND version = ?";
  private static final String DROP_USER = "DELETE FROM user_token WHERE user_id = ?";

  private final Database db;
  private final TokenCipher cipher;

  public UserTokenStore(Database db, TokenCipher cipher) {
    this.db = db;
    this.cipher = cipher;
  }

  /** Stores a person's new pair (after the web flow), replacing any older one. */
  public void save(String login, long userId, String access, Long accessExpiresAt, String refresh,
      Long refreshExpiresAt, long now) {
    String who = key(login);
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(SAVE)) {
        ps.setString(1, who);
        ps.setLong(2, userId);
        ps.setBytes(3, cipher.seal(access, who + "/access"));
        Columns.setLong(ps, 4, accessExpiresAt);
        ps.setBytes(5, refresh == null ? null : cipher.seal(refresh, who + "/refresh"));
        Columns.setLong(ps, 6, refreshExpiresAt);
        ps.setLong(7, now);
        return ps.executeUpdate();
      }
    });
  }

  /** Replaces the pair read at {@code version} by a refreshed one; false when the row changed or is gone. */
  public boolean swap(String login, int version, String access, Long accessExpiresAt, String refresh,
      Long refreshExpiresAt, long now) {
    String who = key(login);
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(SWAP)) {
        ps.setBytes(1, cipher.seal(access, who + "/access"));
        Columns.setLong(ps, 2, accessExpiresAt);
        ps.setBytes(3, refresh == null ? null : cipher.seal(refresh, who + "/refresh"));
        Columns.setLong(ps, 4, refreshExpiresAt);
        ps.setLong(5, now);
        ps.setString(6, who);
        ps.setInt(7, version);
        return ps.executeUpdate();
      }
    }) == 1;
  }

  /**
   * Claims the refresh of the pair read at {@code version} until {@code until}: true for exactly one caller while
   * the claim holds (a crashed refresher's claim runs out at {@code until}).
   */
  public boolean claimRefresh(String login, int version, long now, long until) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
        ps.setLong(1, until);
        ps.setString(2, key(login));
        ps.setInt(3, version);
        ps.setLong(4, now);
        return ps.executeUpdate();
      }
    }) == 1;
  }

  /** Gives up a claim after a refresh that could not reach GitHub. */
  public void releaseRefresh(String login, int version) {
    update(RELEASE, key(login), version);
  }

  public Optional<Tokens> find(String login) {
    String who = key(login);
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(FIND)) {
        ps.setString(1, who);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.<Tokens>empty();
          }
          byte[] refresh = rs.getBytes(5);
          return Optional.of(new Tokens(rs.getString(1), rs.getLong(2), cipher.open(rs.getBytes(3), who + "/access"),
              Columns.longOrNull(rs, 4), refresh == null ? null : cipher.open(refresh, who + "/refresh"), Columns.longOrNull(rs, 6),
              rs.getInt(7)));
        }
      }
    });
  }

  /** Whether the person has authorised the app (a stored pair, maybe expired). */
  public boolean has(String login) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM user_token WHERE login = ?")) {
        ps.setString(1, key(login));
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  /** Drops the pair read at {@code version} (found dead); a newer pair stays. */
  public boolean drop(String login, int version) {
    return update(DROP_VERSION, key(login), version) > 0;
  }

  public boolean drop(String login) {
    return update(DROP, key(login), null) > 0;
  }

  /** Drops every pair of a GitHub user (github_app_authorization.revoked names the user by id). */
  public int dropUser(long userId) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(DROP_USER)) {
        ps.setLong(1, userId);
        return ps.executeUpdate();
      }
    });
  }

  private int update(String sql, String login, Integer version) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, login);
        if (version != null) {
          ps.setInt(2, version);
        }
        return ps.executeUpdate();
      }
    });
  }

  private static String key(String login) {
    return login.toLowerCase(Locale.ROOT);
  }
}
