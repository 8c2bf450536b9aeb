package dev.agentdispatch.audit;

import dev.agentdispatch.store.ReportStore.TaskFigures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report over a period, per repository and in total: tasks, finished, succeeded, success rate, mean and p95
 * duration of finished tasks (from the trigger to the end), and GitHub API calls per task. Only tasks whose pull
 * request was judged {@code succeeded} against their boundary count as successes (a merge alone does not); the rate
 * is over the decided tasks (finished, or judged with an outcome), so failed, timed out, cancelled and
 * needs-attention tasks count against it.
 */
public record TaskReport(List<Row> rows, Row total) {
  /** Figures of one repository, or of all of them ({@code repository} = "all"). */
  public record Row(String repository, int tasks, int finished, int succeeded, Double successRate,
      Duration meanDuration, Duration p95Duration, Double apiCallsPerTask) {}

  /** The judged outcome that counts as a success (task_judgement.outcome). */
  private static final String SUCCEEDED = "succeeded";

  public static TaskReport of(List<TaskFigures> tasks) {
    Map<String, List<TaskFigures>> byRepo = new TreeMap<>();
    tasks.forEach(t -> byRepo.computeIfAbsent(t.repository(), k -> new ArrayList<>()).add(t));
    List<Row> rows = byRepo.entrySet().stream().map(e -> row(e.getKey(), e.getValue())).toList();
    return new TaskReport(rows, row("all", tasks));
  }

  private static Row row(String repository, List<TaskFigures> tasks) {
    List<Long> durations = tasks.stream().filter(t -> t.finishedAt() != null)
        .map(t -> t.finishedAt() - t.createdAt()).sorted().toList();
    int succeeded = (int) tasks.stream().filter(t -> SUCCEEDED.equals(t.outcome())).count();
    long decided = tasks.stream().filter(t -> t.finishedAt() != null || t.outcome() != null).count();
    List<Long> calls = tasks.stream().filter(t -> t.apiCalls() != null).map(TaskFigures::apiCalls).toList();
    return new Row(repository, tasks.size(), durations.size(), succeeded,
        decided == 0 ? null : (double) succeeded / decided,
        durations.isEmpty() ? null : Duration.ofMillis(Math.round(durations.stream().mapToLong(d -> d).average()
            .orElse(0))),
        durations.isEmpty() ? null : Duration.ofMillis(durations.get(nearestRank(durations.size(), 0.95))),
        calls.isEmpty() ? null : calls.stream().mapToLong(c -> c).average().orElse(0));
  }

  /** Index of the nearest-rank percentile in a sorted list of {@code n} values. */
  static int nearestRank(int n, double p) {
    return Math.max(0, (int) Math.ceil(p * n) - 1);
  }
}
