package dev.agentdispatch.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps the prepared statements of the SQLite writer's one connection. sqlite-jdbc compiles the SQL on every
 * {@code prepareStatement}, which was a large share of a small write's cost (the inbox's multi-row insert above
 * all). The wrapped connection hands out the same statement for the same SQL; a caller's {@code close()} clears
 * its parameters instead of closing it. Only the connection's owner (under the writer lock) may use it.
 */
final class StatementCache {
  private final Connection connection;
  private final Map<String, PreparedStatement> statements;

  private StatementCache(Connection connection, int max) {
    this.connection = connection;
    this.statements = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
        if (size() <= max) {
          return false;
        }
        closeQuietly(eldest.getValue());
        return true;
      }
    };
  }

  /** A view of {@code connection} whose {@code prepareStatement(sql)} reuses statements; closing it closes them. */
  static Connection wrap(Connection connection, int max) {
    StatementCache cache = new StatementCache(connection, max);
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        cache::onConnection);
  }

  private Object onConnection(Object proxy, Method m, Object[] args) throws Throwable {
    if (m.getName().equals("prepareStatement") && args != null && args.length == 1) {
      return prepare((String) args[0]);
    }
    if (m.getName().equals("close")) {
      statements.values().forEach(StatementCache::closeQuietly);
      statements.clear();
    }
    return invoke(connection, m, args);
  }

  private PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement cached = statements.get(sql);
    if (cached == null) {
      cached = connection.prepareStatement(sql);
      statements.put(sql, cached);
    }
    PreparedStatement statement = cached;
    InvocationHandler reuse = (proxy, m, args) -> switch (m.getName()) {
      case "close" -> {
        statement.clearBatch();
        statement.clearParameters();
        yield null;
      }
      case "isClosed" -> false;
      default -> invoke(statement, m, args);
    };
    return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, reuse);
  }

  private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void closeQuietly(PreparedStatement s) {
    try {
      s.close();
    } catch (SQLException ignored) {
      // the connection is going away or the statement was already finalised
    }
  }
}
