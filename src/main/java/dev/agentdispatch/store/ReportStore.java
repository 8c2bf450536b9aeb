package dev.agentdispatch.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Reads what the task report needs: the tasks created in a period, with the API calls the audit counted. */
public final class ReportStore {
  /**
   * One task: its repository, state, times (epoch ms; finished may be null), API calls (null if unknown) and the
   * outcome its pull request was judged (task_judgement.outcome: succeeded, needs_attention, failed, timed_out;
   * null when not judged or still pending).
   */
  public record TaskFigures(String repository, String state, long createdAt, Long finishedAt, Long apiCalls,
      String outcome) {}

  // 1 since, 2 until
  private static final String TASKS = "SELECT t.repository, t.state, t.created_at, t.finished_at,"
      + " (SELECT sum(a.api_calls) FROM audit a WHERE a.task_id = t.id), j.outcome"
      + " FROM agent_task t LEFT JOIN task_judgement j ON j.task_id = t.id WHERE t.created_at >= ? AND t.created_at < ? ORDER BY t.repository, t.id";

  private final Database db;

  public ReportStore(Database db) {
    this.db = db;
  }

  public List<TaskFigures> tasks(long since, long until) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(TASKS)) {
        ps.setLong(1, since);
        ps.setLong(2, until);
        List<TaskFigures> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long f = rs.getLong(4);
            Long finished = rs.wasNull() ? null : f;
            long calls = rs.getLong(5);
            Long apiCalls = rs.wasNull() ? null : calls;
            out.add(new TaskFigures(rs.getString(1), rs.getString(2), rs.getLong(3), finished, apiCalls,
                rs.getString(6)));
          }
        }
        return out;
      }
    });
  }
}
