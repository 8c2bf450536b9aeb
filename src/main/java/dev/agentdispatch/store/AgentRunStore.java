package dev.agentdispatch.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The agent_run table (V4__agent.sql): the agent worker's start intents, status comment and watch schedule,
 * one row per task. Same SQL on SQLite and PostgreSQL.
 */
public final class AgentRunStore {
  /** A stored row; times in epoch milliseconds, absent ones null. */
  public record Row(long taskId, long firstRequestedAt, long requestedAt, String requestedBy, Long requesterId,
      String tokenMode, Long statusCommentId, Long nextCheckAt, int failures, long updatedAt) {
    /** False for a row the trigger made to hold the "queued" status comment before any start was requested. */
    public boolean hasIntent() {
      return !QUEUED_MODE.equals(tokenMode);
    }
  }

  /** The token_mode of a row that only holds the status comment the trigger posted while the task was queued. */
  public static final String QUEUED_MODE = "queued";

  private static final String COLUMNS = "task_id, first_requested_at, requested_at, requested_by, requester_id,"
      + " token_mode, status_comment_id, next_check_at, failures, updated_at";
  // 1 task_id, 2 first_requested_at (kept on conflict), 3 requested_at, 4 requested_by, 5 requester_id,
  // 6 token_mode, 7 updated_at
  private static final String INTENT = "INSERT INTO agent_run (task_id, first_requested_at, requested_at,"
      + " requested_by, requester_id, token_mode, failures, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?)"
      + " ON CONFLICT (task_id) DO UPDATE SET requested_at = excluded.requested_at,"
      + " first_requested_at = CASE WHEN agent_run.token_mode = '" + QUEUED_MODE + "'"
      + " THEN excluded.first_requested_at ELSE agent_run.first_requested_at END,"
      + " requested_by = excluded.requested_by, requester_id = excluded.requester_id,"
      + " token_mode = excluded.token_mode, updated_at = excluded.updated_at";
  // 1 task_id, 2 first_requested_at, 3 requested_at, 4 status_comment_id, 5 updated_at; a placeholder until the
  // first intent replaces its times and token mode (the comment id is kept)
  private static final String QUEUED_COMMENT = "INSERT INTO agent_run (task_id, first_requested_at, requested_at,"
      + " requested_by, token_mode, status_comment_id, failures, updated_at) VALUES (?, ?, ?, '', '" + QUEUED_MODE
      + "', ?, 0, ?) ON CONFLICT (task_id) DO UPDATE SET status_comment_id = excluded.status_comment_id,"
      + " updated_at = excluded.updated_at";
  private static final String FIND = "SELECT " + COLUMNS + " FROM agent_run WHERE task_id = ?";
  // 1 now
  private static final String DUE = "SELECT " + COLUMNS + " FROM agent_run WHERE next_check_at <= ?"
      + " ORDER BY next_check_at, task_id LIMIT ?";
  // 1 next_check_at, 2 failures, 3 updated_at, 4 task_id
  private static final String SCHEDULE = "UPDATE agent_run SET next_check_at = ?, failures = ?, updated_at = ?"
      + " WHERE task_id = ?";
  // 1 status_comment_id, 2 updated_at, 3 task_id
  private static final String COMMENT = "UPDATE agent_run SET status_comment_id = ?, updated_at = ? WHERE task_id = ?";

  private final Database db;

  public AgentRunStore(Database db) {
    this.db = db;
  }

  /** Records a start intent before the create call; a repeated intent keeps the first time. */
  public void recordIntent(long taskId, long now, String requestedBy, Long requesterId, String tokenMode) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(INTENT)) {
        ps.setLong(1, taskId);
        ps.setLong(2, now);
        ps.setLong(3, now);
        ps.setString(4, requestedBy);
        Columns.setLong(ps, 5, requesterId);
        ps.setString(6, tokenMode);
        ps.setLong(7, now);
        return ps.executeUpdate();
      }
    });
  }

  public Optional<Row> find(long taskId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(FIND)) {
        ps.setLong(1, taskId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(row(rs)) : Optional.empty();
        }
      }
    });
  }

  /** Rows whose next check is due at {@code now}, soonest first. */
  public List<Row> due(long now, int limit) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(DUE)) {
        ps.setLong(1, now);
        ps.setInt(2, limit);
        List<Row> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(row(rs));
          }
        }
        return out;
      }
    });
  }

  /** Sets the next check (null: stop watching) and the count of transient failures in a row. */
  public void schedule(long taskId, Long nextCheckAt, int failures, long now) {
    db.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(SCHEDULE)) {
        Columns.setLong(ps, 1, nextCheckAt);
        ps.setInt(2, failures);
        ps.setLong(3, now);
        ps.setLong(4, taskId);
        return ps.executeUpdate();
      }
    });
  }

  /**
   * Remembers the status comment a trigger posted for a queued task, so the worker edits that comment instead of
   * posting another. The row carries no start intent ({@link Row#hasIntent()} is false) until the worker records one.
   */
  public void queuedStatusComment(long taskId, long commentId, long now) {
    Columns.update(db, QUEUED_COMMENT, taskId, now, now, commentId, now);
  }

  public void statusComment(long taskId, long commentId, long now) {
    Columns.update(db, COMMENT, commentId, now, taskId);
  }

  private static Row row(ResultSet rs) throws SQLException {
    return new Row(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), Columns.longOrNull(rs, 5), rs.getString(6),
        Columns.longOrNull(rs, 7), Columns.longOrNull(rs, 8), rs.getInt(9), rs.getLong(10));
  }
}
