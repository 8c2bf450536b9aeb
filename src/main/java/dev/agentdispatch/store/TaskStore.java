package dev.agentdispatch.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent_task and agent_task_breaker tables (V2__tasks.sql). States are passed as their column values
 * ('queued', 'running', ...); the state table and the limits live in dev.agentdispatch.task, which calls this.
 */
public final class TaskStore {
  /** A task as triggered, before it is stored. */
  public record NewTask(String repository, String organisation, Long installationId, int number, String kind,
      String trigger, String triggeredBy, String deliveryId, String prompt, String scope, String baseRef,
      String model, long createdAt, String boundary) {}

  /** A stored task. */
  public record Row(long id, String repository, String organisation, Long installationId, int number,
      String kind, String trigger, String triggeredBy, String deliveryId, String prompt, String scope,
      String baseRef, String model, String state, int attempt, String leaseOwner, Long leaseUntil,
      String agentTaskId, String headRef, Integer pullNumber, String error, long createdAt, long updatedAt,
      Long startedAt, Long finishedAt, int version, String boundary) {}

  /** How an insert went: stored, or the active task / earlier task of the same delivery, or a full queue. */
  public enum InsertOutcome { INSERTED, ACTIVE_EXISTS, DELIVERY_SEEN, QUEUE_FULL }

  public record Inserted(InsertOutcome outcome, Row row, long queued) {}

  /**
   * What the limits need to know about one repository at claim time, for each repository with queued or active
   * tasks. {@code headCreatedAt} is the creation time of its oldest queued task (null when nothing is queued);
   * {@code startedSince} counts its starts since the budget window's beginning and {@code lastStartedAt} is its
   * latest start (both only read for repositories with queued tasks: 0 and null otherwise).
   */
  public record RepoStat(String repository, String organisation, Long headCreatedAt, long occupying, long prOpen,
      long startedSince, Long lastStartedAt, Long pausedUntil) {}

  /** The counts a claim decides on: per repository, and each organisation's latest start if it is recent. */
  public record Snapshot(List<RepoStat> repositories, Map<String, Long> recentOrganisationStarts) {}

  /** Chooses, inside the claim transaction, which repositories may start a task now, best first. */
  @FunctionalInterface
  public interface Picker {
    List<String> order(Snapshot snapshot);
  }

  /** A field change that rides along a transition; null leaves the column as it is. */
  public record Move(long id, String from, String to, long now, boolean toLeased, boolean toFinal,
      String requireOwner, String newOwner, Long leaseUntil, String error, String agentTaskId, String headRef,
      Integer pullNumber) {}

  public record Breaker(String repository, long pausedUntil, String reason, long windowFrom) {}

  private static final String COLUMNS = "id, repository, organisation, installation_id, number, kind, trigger_kind,"
      + " triggered_by, delivery_id, prompt, scope, base_ref, model, state, attempt, lease_owner, lease_until,"
      + " agent_task_id, head_ref, pull_number, error, created_at, updated_at, started_at, finished_at, version,"
      + " boundary";
  private static final String ACTIVE = "('queued', 'starting', 'running', 'waiting_for_user', 'pr_open')";
  private static final String OCCUPYING = "('starting', 'running', 'waiting_for_user')";

