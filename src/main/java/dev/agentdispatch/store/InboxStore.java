package dev.agentdispatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The inbox table: webhook deliveries stored on arrival, then leased to workers until handled. */
public final class InboxStore {
  /** A delivery's state; see V1__inbox.sql for who moves it. */
  public enum State { PENDING, PROCESSING, DONE, DEAD }

  /**
   * A delivery as received, before it is stored. Build it with {@link #of}, which compresses the payload
   * on the caller's thread, outside the single writer's transaction. An {@code unwanted} delivery (no handler
   * acts on it) is stored already done, with no attempt: kept for the record, never dispatched.
   */
  public record NewDelivery(String deliveryId, String event, String action, Long installationId,
      String repository, String sender, long receivedAt, byte[] storedPayload, boolean unwanted) {
    public static NewDelivery of(String deliveryId, String event, String action, Long installationId,
        String repository, String sender, long receivedAt, byte[] payload) {
      return new NewDelivery(deliveryId, event, action, installationId, repository, sender, receivedAt,
          PayloadCodec.encode(payload), false);
    }

    /** The same delivery, to be stored done on arrival. */
    public NewDelivery asUnwanted() {
      return new NewDelivery(deliveryId, event, action, installationId, repository, sender, receivedAt,
          storedPayload, true);
    }
  }

  /** A stored delivery; {@code attempts} counts this claim too. */
  public record Row(long id, String deliveryId, String event, String action, Long installationId,
      String repository, String sender, long receivedAt, State state, int attempts, String lastError) {}

  // One statement inserts a whole group: one round trip on PostgreSQL, one step on SQLite.
  private static final String INSERT_HEAD =
      "INSERT INTO inbox (delivery_id, event, action, installation_id, repository, sender, received_at,"
      + " state, attempts, next_attempt_at, lease_owner, lease_until, finished_at) VALUES ";
  private static final String INSERT_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_TAIL =
      " ON CONFLICT (delivery_id) DO NOTHING RETURNING id, delivery_id, lease_owner";
  /** Rows per INSERT statement: 13 parameters each stays far below both databases' parameter limits. */
  private static final int ROWS_PER_INSERT = 256;
  private static final Map<Integer, String> INSERT_SQL = new java.util.concurrent.ConcurrentHashMap<>();
  private static final String INSERT_PAYLOAD = "INSERT INTO inbox_payload (inbox_id, payload) VALUES (?, ?)";
  private static final String COLUMNS = "id, delivery_id, event, action, installation_id, repository, sender,"
      + " received_at, state, attempts, last_error";
  private static final String SELECT_PAYLOAD = "SELECT payload FROM inbox_payload WHERE inbox_id = ?";
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

  // 1 finished before, 2 below this id, 3 limit
  private static final String PRUNABLE =
      "SELECT id FROM inbox WHERE state = 'done' AND finished_at < ? AND id < ? ORDER BY id LIMIT ?";
  private static final String FIRST_AT_OR_AFTER = "SELECT received_at FROM inbox WHERE id >= ? ORDER BY id LIMIT 1";

  private final Database db;

  public InboxStore(Database db) {
    this.db = db;
  }

  /** Stores deliveries in one transaction; element i is true if delivery i was new, false if a duplicate. */
  public boolean[] insert(List<NewDelivery> deliveries) {
    return write(deliveries, Lease.NONE, Map.of(), 0).isNew();
  }

  /**
   * Up to {@code max} of a group's new deliveries are stored already leased to {@code owner} until {@code until}:
   * the instance that received them hands them to its dispatcher in memory instead of claiming them back.
   */
  public record Lease(String owner, long until, int max) {
    public static final Lease NONE = new Lease(null, 0, 0);
  }

  /** What a write stored: which deliveries were new, the new ones stored leased (id order), completions made. */
  public record Stored(boolean[] isNew, List<Row> leased, int completed) {}

