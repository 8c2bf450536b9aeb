package dev.agentdispatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentdispatch.audit.TaskReport;
import dev.agentdispatch.config.Durations;
import dev.agentdispatch.config.Settings;
import dev.agentdispatch.store.Database;
import dev.agentdispatch.store.ReportStore;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code report}: tasks over a period, per repository: success rate, durations, API calls per task. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Reports the agent tasks of a period from the database named by DATABASE_URL:",
        "per repository, tasks, success rate, mean and p95 duration, GitHub API calls per task."})
final class ReportCommand implements Callable<Integer> {
  @Option(names = "--since", defaultValue = "7d", description = "How far back (default: ${DEFAULT-VALUE}).")
  String since;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  Clock clock = Clock.systemUTC();
  PrintStream out = System.out;
  Map<String, String> env = System.getenv();

  @Override
  public Integer call() throws Exception {
    Duration period;
    try {
      period = Durations.parse(since);
    } catch (IllegalArgumentException e) {
      System.err.println("--since is invalid: " + e.getMessage());
      return Main.BAD_SETTINGS;
    }
    String url = env.getOrDefault("DATABASE_URL", Settings.DEFAULT_DATABASE_URL);
    Instant until = clock.instant();
    Instant from = until.minus(period);
    TaskReport report;
    try (Database db = Database.open(url)) {
      report = TaskReport.of(new ReportStore(db).tasks(from.toEpochMilli(), until.toEpochMilli()));
    }
    if (json) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("since", from.toString());
      body.put("until", until.toString());
      body.put("repositories", report.rows().stream().map(ReportCommand::json).toList());
      body.put("total", json(report.total()));
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(body));
    } else {
      out.printf("Agent tasks from %s to %s%n%n", from, until);
      out.printf("%-40s %6s %8s %9s %8s %10s %10s %10s%n", "repository", "tasks", "finished", "succeeded",
          "success", "mean", "p95", "api calls");
      report.rows().forEach(r -> out.println(line(r)));
      out.println(line(report.total()));
    }
    return 0;
  }

  private static Map<String, Object> json(TaskReport.Row r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("repository", r.repository());
    m.put("tasks", r.tasks());
    m.put("finished", r.finished());
    m.put("succeeded", r.succeeded());
    m.put("success_rate", r.successRate());
    m.put("mean_duration_seconds", r.meanDuration() == null ? null : r.meanDuration().toMillis() / 1000.0);
    m.put("p95_duration_seconds", r.p95Duration() == null ? null : r.p95Duration().toMillis() / 1000.0);
    m.put("api_calls_per_task", r.apiCallsPerTask());
    return m;
  }

  private static String line(TaskReport.Row r) {
    return String.format("%-40s %6d %8d %9d %8s %10s %10s %10s", r.repository(), r.tasks(), r.finished(),
        r.succeeded(), r.successRate() == null ? "-" : Math.round(r.successRate() * 100) + "%",
        human(r.meanDuration()), human(r.p95Duration()),
        r.apiCallsPerTask() == null ? "-" : String.format("%.1f", r.apiCallsPerTask()));
  }

  private static String human(Duration d) {
    if (d == null) {
      return "-";
    }
    long s = d.toSeconds();
    return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : String.format("%dm%02ds", s / 60, s % 60);
  }
}