  // 1..12 new task columns, 13 created_at, 14 updated_at, 15 boundary (JSON)
  private static final String INSERT = "INSERT INTO agent_task (repository, organisation, installation_id, number,"
      + " kind, trigger_kind, triggered_by, delivery_id, prompt, scope, base_ref, model, state, attempt,"
      + " created_at, updated_at, version, boundary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, 0, ?)"
      + " ON CONFLICT DO NOTHING RETURNING " + COLUMNS;
  // 1 repository, 2 number
  private static final String FIND_ACTIVE = "SELECT " + COLUMNS + " FROM agent_task"
      + " WHERE repository = ? AND number = ? AND state IN " + ACTIVE;
  // 1 repository: the tasks whose pull request is open (judging, closing); few per repository
  private static final String PR_OPEN_IN_REPO = "SELECT " + COLUMNS + " FROM agent_task"
      + " WHERE repository = ? AND state = 'pr_open' ORDER BY id";
  // 1 limit: open pull requests with a stored boundary (the judging sweep)
  private static final String PR_OPEN_WITH_BOUNDARY = "SELECT " + COLUMNS + " FROM agent_task"
      + " WHERE state = 'pr_open' AND boundary IS NOT NULL ORDER BY id LIMIT ?";
  // 1 delivery_id
  private static final String FIND_DELIVERY = "SELECT " + COLUMNS + " FROM agent_task WHERE delivery_id = ?"
      + " ORDER BY id DESC LIMIT 1";
  // 1 repository
  private static final String COUNT_QUEUED = "SELECT count(*) FROM agent_task WHERE repository = ? AND state = 'queued'";
  // The repositories with queued tasks, walked one index seek at a time (a loose index scan), so a claim costs
  // O(repositories x log tasks) rather than a scan of the queue; with each, its oldest queued task, its starts
  // since the budget window's beginning and its latest start. 1 budget window start
  private static final String STATS_QUEUED = "WITH RECURSIVE r(repository) AS ("
      + "SELECT min(repository) FROM agent_task WHERE state = 'queued'"
      + " UNION ALL SELECT (SELECT min(repository) FROM agent_task WHERE state = 'queued'"
      + " AND repository > r.repository) FROM r WHERE r.repository IS NOT NULL)"
      + " SELECT r.repository,"
      + " (SELECT organisation FROM agent_task WHERE repository = r.repository AND state = 'queued'"
      + " ORDER BY created_at, id LIMIT 1),"
      + " (SELECT created_at FROM agent_task WHERE repository = r.repository AND state = 'queued'"
      + " ORDER BY created_at, id LIMIT 1),"
      + " (SELECT count(*) FROM agent_task WHERE repository = r.repository AND started_at >= ?),"
      + " (SELECT max(started_at) FROM agent_task WHERE repository = r.repository)"
      + " FROM r WHERE r.repository IS NOT NULL";
  // Tasks holding capacity: few (bounded by the concurrency and review limits).
  private static final String STATS_ACTIVE = "SELECT repository, min(organisation),"
      + " sum(CASE WHEN state IN " + OCCUPYING + " THEN 1 ELSE 0 END),"
      + " sum(CASE WHEN state = 'pr_open' THEN 1 ELSE 0 END)"
      + " FROM agent_task WHERE state IN ('starting', 'running', 'waiting_for_user', 'pr_open') GROUP BY repository";
  // Starts within the organisation start gap (few). 1 gap start
  private static final String RECENT_ORG_STARTS = "SELECT organisation, max(started_at) FROM agent_task"
      + " WHERE started_at >= ? GROUP BY organisation";
  // 1 now
  private static final String STATS_PAUSED = "SELECT repository, paused_until FROM agent_task_breaker"
      + " WHERE paused_until > ?";
  // 1 lease_owner, 2 lease_until, 3 started_at, 4 updated_at, 5 repository; %s: lock clause
  private static final String CLAIM = "UPDATE agent_task SET state = 'starting', attempt = attempt + 1,"
      + " lease_owner = ?, lease_until = ?, started_at = ?, updated_at = ?, version = version + 1"
      + " WHERE state = 'queued' AND id = (SELECT id FROM agent_task WHERE repository = ? AND state = 'queued'"
      + " ORDER BY created_at, id LIMIT 1%s) RETURNING " + COLUMNS;
  // Claims are serialized across PostgreSQL instances so that limits read in the claim stay true until commit.
  private static final String PG_CLAIM_LOCK = "SELECT pg_advisory_xact_lock(5005)";
  // 1 lease_until, 2 updated_at, 3 id, 4 owner
  private static final String RENEW = "UPDATE agent_task SET lease_until = ?, updated_at = ?, version = version + 1"
      + " WHERE id = ? AND lease_owner = ? AND state IN ('starting', 'running')";
  // 1 updated_at, 2 now, 3 max attempts
  private static final String REQUEUE_EXPIRED = "UPDATE agent_task SET state = 'queued', lease_owner = NULL,"
      + " lease_until = NULL, error = 'lease expired while starting', updated_at = ?, version = version + 1"
      + " WHERE state = 'starting' AND lease_until < ? AND attempt < ? RETURNING id";
  // 1 updated_at, 2 finished_at, 3 now, 4 max attempts
  private static final String FAIL_EXPIRED = "UPDATE agent_task SET state = 'failed', lease_owner = NULL,"
      + " lease_until = NULL, error = 'lease expired while starting; no attempts left', updated_at = ?,"
      + " finished_at = ?, version = version + 1"
      + " WHERE state = 'starting' AND lease_until < ? AND attempt >= ? RETURNING id";
  // 1 lease_owner, 2 lease_until, 3 updated_at, 4 now
  private static final String ADOPT_EXPIRED = "UPDATE agent_task SET lease_owner = ?, lease_until = ?,"
      + " updated_at = ?, version = version + 1 WHERE state = 'running' AND lease_until < ? RETURNING " + COLUMNS;
  // 1 repository, 2 created_at, 3 created_at, 4 id
  private static final String POSITION_IN_REPO = "SELECT count(*) FROM agent_task WHERE repository = ?"
      + " AND state = 'queued' AND (created_at < ? OR (created_at = ? AND id <= ?))";
  // 1 rank, 2 rank, 3 created_at, 4 created_at, 5 id
  private static final String POSITION_OVERALL = "SELECT count(*) FROM (SELECT id, created_at,"
      + " ROW_NUMBER() OVER (PARTITION BY repository ORDER BY created_at, id) AS rk"
      + " FROM agent_task WHERE state = 'queued') q"
      + " WHERE q.rk < ? OR (q.rk = ? AND (q.created_at < ? OR (q.created_at = ? AND q.id <= ?)))";
  // 1 repository, 2 since, 3 limit
  private static final String LAST_FINISHED = "SELECT state FROM agent_task WHERE repository = ?"
      + " AND finished_at > ? AND state IN ('done', 'failed', 'timed_out') ORDER BY finished_at DESC, id DESC LIMIT ?";
  // 1 repository, 2 paused_until, 3 reason, 4 window_from, 5 updated_at
  private static final String PAUSE = "INSERT INTO agent_task_breaker (repository, paused_until, reason, window_from,"
      + " updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (repository) DO UPDATE SET paused_until = excluded.paused_until,"
      + " reason = excluded.reason, window_from = excluded.window_from, updated_at = excluded.updated_at";
  private static final String FIND_BREAKER = "SELECT repository, paused_until, reason, window_from"
      + " FROM agent_task_breaker WHERE repository = ?";