  /**
   * One transaction of the inbox writer: stores the group (unwanted deliveries done, the first other new ones
   * leased as {@code lease} allows, the rest pending); then marks {@code done} (lease owner to ids) done.
   */
  public Stored write(List<NewDelivery> deliveries, Lease lease, Map<String, List<Long>> done, long now) {
    // A delivery id repeated within the group is a duplicate of its first occurrence.
    Map<String, Integer> first = new java.util.HashMap<>();
    List<Integer> candidates = new ArrayList<>(deliveries.size());
    for (int i = 0; i < deliveries.size(); i++) {
      if (first.putIfAbsent(deliveries.get(i).deliveryId(), i) == null) {
        candidates.add(i);
      }
    }
    // Insert in delivery-id order: two instances storing overlapping groups then lock rows in the same order
    // and cannot deadlock on PostgreSQL.
    candidates.sort(java.util.Comparator.comparing(i -> deliveries.get(i).deliveryId()));
    boolean[] isNew = new boolean[deliveries.size()];
    List<Row> leased = new ArrayList<>();
    return db.write(c -> {
      int leases = 0;
      try (PreparedStatement payloads = c.prepareStatement(INSERT_PAYLOAD)) {
        for (int from = 0; from < candidates.size(); from += ROWS_PER_INSERT) {
          List<Integer> chunk = candidates.subList(from, Math.min(from + ROWS_PER_INSERT, candidates.size()));
          try (PreparedStatement ps = c.prepareStatement(insertSql(chunk.size()))) {
            int p = 1;
            for (int i : chunk) {
              NewDelivery d = deliveries.get(i);
              ps.setString(p++, d.deliveryId());
              ps.setString(p++, d.event());
              ps.setString(p++, d.action());
              Columns.setLong(ps, p++, d.installationId());
              ps.setString(p++, d.repository());
              ps.setString(p++, d.sender());
              ps.setLong(p++, d.receivedAt());
              boolean leasedRow = !d.unwanted() && leases < lease.max();
              leases += leasedRow ? 1 : 0;
              ps.setString(p++, d.unwanted() ? "done" : leasedRow ? "processing" : "pending");
              ps.setInt(p++, leasedRow ? 1 : 0);
              ps.setLong(p++, d.receivedAt());
              ps.setString(p++, leasedRow ? lease.owner() : null);
              Columns.setLong(ps, p++, leasedRow ? lease.until() : null);
              Columns.setLong(ps, p++, d.unwanted() ? (Long) d.receivedAt() : null);
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                int i = first.get(rs.getString(2));
                isNew[i] = true;
                payloads.setLong(1, rs.getLong(1));
                payloads.setBytes(2, deliveries.get(i).storedPayload());
                payloads.addBatch();
                if (lease.owner() != null && lease.owner().equals(rs.getString(3))) {
                  NewDelivery d = deliveries.get(i);
                  leased.add(new Row(rs.getLong(1), d.deliveryId(), d.event(), d.action(), d.installationId(),
                      d.repository(), d.sender(), d.receivedAt(), State.PROCESSING, 1, null));
                }
              }
            }
          }
        }
        payloads.executeBatch();
      }
      // Completions last: an update writes new index entries that another instance's insert of the same delivery
      // id waits for; taken after our own inserts, such a wait can never close a cycle (the inserts themselves go
      // in delivery-id order on every instance).
      int completed = 0;
      for (Map.Entry<String, List<Long>> e : done.entrySet()) {
        completed += complete(c, e.getValue(), e.getKey(), now);
      }
      return new Stored(isNew, leased, completed);
    });
  }

  private static String insertSql(int rows) {
    return INSERT_SQL.computeIfAbsent(rows, n -> INSERT_HEAD
        + String.join(", ", java.util.Collections.nCopies(n, INSERT_ROW)) + INSERT_TAIL);
  }

  /** What a claim returned: how many earlier deliveries it marked done, and the newly leased rows. */
  public record Claim(int completed, List<Row> rows) {}

  /** Leases up to {@code limit} due deliveries to {@code owner}, oldest first. */
  public List<Row> claim(String owner, int limit, long now, long leaseUntil) {
    return completeAndClaim(List.of(), owner, limit, now, leaseUntil).rows();
  }

  /** Marks {@code doneIds} done and leases the next due deliveries, in one transaction. */
  public Claim completeAndClaim(List<Long> doneIds, String owner, int limit, long now, long leaseUntil) {
    String sql = String.format(CLAIM, db.dialect().skipLocked());
    Claim claim = db.writeUnsynced(c -> {
      int completed = complete(c, doneIds, owner, now);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, owner);
        ps.setLong(2, leaseUntil);
        ps.setLong(3, now);
        ps.setInt(4, limit);
        try (ResultSet rs = ps.executeQuery()) {
          return new Claim(completed, readRows(rs));
        }
      }
    });
    claim.rows().sort(Comparator.comparingLong(Row::id));
    return claim;
  }

  /** The stored payload of a delivery, read when a worker handles it. */
  public byte[] payload(long inboxId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(SELECT_PAYLOAD)) {
        ps.setLong(1, inboxId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? PayloadCodec.decode(rs.getBytes(1)) : null;
        }
      }
    });
  }

  /** Returns deliveries whose lease ran out (their worker died) to pending; returns how many. */
  public int rescueExpired(long now) {
    return db.writeUnsynced(c -> {
      try (PreparedStatement ps = c.prepareStatement(RESCUE)) {
        ps.setLong(1, now);
        ps.setLong(2, now);
        return ps.executeUpdate();
      }
    });
  }

  /** Marks leased deliveries done; returns how many were still held by {@code owner}. */
  public int complete(List<Long> ids, String owner, long now) {
    return ids.isEmpty() ? 0 : db.writeUnsynced(c -> complete(c, ids, owner, now));
  }

  private static int complete(Connection c, List<Long> ids, String owner, long now) throws SQLException {
    if (ids.isEmpty()) {
      return 0;
    }
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
  }

  /**
   * Deletes up to {@code limit} deliveries handled (done) before {@code finishedBefore}, lowest ids first, with
   * their payloads; returns how many. Dead-lettered, pending and leased deliveries stay. Only rows below the first
   * one received since {@code finishedBefore} are read (a delivery finishes after it is received), so a call costs
   * the old rows, not the whole inbox: unbounded, a call with fewer than {@code limit} to delete read every row
   * while it held the writer (docs/benchmarks.md, Inbox retention).
   */
  public int prune(long finishedBefore, int limit) {
    return db.writeUnsynced(c -> {
      long below = firstReceivedSince(c, finishedBefore);
      try (PreparedStatement payloads = c.prepareStatement(
              "DELETE FROM inbox_payload WHERE inbox_id IN (" + PRUNABLE + ")");
           PreparedStatement rows = c.prepareStatement("DELETE FROM inbox WHERE id IN (" + PRUNABLE + ")")) {
        for (PreparedStatement ps : List.of(payloads, rows)) {
          ps.setLong(1, finishedBefore);
          ps.setLong(2, below);
          ps.setInt(3, limit);
        }
        payloads.executeUpdate();
        return rows.executeUpdate();
      }
    });
  }

  /**
   * The lowest id from which rows were received at or after {@code since}: a binary search over the ids, a few dozen
   * index lookups however large the inbox (received times rise with the ids; where clocks disagree a little, a row
   * is pruned by a later sweep instead).
   */
  private static long firstReceivedSince(Connection c, long since) throws SQLException {
    long hi;
    try (PreparedStatement max = c.prepareStatement("SELECT MAX(id) FROM inbox");
         ResultSet rs = max.executeQuery()) {
      hi = rs.next() ? rs.getLong(1) + 1 : 1;
    }
    long lo = 0;
    try (PreparedStatement ps = c.prepareStatement(FIRST_AT_OR_AFTER)) {
      while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        ps.setLong(1, mid);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next() || rs.getLong(1) >= since) {
            hi = mid;
          } else {
            lo = mid + 1;
          }
        }
      }
    }
    return lo;
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
    return db.read(c -> queryLong(c, "SELECT count(*) FROM inbox WHERE state = 'pending'")
        + queryLong(c, "SELECT count(*) FROM inbox WHERE state = 'processing'"));
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

  /** Which of {@code deliveryIds} are already stored: one query per 500 ids. */
  public Set<String> existing(Collection<String> deliveryIds) {
    List<String> ids = List.copyOf(new LinkedHashSet<>(deliveryIds));
    Set<String> found = new HashSet<>();
    for (int from = 0; from < ids.size(); from += 500) {
      List<String> batch = ids.subList(from, Math.min(ids.size(), from + 500));
      String sql = "SELECT delivery_id FROM inbox WHERE delivery_id IN ("
          + String.join(", ", java.util.Collections.nCopies(batch.size(), "?")) + ")";
      found.addAll(db.read(c -> {
        Set<String> part = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          for (int i = 0; i < batch.size(); i++) {
            ps.setString(i + 1, batch.get(i));
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              part.add(rs.getString(1));
            }
          }
        }
        return part;
      }));
    }
    return found;
  }

  private boolean update(String sql, long time, String error, long id, String owner) {
    int n = db.writeUnsynced(c -> {
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
          rs.getString(6), rs.getString(7), rs.getLong(8),
          State.valueOf(rs.getString(9).toUpperCase(java.util.Locale.ROOT)), rs.getInt(10), rs.getString(11)));
    }
    return rows;
  }

  private static long queryLong(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

}
