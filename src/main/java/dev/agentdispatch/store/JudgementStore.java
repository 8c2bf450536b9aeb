package dev.agentdispatch.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The task_judgement table (V5__judging.sql): each judged task's latest verdict, GitHub's time of the event that
 * decided it, and its rollback, claimed under a lease and recorded step by step. Same SQL on SQLite and PostgreSQL.
 * Outcomes are passed as their column values ('succeeded', 'needs_attention', 'failed', 'timed_out'; null: pending).
 */
public final class JudgementStore {
  /** A stored row; times in epoch milliseconds, absent ones null. */
  public record Row(long taskId, long since, String outcome, String decidedBy, String detail, Long decidedAt,
      Long judgedAt, String rollbackOwner, Long rollbackUntil, List<String> rollbackSteps, Long rollbackDoneAt,
      long updatedAt) {
    /** True once a rollback was claimed or done: the verdict is then kept as it is. */
    public boolean rollbackStarted() {
      return rollbackOwner != null || !rollbackSteps.isEmpty() || rollbackDoneAt != null;
    }
  }

  private static final String COLUMNS = "task_id, since, outcome, decided_by, detail, decided_at, judged_at,"
      + " rollback_owner, rollback_until, rollback_steps, rollback_done_at, updated_at";
  private static final String ROLLBACK_OUTCOMES = "('needs_attention', 'failed', 'timed_out')";
  // 1 task_id, 2 since, 3 updated_at
  private static final String START = "INSERT INTO task_judgement (task_id, since, updated_at) VALUES (?, ?, ?)"
      + " ON CONFLICT (task_id) DO NOTHING";
  private static final String FIND = "SELECT " + COLUMNS + " FROM task_judgement WHERE task_id = ?";
  // 1 outcome, 2 decided_by, 3 detail, 4 decided_at, 5 judged_at, 6 updated_at, 7 task_id
  private static final String VERDICT = "UPDATE task_judgement SET outcome = ?, decided_by = ?, detail = ?,"
      + " decided_at = ?, judged_at = ?, updated_at = ? WHERE task_id = ? AND rollback_owner IS NULL"
      + " AND rollback_steps IS NULL AND rollback_done_at IS NULL";
  // 1 limit
  private static final String PENDING = "SELECT " + COLUMNS + " FROM task_judgement WHERE outcome IS NULL"
      + " ORDER BY since, task_id LIMIT ?";
  // 1 decided before, 2 limit
  private static final String ROLLBACK_DUE = "SELECT " + COLUMNS + " FROM task_judgement WHERE outcome IN "
      + ROLLBACK_OUTCOMES + " AND rollback_done_at IS NULL AND decided_at <= ? ORDER BY decided_at, task_id LIMIT ?";
  // 1 owner, 2 until, 3 updated_at, 4 task_id, 5 decided before, 6 now
  private static final String CLAIM = "UPDATE task_judgement SET rollback_owner = ?, rollback_until = ?, updated_at = ?"
      + " WHERE task_id = ? AND outcome IN " + ROLLBACK_OUTCOMES + " AND rollback_done_at IS NULL AND decided_at <= ?"
      + " AND (rollback_owner IS NULL OR rollback_until < ?)";
  // 1 steps, 2 updated_at, 3 task_id, 4 owner
  private static final String STEP = "UPDATE task_judgement SET rollback_steps = ?, updated_at = ?"
      + " WHERE task_id = ? AND rollback_owner = ?";
  // 1 done_at, 2 updated_at, 3 task_id, 4 owner
  private static final String DONE = "UPDATE task_judgement SET rollback_done_at = ?, rollback_owner = NULL,"
      + " rollback_until = NULL, updated_at = ? WHERE task_id = ? AND rollback_owner = ?";
  // 1 done_at, 2 steps, 3 updated_at, 4 task_id: the pull request closed without the app; nothing left to roll back
  private static final String SETTLE = "UPDATE task_judgement SET rollback_done_at = ?,"
      + " rollback_steps = COALESCE(rollback_steps, ?), updated_at = ? WHERE task_id = ? AND rollback_done_at IS NULL"
      + " AND rollback_owner IS NULL";

