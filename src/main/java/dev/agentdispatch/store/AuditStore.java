package dev.agentdispatch.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** The audit table: insert and filtered, paged reads. There is deliberately no update or delete. */
public final class AuditStore {
  /** A stored audit row; times in epoch milliseconds. */
  public record Row(long id, long at, String action, String outcome, String deliveryId, Long taskId,
      Long installationId, String repository, String actor, String input, String output, Long durationMs,
      Integer apiCalls, String tokenMode) {}

  /** Filters for {@link #find}; null means any. Pages go backwards from {@code beforeId}. */
  public record Query(String repository, String actor, String outcome, Long since, Long until, Long beforeId,
      int limit) {}

  private static final String COLUMNS = "id, at, action, outcome, delivery_id, task_id, installation_id,"
      + " repository, actor, input, output, duration_ms, api_calls, token_mode";
  private static final String INSERT = "INSERT INTO audit (at, action, outcome, delivery_id, task_id,"
      + " installation_id, repository, actor, input, output, duration_ms, api_calls, token_mode)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final Database db;

  public AuditStore(Database db) {
    this.db = db;
  }

  public void insert(Row r) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        ps.setLong(1, r.at());
        ps.setString(2, r.action());
        ps.setString(3, r.outcome());
        ps.setString(4, r.deliveryId());
        setObject(ps, 5, r.taskId(), Types.BIGINT);
        setObject(ps, 6, r.installationId(), Types.BIGINT);
        ps.setString(7, r.repository());
        ps.setString(8, r.actor());
        ps.setString(9, r.input());
        ps.setString(10, r.output());
        setObject(ps, 11, r.durationMs(), Types.BIGINT);
        setObject(ps, 12, r.apiCalls(), Types.INTEGER);
        ps.setString(13, r.tokenMode());
        return ps.executeUpdate();
      }
    });
  }

  /** Newest first, at most {@code q.limit()} rows. */
  public List<Row> find(Query q) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    condition(sql, args, " AND repository = ?", q.repository());
    condition(sql, args, " AND actor = ?", q.actor());
    condition(sql, args, " AND outcome = ?", q.outcome());
    condition(sql, args, " AND at >= ?", q.since());
    condition(sql, args, " AND at < ?", q.until());
    condition(sql, args, " AND id < ?", q.beforeId());
    sql.append(" ORDER BY id DESC LIMIT ?");
    args.add(q.limit());
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          ps.setObject(i + 1, args.get(i));
        }
        return rows(ps);
      }
    });
  }

  /** Whether delivery {@code deliveryId} already wrote a row with {@code action} (index audit_delivery). */
  public boolean exists(String deliveryId, String action) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT 1 FROM audit WHERE delivery_id = ? AND action = ? LIMIT 1")) {
        ps.setString(1, deliveryId);
        ps.setString(2, action);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  /**
   * The newest row of {@code repository} with one of {@code actions} whose output starts with {@code outputPrefix}
   * (index audit_repository_action: only rows of those actions are read, however many others the repository has).
   */
  public java.util.Optional<Row> latest(String repository, List<String> actions, String outputPrefix) {
    String in = String.join(", ", java.util.Collections.nCopies(actions.size(), "?"));
    String like = outputPrefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit WHERE repository = ?"
          + " AND action IN (" + in + ") AND output LIKE ? ESCAPE '\\' ORDER BY id DESC LIMIT 1")) {
        int i = 1;
        ps.setString(i++, repository);
        for (String a : actions) {
          ps.setString(i++, a);
        }
        ps.setString(i, like);
        return rows(ps).stream().findFirst();
      }
    });
  }

  private static List<Row> rows(PreparedStatement ps) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
            nullableLong(rs, 6), nullableLong(rs, 7), rs.getString(8), rs.getString(9), rs.getString(10),
            rs.getString(11), nullableLong(rs, 12), (Integer) (rs.getObject(13) == null ? null : rs.getInt(13)),
            rs.getString(14)));
      }
    }
    return rows;
  }

  /** A task's events, oldest first (at most {@code limit}). */
  public List<Row> forTask(long taskId, int limit) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit WHERE task_id = ?"
          + " ORDER BY id LIMIT ?")) {
        ps.setLong(1, taskId);
        ps.setInt(2, limit);
        return rows(ps);
      }
    });
  }

  private static void condition(StringBuilder sql, List<Object> args, String clause, Object value) {
    if (value != null) {
      sql.append(clause);
      args.add(value);
    }
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static void setObject(PreparedStatement ps, int index, Object value, int type) throws SQLException {
    if (value == null) {
      ps.setNull(index, type);
    } else {
      ps.setObject(index, value, type);
    }
  }
}
