package dev.agentdispatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The inbox table: webhook deliveries stored on arrival, then leased to workers until handled. */
public final class InboxStore {
  /** A delivery's state; see V1__inbox.sql for who moves it. */
  public enum State { PENDING, PROCESSING, DONE, DEAD }

  /** A delivery as received, before it is stored. */
  public record NewDelivery(String deliveryId, String event, String action, Long installationId,
      String repository, String sender, long receivedAt, String payload) {}

  /** A stored delivery; {@code attempts} counts this claim too. */
  public record Row(long id, String deliveryId, String event, String action, Long installationId,
      String repository, String sender, long receivedAt, String payload, State state, int attempts,
      String lastError) {}

  private static final String INSERT =
      "INSERT INTO inbox (delivery_id, event, action, installation_id, repository, sender, received_at, payload,"
      + " state, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?)"
      + " ON CONFLICT (delivery_id) DO NOTHING";
  private static final String COLUMNS = "id, delivery_id, event, action, installation_id, repository, sender,"
      + " received_at, payload, state, attempts, last_error";
  // 1 owner, 2 lease_until, 3 now, 4 limit
  private static final String CLAIM =
      "UPDATE inbox SET state = 'processing', attempts = attempts + 1, lease_owner = ?, lease_until = ?"
      + " WHERE id IN (SELECT id FROM inbox WHERE state = 'pending' AND next_attempt_at <= ?"
      + " ORDER BY next_attempt_at, id LIMIT ?%s) RETURNING " + COLUMNS;
  // 1 now
  private static final String RESCUE =
      "UPDATE inbox SET state = 'pending', lease_owner = NULL, lease_until = NULL, next_attempt_at = ?"
      + " WHERE state = 'processing' AND lease_until < ?";
  // 1 finished_at, 2 id, 3 owner
  private static final String COMPLETE =
      "UPDATE inbox SET state = 'done', finished_at = ?, lease_owner = NULL, lease_until = NULL, last_error = NULL"
      + " WHERE id = ? AND state = 'processing' AND lease_owner = ?";
  // 1 next_attempt_at, 2 last_error, 3 id, 4 owner
  private static final String RETRY =
      "UPDATE inbox SET state = 'pending', next_attempt_at = ?, last_error = ?, lease_owner = NULL,"
      + " lease_until = NULL WHERE id = ? AND state = 'processing' AND lease_owner = ?";
  // 1 finished_at, 2 last_error, 3 id, 4 owner
  private static final String BURY =
      "UPDATE inbox SET state = 'dead', finished_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL"
      + " WHERE id = ? AND state = 'processing' AND lease_owner = ?";

  private final Database db;

  public InboxStore(Database db) {
    this.db = db;
  }

  /** Stores deliveries in one transaction; element i is true if delivery i was new, false if a duplicate. */
  public boolean[] insert(List<NewDelivery> deliveries) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        for (NewDelivery d : deliveries) {
          ps.setString(1, d.deliveryId());
          ps.setString(2, d.event());
          ps.setString(3, d.action());
          setLong(ps, 4, d.installationId());
          ps.setString(5, d.repository());
          ps.setString(6, d.sender());
          ps.setLong(7, d.receivedAt());
          ps.setString(8, d.payload());
          ps.setLong(9, d.receivedAt());
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        boolean[] isNew = new boolean[counts.length];
        for (int i = 0; i < counts.length; i++) {
          isNew[i] = counts[i] > 0;
        }
        return isNew;
      }
    });
  }

  /** Leases up to {@code limit} due deliveries to {@code owner}, oldest first. */
  public List<Row> claim(String owner, int limit, long now, long leaseUntil) {
    String sql = String.format(CLAIM, db.dialect().skipLocked());
    List<Row> rows = db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, owner);
        ps.setLong(2, leaseUntil);
        ps.setLong(3, now);
        ps.setInt(4, limit);
        try (ResultSet rs = ps.executeQuery()) {
          return readRows(rs);
        }
      }
    });
    rows.sort(Comparator.comparingLong(Row::id));
    return rows;
  }

  /** Returns deliveries whose lease ran out (their worker died) to pending; returns how many. */
  public int rescueExpired(long now) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(RESCUE)) {
        ps.setLong(1, now);
        ps.setLong(2, now);
        return ps.executeUpdate();
      }
    });
  }

  /** Marks leased deliveries done; returns how many were still held by {@code owner}. */
  public int complete(List<Long> ids, String owner, long now) {
    if (ids.isEmpty()) {
      return 0;
    }
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(COMPLETE)) {
        for (long id : ids) {
          ps.setLong(1, now);
          ps.setLong(2, id);
          ps.setString(3, owner);
          ps.addBatch();
        }
        int done = 0;
        for (int n : ps.executeBatch()) {
          done += Math.max(n, 0);
        }
        return done;
      }
    });
  }

  /** Sends a failed delivery back to pending until {@code nextAttemptAt}; false if the lease was lost. */
  public boolean retryLater(long id, String owner, String error, long nextAttemptAt) {
    return update(RETRY, nextAttemptAt, error, id, owner);
  }

  /** Dead-letters a delivery whose attempts ran out; false if the lease was lost. */
  public boolean bury(long id, String owner, String error, long now) {
    return update(BURY, now, error, id, owner);
  }

  /** Deliveries not yet handled (pending or leased). */
  public long depth() {
    return db.read(c -> queryLong(c, "SELECT count(*) FROM inbox WHERE state IN ('pending', 'processing')"));
  }

  public Map<State, Long> countByState() {
    return db.read(c -> {
      Map<State, Long> counts = new EnumMap<>(State.class);
      for (State s : State.values()) {
        counts.put(s, 0L);
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT state, count(*) FROM inbox GROUP BY state");
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          counts.put(State.valueOf(rs.getString(1).toUpperCase(java.util.Locale.ROOT)), rs.getLong(2));
        }
      }
      return counts;
    });
  }

  public Optional<Row> find(String deliveryId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM inbox WHERE delivery_id = ?")) {
        ps.setString(1, deliveryId);
        try (ResultSet rs = ps.executeQuery()) {
          List<Row> rows = readRows(rs);
          return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
      }
    });
  }

  private boolean update(String sql, long time, String error, long id, String owner) {
    int n = db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setLong(1, time);
        ps.setString(2, error);
        ps.setLong(3, id);
        ps.setString(4, owner);
        return ps.executeUpdate();
      }
    });
    if (n > 1) {
      throw new IllegalStateException("inbox update touched " + n + " rows for id " + id);
    }
    return n == 1;
  }

  private static List<Row> readRows(ResultSet rs) throws SQLException {
    List<Row> rows = new ArrayList<>();
    while (rs.next()) {
      long inst = rs.getLong(5);
      Long installation = rs.wasNull() ? null : inst;
      rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), installation,
          rs.getString(6), rs.getString(7), rs.getLong(8), rs.getString(9),
          State.valueOf(rs.getString(10).toUpperCase(java.util.Locale.ROOT)), rs.getInt(11), rs.getString(12)));
    }
    return rows;
  }

  private static long queryLong(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }
}
