package dev.agentdispatch.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/** Nullable BIGINT columns, read and bound the same way by every store. */
final class Columns {
  private Columns() {}

  static Long longOrNull(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? null : v;
  }

  static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

  /** One INSERT or UPDATE in its own transaction with non-null parameters, in order; returns the rows it changed. */
  static int update(Database db, String sql, Object... params) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < params.length; i++) {
          ps.setObject(i + 1, java.util.Objects.requireNonNull(params[i], "parameter " + (i + 1)));
        }
        return ps.executeUpdate();
      }
    });
  }
}