  private final Database db;

  public TaskStore(Database db) {
    this.db = db;
  }

  public Database database() {
    return db;
  }

  /**
   * Stores a queued task unless the issue already has an active task, the delivery was already handled, or
   * the repository already has {@code maxQueued} queued tasks. On PostgreSQL two instances inserting for one
   * repository at the same moment can each pass the depth check (the limit is soft by at most one per instance);
   * the one-active-task index is exact.
   */
  public Inserted insert(NewTask t, int maxQueued) {
    return db.write(c -> {
      Optional<Row> active = findActive(c, t.repository(), t.number());
      if (active.isPresent()) {
        return new Inserted(InsertOutcome.ACTIVE_EXISTS, active.get(), 0);
      }
      if (t.deliveryId() != null) {
        Optional<Row> seen = one(c, FIND_DELIVERY, ps -> ps.setString(1, t.deliveryId()));
        if (seen.isPresent()) {
          return new Inserted(InsertOutcome.DELIVERY_SEEN, seen.get(), 0);
        }
      }
      long queued = count(c, COUNT_QUEUED, t.repository());
      if (queued >= maxQueued) {
        return new Inserted(InsertOutcome.QUEUE_FULL, null, queued);
      }
      Optional<Row> inserted = one(c, INSERT, ps -> {
        ps.setString(1, t.repository());
        ps.setString(2, t.organisation());
        Columns.setLong(ps, 3, t.installationId());
        ps.setInt(4, t.number());
        ps.setString(5, t.kind());
        ps.setString(6, t.trigger());
        ps.setString(7, t.triggeredBy());
        ps.setString(8, t.deliveryId());
        ps.setString(9, t.prompt());
        ps.setString(10, t.scope());
        ps.setString(11, t.baseRef());
        ps.setString(12, t.model());
        ps.setLong(13, t.createdAt());
        ps.setLong(14, t.createdAt());
        ps.setString(15, t.boundary());
      });
      if (inserted.isPresent()) {
        return new Inserted(InsertOutcome.INSERTED, inserted.get(), queued + 1);
      }
      // another instance inserted the active task between our check and our insert
      return new Inserted(InsertOutcome.ACTIVE_EXISTS, findActive(c, t.repository(), t.number()).orElseThrow(), 0);
    });
  }