  private final Database db;

  public JudgementStore(Database db) {
    this.db = db;
  }

  /** Starts judging a task (pending) unless it already is; returns the row either way. */
  public Row start(long taskId, long since, long now) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(START)) {
        ps.setLong(1, taskId);
        ps.setLong(2, since);
        ps.setLong(3, now);
        return ps.executeUpdate();
      }
    });
    return find(taskId).orElseThrow();
  }

  public Optional<Row> find(long taskId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(FIND)) {
        ps.setLong(1, taskId);
        List<Row> rows = rows(ps);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
      }
    });
  }

  /**
   * Records the latest verdict ({@code outcome} null: pending again, e.g. after a new push). False once a rollback
   * was claimed: from then on the verdict that started it stands.
   */
  public boolean verdict(long taskId, String outcome, String decidedBy, String detail, Long decidedAt, long now) {
    int n = db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(VERDICT)) {
        ps.setString(1, outcome);
        ps.setString(2, decidedBy);
        ps.setString(3, detail);
        Columns.setLong(ps, 4, decidedAt);
        Columns.setLong(ps, 5, outcome == null ? null : now);
        ps.setLong(6, now);
        ps.setLong(7, taskId);
        return ps.executeUpdate();
      }
    });
    return n == 1;
  }

  /** Judgements still pending, oldest first. */
  public List<Row> pending(int limit) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(PENDING)) {
        ps.setInt(1, limit);
        return rows(ps);
      }
    });
  }

  /** Verdicts that call for a rollback, decided at or before {@code decidedBefore}, not rolled back yet. */
  public List<Row> rollbackCandidates(long decidedBefore, int limit) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(ROLLBACK_DUE)) {
        ps.setLong(1, decidedBefore);
        ps.setInt(2, limit);
        return rows(ps);
      }
    });
  }

  /**
   * Claims a task's rollback for {@code owner} until {@code until}, if its verdict was decided at or before
   * {@code decidedBefore} (the grace has passed) and nobody holds it. One guarded update: false when another
   * instance holds it, or it is done.
   */
  public boolean claimRollback(long taskId, String owner, long now, long until, long decidedBefore) {
    int n = db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
        ps.setString(1, owner);
        ps.setLong(2, until);
        ps.setLong(3, now);
        ps.setLong(4, taskId);
        ps.setLong(5, decidedBefore);
        ps.setLong(6, now);
        return ps.executeUpdate();
      }
    });
    return n == 1;
  }

  /** Records that a rollback step is done, while {@code owner} holds the claim. */
  public boolean stepDone(long taskId, String owner, List<String> stepsSoFar, long now) {
    return Columns.update(db, STEP, String.join(",", stepsSoFar), now, taskId, owner) == 1;
  }

  /** Ends the rollback: every step is done. */
  public boolean rollbackDone(long taskId, String owner, long now) {
    return Columns.update(db, DONE, now, now, taskId, owner) == 1;
  }

  /** Marks an unclaimed rollback as needing nothing (the pull request was closed or merged by a person). */
  public boolean settle(long taskId, String reason, long now) {
    return Columns.update(db, SETTLE, now, reason, now, taskId) == 1;
  }

  private static List<Row> rows(PreparedStatement ps) throws SQLException {
    List<Row> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String steps = rs.getString(10);
        out.add(new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
            Columns.longOrNull(rs, 6), Columns.longOrNull(rs, 7), rs.getString(8), Columns.longOrNull(rs, 9),
            steps == null || steps.isEmpty() ? List.of() : Arrays.asList(steps.split(",")), Columns.longOrNull(rs, 11),
            rs.getLong(12)));
      }
    }
    return out;
  }
}
