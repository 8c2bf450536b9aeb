package dev.agentdispatch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementCacheTest {
  @TempDir Path dir;

  private Connection open(int max) throws SQLException {
    Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("cache.db"));
    try (Statement s = raw.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v TEXT)");
    }
    return StatementCache.wrap(raw, max);
  }

  @Test
  void aClosedStatementIsReusedWithFreshParameters() throws SQLException {
    try (Connection c = open(8)) {
      for (int i = 1; i <= 3; i++) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
          ps.setInt(1, i);
          ps.setString(2, "v" + i);
          assertEquals(1, ps.executeUpdate());
        }
      }
      PreparedStatement first;
      try (PreparedStatement ps = c.prepareStatement("SELECT v FROM t WHERE k = ?")) {
        first = unwrap(ps);
        ps.setInt(1, 2);
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
          assertEquals("v2", rs.getString(1));
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT v FROM t WHERE k = ?")) {
        assertSame(first, unwrap(ps), "the same SQL gets the same statement back");
        assertFalse(ps.isClosed());
        // parameters were cleared by close(): a forgotten one is unset (NULL), never the last call's value
        try (ResultSet rs = ps.executeQuery()) {
          assertFalse(rs.next());
        }
      }
    }
  }

  @Test
  void theLeastRecentlyUsedStatementIsClosedBeyondTheLimitAndAllOnClose() throws SQLException {
    Connection c = open(2);
    PreparedStatement a = unwrap(c.prepareStatement("SELECT 1"));
    unwrap(c.prepareStatement("SELECT 2"));
    PreparedStatement third = unwrap(c.prepareStatement("SELECT 3"));
    assertTrue(a.isClosed(), "evicted");
    assertFalse(third.isClosed());
    c.close();
    assertTrue(third.isClosed(), "closing the connection closes what it kept");
  }

  private static PreparedStatement unwrap(PreparedStatement ps) throws SQLException {
    return ps.unwrap(PreparedStatement.class);
  }
}