  /**
   * Claims the oldest queued task of the first repository {@code picker} allows, in one transaction: reads the
   * per-repository counts, asks the picker, then moves that task to 'starting' under a lease in one guarded
   * UPDATE over a {@code SELECT ... FOR UPDATE SKIP LOCKED} (PostgreSQL). Claims are serialized by a
   * transaction-scoped advisory lock on PostgreSQL, so two instances never both see a free slot; SQLite has one
   * writer anyway.
   */
  public Optional<Row> claim(String owner, long now, long leaseUntil, long budgetSince, long recentSince,
      Picker picker) {
    String sql = String.format(CLAIM, db.dialect().skipLocked());
    return db.write(c -> {
      if (db.dialect() == Dialect.POSTGRES) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(PG_CLAIM_LOCK)) {
          rs.next();
        }
      }
      List<String> order = picker.order(snapshot(c, now, budgetSince, recentSince));
      for (String repository : order) {
        Optional<Row> row = one(c, sql, ps -> {
          ps.setString(1, owner);
          ps.setLong(2, leaseUntil);
          ps.setLong(3, now);
          ps.setLong(4, now);
          ps.setString(5, repository);
        });
        if (row.isPresent()) {
          return row;
        }
      }
      return Optional.empty();
    });
  }

  /**
   * The counts a claim decides on, read outside a claim (explanations, dashboards): starts since
   * {@code budgetSince} per repository, organisations' starts since {@code recentSince}, breakers open at now.
   */
  public Snapshot snapshot(long now, long budgetSince, long recentSince) {
    return db.read(c -> snapshot(c, now, budgetSince, recentSince));
  }

  /**
   * One guarded {@code UPDATE ... WHERE id = ? AND state = ?}: returns false when another actor moved the task
   * first (0 rows), throws on more than one row (a bug).
   */
  public boolean move(Move m) {
    StringBuilder sql = new StringBuilder("UPDATE agent_task SET state = ?, updated_at = ?, version = version + 1,"
        + " finished_at = ?, error = COALESCE(?, error), agent_task_id = COALESCE(?, agent_task_id),"
        + " head_ref = COALESCE(?, head_ref), pull_number = COALESCE(?, pull_number)");
    sql.append(m.toLeased() ? ", lease_owner = COALESCE(?, lease_owner), lease_until = ?"
        : ", lease_owner = NULL, lease_until = NULL");
    if (m.to().equals("starting")) {
      sql.append(", started_at = ?, attempt = attempt + 1");
    }
    sql.append(" WHERE id = ? AND state = ?");
    if (m.requireOwner() != null) {
      sql.append(" AND lease_owner = ?");
    }
    int n = db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int i = 1;
        ps.setString(i++, m.to());
        ps.setLong(i++, m.now());
        Columns.setLong(ps, i++, m.toFinal() ? m.now() : null);
        ps.setString(i++, m.error());
        ps.setString(i++, m.agentTaskId());
        ps.setString(i++, m.headRef());
        setInt(ps, i++, m.pullNumber());
        if (m.toLeased()) {
          ps.setString(i++, m.newOwner());
          Columns.setLong(ps, i++, m.leaseUntil());
        }
        if (m.to().equals("starting")) {
          ps.setLong(i++, m.now());
        }
        ps.setLong(i++, m.id());
        ps.setString(i++, m.from());
        if (m.requireOwner() != null) {
          ps.setString(i, m.requireOwner());
        }
        return ps.executeUpdate();
      }
    });
    return checkOne(n, m.id());
  }

  /** Extends the lease of a starting or running task; false if {@code owner} no longer holds it. */
  public boolean renew(long id, String owner, long now, long leaseUntil) {
    int n = db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(RENEW)) {
        ps.setLong(1, leaseUntil);
        ps.setLong(2, now);
        ps.setLong(3, id);
        ps.setString(4, owner);
        return ps.executeUpdate();
      }
    });
    return checkOne(n, id);
  }

  /** Starting tasks whose lease ran out: ids sent back to the queue, and ids failed for lack of attempts. */
  public record Expired(List<Long> requeued, List<Long> failed) {}

  /**
   * Starting tasks whose lease ran out (their instance died before the agent ran) go back to the queue, or fail
   * once they were claimed {@code maxAttempts} times.
   */
  public Expired requeueExpired(long now, int maxAttempts) {
    return db.write(c -> {
      List<Long> failed = ids(c, FAIL_EXPIRED, now, now, now, maxAttempts);
      List<Long> requeued = ids(c, REQUEUE_EXPIRED, now, now, maxAttempts);
      return new Expired(requeued, failed);
    });
  }

  private static List<Long> ids(Connection c, String sql, long... params) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setLong(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
    }
    return ids;
  }

  /** Running tasks whose lease ran out are taken over by {@code owner}, which resumes watching the agent. */
  public List<Row> adoptExpired(String owner, long now, long leaseUntil) {
    return db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(ADOPT_EXPIRED)) {
        ps.setString(1, owner);
        ps.setLong(2, leaseUntil);
        ps.setLong(3, now);
        ps.setLong(4, now);
        try (ResultSet rs = ps.executeQuery()) {
          return readRows(rs);
        }
      }
    });
  }

  public Optional<Row> find(long id) {
    return db.read(c -> one(c, "SELECT " + COLUMNS + " FROM agent_task WHERE id = ?", ps -> ps.setLong(1, id)));
  }

  public Optional<Row> findActive(String repository, int number) {
    return db.read(c -> findActive(c, repository, number));
  }

  /**
   * The repository's tasks that were cancelled or timed out at or after {@code since} after the agent was asked to
   * start (an agent pull request may still arrive for them), latest first.
   */
  public List<Row> endedWithAgent(String repository, long since, int limit) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM agent_task WHERE repository = ?"
          + " AND state IN ('cancelled', 'timed_out') AND started_at IS NOT NULL AND finished_at >= ?"
          + " ORDER BY finished_at DESC, id DESC LIMIT ?")) {
        ps.setString(1, repository);
        ps.setLong(2, since);
        ps.setInt(3, limit);
        try (ResultSet rs = ps.executeQuery()) {
          return readRows(rs);
        }
      }
    });
  }

  /** Filters for {@link #list}; null means any. Pages go backwards from {@code beforeId}, newest first. */
  public record ListQuery(String repository, String state, String triggeredBy, Long beforeId, int limit) {}

  /** Tasks newest first, for the admin API. */
  public List<Row> list(ListQuery q) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM agent_task WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    for (Object[] f : new Object[][] {{" AND repository = ?", q.repository()}, {" AND state = ?", q.state()},
        {" AND triggered_by = ?", q.triggeredBy()}, {" AND id < ?", q.beforeId()}}) {
      if (f[1] != null) {
        sql.append(f[0]);
        args.add(f[1]);
      }
    }
    sql.append(" ORDER BY id DESC LIMIT ?");
    args.add(q.limit());
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          ps.setObject(i + 1, args.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          return readRows(rs);
        }
      }
    });
  }

  /** A queued task's place: [within its repository, overall under round-robin (estimated)], 1-based. */
  /** The tasks of a repository in 'pr_open', oldest first. */
  public List<Row> prOpen(String repository) {
    return db.read(c -> many(c, PR_OPEN_IN_REPO, ps -> ps.setString(1, repository)));
  }

  /** Up to {@code limit} tasks in 'pr_open' that carry a boundary, oldest first. */
  public List<Row> prOpenWithBoundary(int limit) {
    return db.read(c -> many(c, PR_OPEN_WITH_BOUNDARY, ps -> ps.setInt(1, limit)));
  }

  public long[] position(Row task) {
    return db.read(c -> {
      long inRepo;
      try (PreparedStatement ps = c.prepareStatement(POSITION_IN_REPO)) {
        ps.setString(1, task.repository());
        ps.setLong(2, task.createdAt());
        ps.setLong(3, task.createdAt());
        ps.setLong(4, task.id());
        inRepo = single(ps);
      }
      try (PreparedStatement ps = c.prepareStatement(POSITION_OVERALL)) {
        ps.setLong(1, inRepo);
        ps.setLong(2, inRepo);
        ps.setLong(3, task.createdAt());
        ps.setLong(4, task.createdAt());
        ps.setLong(5, task.id());
        return new long[] {inRepo, single(ps)};
      }
    });
  }

  /** States of the repository's last {@code n} tasks finished as done, failed or timed out since {@code since}. */
  public List<String> lastFinished(String repository, long since, int n) {
    return db.read(c -> {
      List<String> states = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(LAST_FINISHED)) {
        ps.setString(1, repository);
        ps.setLong(2, since);
        ps.setInt(3, n);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            states.add(rs.getString(1));
          }
        }
      }
      return states;
    });
  }

  /** Pauses (or, with pausedUntil = now, resumes) a repository's queue. */
  public void setBreaker(String repository, long pausedUntil, String reason, long windowFrom, long now) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(PAUSE)) {
        ps.setString(1, repository);
        ps.setLong(2, pausedUntil);
        ps.setString(3, reason);
        ps.setLong(4, windowFrom);
        ps.setLong(5, now);
        return ps.executeUpdate();
      }
    });
  }

  public Optional<Breaker> breaker(String repository) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(FIND_BREAKER)) {
        ps.setString(1, repository);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next()
              ? Optional.of(new Breaker(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4)))
              : Optional.empty();
        }
      }
    });
  }

  private static Snapshot snapshot(Connection c, long now, long budgetSince, long recentSince)
      throws SQLException {
    Map<String, RepoStat> byRepo = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(STATS_QUEUED)) {
      ps.setLong(1, budgetSince);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byRepo.put(rs.getString(1), new RepoStat(rs.getString(1), rs.getString(2), rs.getLong(3), 0, 0,
              rs.getLong(4), getLong(rs, 5), null));
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(STATS_ACTIVE); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        RepoStat s = byRepo.get(rs.getString(1));
        byRepo.put(rs.getString(1), s == null
            ? new RepoStat(rs.getString(1), rs.getString(2), null, rs.getLong(3), rs.getLong(4), 0, null, null)
            : new RepoStat(s.repository(), s.organisation(), s.headCreatedAt(), rs.getLong(3), rs.getLong(4),
                s.startedSince(), s.lastStartedAt(), null));
      }
    }
    try (PreparedStatement ps = c.prepareStatement(STATS_PAUSED)) {
      ps.setLong(1, now);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          RepoStat s = byRepo.get(rs.getString(1));
          if (s != null) {
            byRepo.put(s.repository(), new RepoStat(s.repository(), s.organisation(), s.headCreatedAt(),
                s.occupying(), s.prOpen(), s.startedSince(), s.lastStartedAt(), rs.getLong(2)));
          }
        }
      }
    }
    Map<String, Long> recent = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(RECENT_ORG_STARTS)) {
      ps.setLong(1, recentSince);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          recent.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return new Snapshot(new ArrayList<>(byRepo.values()), recent);
  }

  private static Optional<Row> findActive(Connection c, String repository, int number) throws SQLException {
    return one(c, FIND_ACTIVE, ps -> {
      ps.setString(1, repository);
      ps.setInt(2, number);
    });
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private static Optional<Row> one(Connection c, String sql, Binder binder) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<Row> rows = readRows(rs);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
      }
    }
  }

  private static List<Row> many(Connection c, String sql, Binder binder) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        return readRows(rs);
      }
    }
  }

  private static long count(Connection c, String sql, String param) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      return single(ps);
    }
  }

  private static long single(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static boolean checkOne(int n, long id) {
    if (n > 1) {
      throw new IllegalStateException("agent_task update touched " + n + " rows for id " + id);
    }
    return n == 1;
  }

  private static List<Row> readRows(ResultSet rs) throws SQLException {
    List<Row> rows = new ArrayList<>();
    while (rs.next()) {
      rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), getLong(rs, 4), rs.getInt(5),
          rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
          rs.getString(12), rs.getString(13), rs.getString(14), rs.getInt(15), rs.getString(16), getLong(rs, 17),
          rs.getString(18), rs.getString(19), getInt(rs, 20), rs.getString(21), rs.getLong(22), rs.getLong(23),
          getLong(rs, 24), getLong(rs, 25), rs.getInt(26), rs.getString(27)));
    }
    return rows;
  }

  private static Long getLong(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? null : v;
  }

  private static Integer getInt(ResultSet rs, int i) throws SQLException {
    int v = rs.getInt(i);
    return rs.wasNull() ? null : v;
  }


  private static void setInt(PreparedStatement ps, int index, Integer value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setInt(index, value);
    }
  }
}
